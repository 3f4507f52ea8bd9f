using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Decoders;

/// <summary>TerraTorch <c>IdentityDecoder</c>: passes one map through unchanged.</summary>
public sealed class IdentityDecoder : DecoderDescriptor
{
    public IdentityDecoder()
        : base("identity", "IdentityDecoder", "Pass one map through unchanged (the head does all the work).",
            ParameterInfo.With("out_index", ParameterType.Int(), -1L, "Which map to pass on."))
    {
    }

    public override FeatureShape? Infer(FeatureShape input, ArgumentList args, ShapeContext context) =>
        PickMap(input, args, "out_index", context) is { } map ? FeatureShape.Maps(new[] { map }) : null;

    public override long CountParameters(FeatureShape input, ArgumentList args) => 0;
}
