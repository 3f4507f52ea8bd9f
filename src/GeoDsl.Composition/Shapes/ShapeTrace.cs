using System.Linq;
using GeoDsl.Composition.Helpers;

namespace GeoDsl.Composition.Shapes;

/// <summary>One stage of a model and what it outputs.</summary>
/// <param name="Kind">backbone, neck, decoder, head, output (the rescale to the input size) or aux_head.</param>
/// <param name="Name">The component's catalog name (or the auxiliary head's name).</param>
/// <param name="Output">The stage's output features.</param>
/// <param name="Parameters">Learnable parameters of this stage.</param>
public sealed record StageTrace(string Kind, string Name, FeatureShape Output, long Parameters)
{
    public override string ToString() => $"{Kind} {Name}: {Output.DescribeShapes()}";
}

/// <summary>Every stage's output, in order, from the backbone to the model output.</summary>
public sealed record ShapeTrace(EquatableArray<StageTrace> Stages)
{
    public StageTrace Final => Stages[Stages.Count - 1];

    public override string ToString() => string.Join("\n", Stages.Select(s => s.ToString()));
}
