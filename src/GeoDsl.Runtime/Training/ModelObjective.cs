using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Composition;
using GeoDsl.Runtime.Training.Losses;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Training;

/// <summary>
/// What a step minimises: the loss of the main output plus each auxiliary head's loss on the same targets times the
/// head's <c>weight</c>, as TerraTorch adds its <c>aux_loss</c> terms.
/// </summary>
public sealed class ModelObjective
{
    private readonly IReadOnlyList<(string Name, double Weight)> auxiliaryWeights;

    public ModelObjective(TrainingLoss loss, IEnumerable<(string Name, double Weight)>? auxiliaryWeights = null)
    {
        Loss = loss;
        this.auxiliaryWeights = auxiliaryWeights?.ToList() ?? new List<(string, double)>();
    }

    public TrainingLoss Loss { get; }

    public static ModelObjective For(ModelSpec spec) =>
        new(TrainingLosses.For(spec.Task, spec.Train), spec.AuxiliaryHeads.Select(a => (a.Name, a.LossWeight)));

    public Tensor Compute(ModelOutput output, Tensor target)
    {
        var total = Loss.Compute(output.Output, target);
        foreach (var (name, weight) in auxiliaryWeights)
        {
            if (weight == 0)
            {
                continue;
            }

            if (!output.Auxiliary.TryGetValue(name, out var auxiliary))
            {
                throw new TrainingException($"The model has no output for auxiliary head '{name}'.");
            }

            if (!auxiliary.shape.SequenceEqual(output.Output.shape))
            {
                throw new TrainingException(
                    $"Auxiliary head '{name}' predicts [{string.Join(", ", auxiliary.shape)}] but the main head [{string.Join(", ", output.Output.shape)}]; " +
                    "an auxiliary loss needs the same classes. Give the auxiliary head a head with the main head's classes.");
            }

            total = total + weight * Loss.Compute(auxiliary, target);
        }

        return total;
    }
}
