using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Composition;
using TorchSharp;
using TorchSharp.Modules;

namespace GeoDsl.Runtime.Training;

/// <summary>
/// <c>freeze_backbone</c> and <c>freeze_decoder</c>: the frozen parts stop requiring gradients, so the optimizer never
/// sees them, and they are kept in evaluation mode while the rest trains, so batch-norm statistics, dropout and drop
/// path do not change or perturb what was meant to stay fixed.
/// </summary>
public static class ModelFreezing
{
    /// <summary>The modules a train block freezes.</summary>
    public static IReadOnlyList<torch.nn.Module> FrozenModules(GeoModel model, bool freezeBackbone, bool freezeDecoder)
    {
        var frozen = new List<torch.nn.Module>();
        if (freezeBackbone)
        {
            frozen.Add(model.Encoder);
        }

        if (freezeDecoder)
        {
            frozen.Add(model.Decoder);
        }

        return frozen;
    }

    /// <summary>Sets requires_grad on every parameter: false in the frozen modules, true elsewhere.</summary>
    public static void Apply(GeoModel model, IReadOnlyList<torch.nn.Module> frozen)
    {
        var frozenParameters = new HashSet<Parameter>(frozen.SelectMany(m => m.parameters()), ReferenceEqualityComparer.Instance);
        foreach (var parameter in model.parameters())
        {
            parameter.requires_grad = !frozenParameters.Contains(parameter);
        }
    }

    /// <summary>Puts the model in training mode and the frozen modules back in evaluation mode.</summary>
    public static void TrainMode(GeoModel model, IReadOnlyList<torch.nn.Module> frozen)
    {
        model.train();
        foreach (var module in frozen)
        {
            module.eval();
        }
    }
}
