using System.Linq;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Shapes;

/// <summary>
/// TerraTorch's <c>TemporalWrapper</c> (terratorch/models/utils.py) as a backbone argument: a single-image backbone runs
/// on each of the T frames and its features are pooled over time — mean, max, diff (frame 0 minus frame 1, so exactly two
/// frames), or concat, which stacks the frames into the channels (C·T; T·D for tokens).
/// </summary>
public static class TemporalPooling
{
    public const string None = "none";

    public static ParameterInfo Parameter { get; } = ParameterInfo.Optional("temporal_pooling", ParameterType.OneOf("mean", "max", "diff", "concat"),
        "Run this single-image backbone on each input frame and pool the features over time (TerraTorch's TemporalWrapper); unset for one frame.");

    /// <summary>The pooling a backbone applies, or <see cref="None"/>.</summary>
    public static string Of(BackboneDescriptor backbone, ArgumentList args) => backbone.HandlesFrames ? None : args.NameOrNull(Parameter.Name) ?? None;

    /// <summary>What the backbone itself sees: one frame when it is wrapped.</summary>
    public static InputSpec InnerInput(BackboneDescriptor backbone, InputSpec input, ArgumentList args) =>
        Of(backbone, args) == None ? input : input with { Frames = 1 };

    /// <summary>How many times the backbone runs per sample.</summary>
    public static int Passes(BackboneDescriptor backbone, InputSpec input, ArgumentList args) => Of(backbone, args) == None ? 1 : input.Frames;

    /// <summary>Checks the frames against the backbone; null when the combination cannot run (reported).</summary>
    public static bool Check(BackboneDescriptor backbone, InputSpec input, ArgumentList args, ShapeContext context)
    {
        string pooling = Of(backbone, args);
        if (!backbone.HandlesFrames && pooling == None && input.Frames > 1)
        {
            context.Report(DiagnosticDescriptors.FramesForSingleImageBackbone, backbone.Title, input.Frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return false;
        }

        if (pooling == "diff" && input.Frames != 2)
        {
            context.ReportAt(Parameter.Name, DiagnosticDescriptors.ArgumentOutOfRange, Parameter.Name, backbone.Title,
                "mean, max or concat: diff subtracts frame 1 from frame 0, so it needs exactly 2 frames", $"diff with {input.Frames} frame(s)");
            return false;
        }

        return true;
    }

    /// <summary>The wrapped backbone's features: unchanged for mean, max and diff; channels × T for concat.</summary>
    public static FeatureShape Apply(FeatureShape perFrame, string pooling, int frames)
    {
        if (pooling != "concat")
        {
            return perFrame;
        }

        var tensors = perFrame.Tensors.Select(t => perFrame.Kind switch
        {
            FeatureKind.Maps => TensorShape.Of(t[0] * frames, t[1], t[2]),
            FeatureKind.ChannelLastMaps => TensorShape.Of(t[0], t[1], t[2] * frames),
            FeatureKind.Tokens => TensorShape.Of(t[0], t[1] * frames),
            _ => TensorShape.Of(t[0] * frames),
        });
        return perFrame with { Tensors = tensors.ToEquatableArray() };
    }
}
