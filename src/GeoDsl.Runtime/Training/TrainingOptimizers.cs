using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Specs;
using TorchSharp;
using TorchSharp.Modules;

namespace GeoDsl.Runtime.Training;

/// <summary>One parameter group: a stage's trainable parameters and its learning rate.</summary>
public sealed record ParameterGroup(string Stage, IReadOnlyList<Parameter> Parameters, double LearningRate);

/// <summary>The optimizer a <c>train { optimizer = … }</c> value names, over the parameters that are trained.</summary>
public static class TrainingOptimizers
{
    /// <param name="optimizer">adamw { lr, weight_decay }, adam { lr, weight_decay } or sgd { lr, momentum, weight_decay, nesterov }.</param>
    /// <param name="learningRate">Replaces the value's <c>lr</c> when given.</param>
    public static torch.optim.Optimizer Create(ObjectValue optimizer, IEnumerable<Parameter> parameters, double? learningRate = null)
    {
        double lr = learningRate ?? optimizer.Args.Double("lr");
        return Create(optimizer, new[] { new ParameterGroup("model", parameters.ToList(), lr) });
    }

    /// <summary>The optimizer with one parameter group per entry, each with its own learning rate (empty groups are left out).</summary>
    public static torch.optim.Optimizer Create(ObjectValue optimizer, IReadOnlyList<ParameterGroup> groups)
    {
        var args = optimizer.Args;
        foreach (var group in groups)
        {
            if (!(group.LearningRate > 0) || double.IsInfinity(group.LearningRate))
            {
                throw new ArgumentOutOfRangeException(nameof(groups), group.LearningRate, $"The learning rate of the {group.Stage} must be a positive number.");
            }
        }

        var used = groups.Where(g => g.Parameters.Count > 0).ToList();
        double lr = used.Count > 0 ? used[0].LearningRate : args.Double("lr");
        double weightDecay = args.DoubleOrNull("weight_decay") ?? 0;
        switch (optimizer.Name)
        {
            case "adamw":
                return torch.optim.AdamW(used.Select(g => new AdamW.ParamGroup(g.Parameters, new AdamW.Options { LearningRate = g.LearningRate, weight_decay = weightDecay })), lr, weight_decay: weightDecay);
            case "adam":
                return torch.optim.Adam(used.Select(g => new Adam.ParamGroup(g.Parameters, new Adam.Options { LearningRate = g.LearningRate, weight_decay = weightDecay })), lr, weight_decay: weightDecay);
            case "sgd":
                double momentum = args.DoubleOrNull("momentum") ?? 0;
                bool nesterov = args.Find("nesterov") is BoolValue { Value: true };
                if (nesterov && momentum <= 0)
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"sgd with nesterov = true needs a momentum above 0 (it is {momentum}); set momentum or turn nesterov off."));
                }

                return torch.optim.SGD(
                    used.Select(g => new SGD.ParamGroup(g.Parameters, new SGD.Options { LearningRate = g.LearningRate, momentum = momentum, dampening = 0, weight_decay = weightDecay, nesterov = nesterov })),
                    lr, momentum, dampening: 0, weight_decay: weightDecay, nesterov: nesterov);
            case "adamw8bit":
                // bitsandbytes' AdamW8bit keeps its moments in 8-bit blocks updated by its own CUDA kernels; TorchSharp
                // has neither the kernels nor a quantised optimizer, and a plain AdamW would silently use 4× the memory
                // the memory estimate promised.
                throw new TrainingException(
                    "optimizer = adamw8bit needs bitsandbytes' 8-bit optimizer kernels, which TorchSharp does not have. " +
                    "Use optimizer = adamw (its states take 8 bytes per trained parameter instead of 2; `geodsl describe` shows whether that still fits).");
            default:
                throw new NotSupportedException($"Unknown optimizer '{optimizer.Name}'; use adamw, adam or sgd.");
        }
    }
}
