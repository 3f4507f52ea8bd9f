using System;
using System.Collections.Generic;
using System.Globalization;
using GeoDsl.Composition.Specs;
using TorchSharp;
using TorchSharp.Modules;

namespace GeoDsl.Runtime.Training;

/// <summary>The optimizer a <c>train { optimizer = … }</c> value names, over the parameters that are trained.</summary>
public static class TrainingOptimizers
{
    /// <param name="optimizer">adamw { lr, weight_decay }, adam { lr, weight_decay } or sgd { lr, momentum, weight_decay, nesterov }.</param>
    /// <param name="learningRate">Replaces the value's <c>lr</c> when given.</param>
    public static torch.optim.Optimizer Create(ObjectValue optimizer, IEnumerable<Parameter> parameters, double? learningRate = null)
    {
        var args = optimizer.Args;
        double lr = learningRate ?? args.Double("lr");
        if (!(lr > 0) || double.IsInfinity(lr))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), lr, "The learning rate must be a positive number.");
        }

        double weightDecay = args.DoubleOrNull("weight_decay") ?? 0;
        switch (optimizer.Name)
        {
            case "adamw":
                return torch.optim.AdamW(parameters, lr, weight_decay: weightDecay);
            case "adam":
                return torch.optim.Adam(parameters, lr, weight_decay: weightDecay);
            case "sgd":
                double momentum = args.DoubleOrNull("momentum") ?? 0;
                bool nesterov = args.Find("nesterov") is BoolValue { Value: true };
                if (nesterov && momentum <= 0)
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"sgd with nesterov = true needs a momentum above 0 (it is {momentum}); set momentum or turn nesterov off."));
                }

                return torch.optim.SGD(parameters, lr, momentum, dampening: 0, weight_decay: weightDecay, nesterov: nesterov);
            default:
                throw new NotSupportedException($"Unknown optimizer '{optimizer.Name}'; use adamw, adam or sgd.");
        }
    }
}
