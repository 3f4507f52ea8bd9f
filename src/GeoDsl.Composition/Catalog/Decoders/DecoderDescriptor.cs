using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Decoders;

/// <summary>A decoder: channel-first maps in, one channel-first map out.</summary>
public abstract class DecoderDescriptor : StageDescriptor
{
    protected DecoderDescriptor(string name, string terraTorchName, string summary, params ParameterInfo[] parameters)
        : base(name, ComponentKind.Decoder, summary, parameters)
    {
        TerraTorchName = terraTorchName;
    }

    /// <summary>The class name TerraTorch registers (for export).</summary>
    public string TerraTorchName { get; }

    /// <summary>True when the decoder's output already is the prediction (TerraTorch's <c>includes_head</c>).</summary>
    public virtual bool IncludesHead => false;

    /// <summary>Picks map <paramref name="argument"/> (Python-style index) or reports why it cannot.</summary>
    protected TensorShape? PickMap(FeatureShape input, ArgumentList args, string argument, ShapeContext context)
    {
        int index = args.Int(argument);
        if (StageRules.Normalise(index, input.Count) is not { } resolved)
        {
            context.ReportAt(argument, Diagnostics.DiagnosticDescriptors.FeatureIndexOutOfRange, StageRules.Text(index), Title, context.PreviousStage,
                StageRules.Text(input.Count), StageRules.ValidRange(input.Count));
            return null;
        }

        return input.Tensors[resolved];
    }
}
