using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Catalog.Decoders;
using GeoDsl.Composition.Catalog.Heads;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Custom;

/// <summary>Shape and count rules every custom stage shares, written once.</summary>
internal static class CustomShapes
{
    public static string Summary(CustomComponentDeclaration d, string contract) =>
        (d.Summary.Length > 0 ? d.Summary + " " : string.Empty) + $"User component {d.TypeName}: {contract}; " +
        (d.Parameters >= 0 ? $"{d.Parameters.ToString("N0", CultureInfo.InvariantCulture)} parameters (declared)." : "parameters unknown (declare Parameters = … for counts and memory; counted as 0).");

    public static long Parameters(CustomComponentDeclaration d) => Math.Max(0, d.Parameters);

    /// <summary>The outputs stay alive for the next stage's backward: their size is what a declaration lets us know.</summary>
    public static ActivationEstimate Outputs(FeatureShape output, ActivationSettings settings)
    {
        long bytes = output.Tensors.Sum(t => t.Elements) * settings.StreamBytes;
        return settings.Training ? new ActivationEstimate(bytes, 0) : new ActivationEstimate(0, bytes);
    }

    /// <summary>Checks the incoming channels against the declared ones (GEO1004 for the count, GEO1013-style numbers otherwise).</summary>
    public static bool InputChannelsFit(CustomComponentDeclaration d, string title, FeatureShape input, ShapeContext context)
    {
        if (d.InputChannels.IsEmpty)
        {
            return true;
        }

        if (d.InputChannels.Count != input.Count)
        {
            context.Report(DiagnosticDescriptors.WrongFeatureCount, title, $"{d.InputChannels.Count} feature(s) with channels [{string.Join(", ", d.InputChannels)}] (its declared InputChannels)",
                $"{input.Count}: {input.DescribeShapes()}", context.PreviousStage);
            return false;
        }

        if (!input.Channels.SequenceEqual(d.InputChannels))
        {
            context.Report(DiagnosticDescriptors.WrongFeatureCount, title, $"channels [{string.Join(", ", d.InputChannels)}] (its declared InputChannels)",
                $"channels [{string.Join(", ", input.Channels)}] ({input.DescribeShapes()})", context.PreviousStage);
            return false;
        }

        return true;
    }

    /// <summary>A map scaled by the declared upscale.</summary>
    public static TensorShape Scaled(int channels, TensorShape map, int upscale) => TensorShape.Of(channels, map[1] * upscale, map[2] * upscale);
}

/// <summary>A user's backbone, described by its declaration.</summary>
public sealed class CustomBackboneDescriptor : BackboneDescriptor
{
    public CustomBackboneDescriptor(CustomComponentDeclaration declaration)
        : base(declaration.Name, CustomShapes.Summary(declaration, Contract(declaration)))
    {
        Declaration = declaration;
        OutputKind = CustomComponentDeclaration.ParseKind(declaration.Output)!.Value;
    }

    public CustomComponentDeclaration Declaration { get; }

    public FeatureKind OutputKind { get; }

    public override IReadOnlyList<string> PretrainedBands => Declaration.Bands;

    public override bool HandlesFrames => Declaration.Frames > 1;

    public override string RuntimeType => Declaration.TypeName;

    public override int DefaultImageSize => Declaration.DefaultSize;

    public override int PaddingMultiple(ArgumentList args) => Declaration.EffectivePaddingMultiple;

    public override FeatureShape? Infer(InputSpec input, ArgumentList args, ShapeContext context)
    {
        var d = Declaration;
        int expected = d.InChannels > 0 ? d.InChannels : d.Bands.Count;
        if (expected > 0 && input.Channels != expected)
        {
            context.Report(DiagnosticDescriptors.ArgumentOutOfRange, "bands", Title,
                $"{expected} band(s) ({(d.Bands.Count > 0 ? string.Join(", ", d.Bands) : "its declared InChannels")})", $"{input.Channels}");
            return null;
        }

        if (HandlesFrames && input.Frames != d.Frames)
        {
            context.Report(DiagnosticDescriptors.ArgumentOutOfRange, "frames", Title, $"{d.Frames} (its declared Frames)", input.Frames.ToString(CultureInfo.InvariantCulture));
            return null;
        }

        return Shape(input.Height, input.Width, input.Frames);
    }

    /// <summary>The declared output for an image of <paramref name="height"/>×<paramref name="width"/> (padded here).</summary>
    public FeatureShape Shape(int height, int width, int frames)
    {
        var d = Declaration;
        int multiple = d.EffectivePaddingMultiple;
        int h = RoundUp(height, multiple);
        int w = RoundUp(width, multiple);
        return OutputKind switch
        {
            FeatureKind.Maps => FeatureShape.Maps(d.Channels.Select((c, i) => TensorShape.Of(c, h / d.Strides[i], w / d.Strides[i]))),
            FeatureKind.ChannelLastMaps => new FeatureShape(FeatureKind.ChannelLastMaps,
                new Helpers.EquatableArray<TensorShape>(d.Channels.Select((c, i) => TensorShape.Of(h / d.Strides[i], w / d.Strides[i], c)))),
            FeatureKind.Pooled => new FeatureShape(FeatureKind.Pooled, new Helpers.EquatableArray<TensorShape>(d.Channels.Select(c => TensorShape.Of(c)))),
            _ => Tokens(h, w, HandlesFrames ? frames : 1),
        };
    }

    public override long CountParameters(InputSpec input, ArgumentList args) => CustomShapes.Parameters(Declaration);

    public override ActivationEstimate EstimateActivations(InputSpec input, ArgumentList args, FeatureShape output, ActivationSettings settings) =>
        CustomShapes.Outputs(output, settings);

    private FeatureShape Tokens(int h, int w, int frames)
    {
        var d = Declaration;
        var layout = new TokenLayout(d.ClsToken, frames, h / d.PatchSize, w / d.PatchSize);
        var one = TensorShape.Of(layout.PatchTokens + (d.ClsToken ? 1 : 0), d.TokenWidth);
        return new FeatureShape(FeatureKind.Tokens, new Helpers.EquatableArray<TensorShape>(Enumerable.Repeat(one, d.TokenOutputs)), layout);
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private static string Contract(CustomComponentDeclaration d) => CustomComponentDeclaration.ParseKind(d.Output) switch
    {
        FeatureKind.Tokens => $"{d.TokenOutputs} token sequence(s) of width {d.TokenWidth}, patch {d.PatchSize}{(d.ClsToken ? ", cls token" : string.Empty)}",
        FeatureKind.Pooled => $"pooled vectors of [{string.Join(", ", d.Channels)}]",
        _ => $"{d.Output} with channels [{string.Join(", ", d.Channels)}] at strides [{string.Join(", ", d.Strides)}]",
    };
}

/// <summary>A user's neck: declared input and output kinds; channels replaced when declared, maps scaled by Upscale.</summary>
public sealed class CustomNeckDescriptor : StageDescriptor
{
    public CustomNeckDescriptor(CustomComponentDeclaration declaration)
        : base(declaration.Name, ComponentKind.Neck, CustomShapes.Summary(declaration, $"{declaration.Input} → {declaration.Output}"))
    {
        Declaration = declaration;
        Accepts = new[] { CustomComponentDeclaration.ParseKind(declaration.Input)!.Value };
        OutputKind = CustomComponentDeclaration.ParseKind(declaration.Output)!.Value;
    }

    public CustomComponentDeclaration Declaration { get; }

    public FeatureKind OutputKind { get; }

    public override IReadOnlyList<FeatureKind> Accepts { get; }

    public override FeatureKind? Produces => OutputKind;

    public override FeatureShape? Infer(FeatureShape input, ArgumentList args, ShapeContext context)
    {
        var d = Declaration;
        if (!CustomShapes.InputChannelsFit(d, Title, input, context))
        {
            return null;
        }

        if (!d.Channels.IsEmpty && d.Channels.Count != input.Count)
        {
            context.Report(DiagnosticDescriptors.ChannelListLength, Title, StageRules.Text(d.Channels.Count), "Channels", StageRules.Text(input.Count));
            return null;
        }

        int Width(int i) => d.Channels.IsEmpty ? input.Channels[i] : d.Channels[i];
        var tensors = Enumerable.Range(0, input.Count).Select(i => Convert(input, i, Width(i))).ToList();
        if (tensors.Any(t => t is null))
        {
            context.Report(DiagnosticDescriptors.FeatureKindMismatch, Title, FeatureShape.Describe(Accepts[0]) + " it can turn into " + FeatureShape.Describe(OutputKind),
                input.ToString(), context.PreviousStage, " GeoDsl derives custom necks' shapes for kind-preserving necks, tokens → maps, and anything → pooled.");
            return null;
        }

        return new FeatureShape(OutputKind, new Helpers.EquatableArray<TensorShape>(tensors!), OutputKind == FeatureKind.Tokens ? input.Tokens : null);
    }

    public override long CountParameters(FeatureShape input, ArgumentList args) => CustomShapes.Parameters(Declaration);

    public override ActivationEstimate EstimateActivations(FeatureShape input, FeatureShape output, ArgumentList args, ActivationSettings settings) =>
        CustomShapes.Outputs(output, settings);

    private TensorShape? Convert(FeatureShape input, int index, int width)
    {
        var t = input.Tensors[index];
        int up = Declaration.Upscale;
        return (input.Kind, OutputKind) switch
        {
            (FeatureKind.Maps, FeatureKind.Maps) => CustomShapes.Scaled(width, t, up),
            (FeatureKind.ChannelLastMaps, FeatureKind.ChannelLastMaps) => TensorShape.Of(t[0] * up, t[1] * up, width),
            (FeatureKind.ChannelLastMaps, FeatureKind.Maps) => TensorShape.Of(width, t[0] * up, t[1] * up),
            (FeatureKind.Tokens, FeatureKind.Tokens) => TensorShape.Of(t[0], width),
            (FeatureKind.Tokens, FeatureKind.Maps) when input.Tokens is { Frames: 1 } grid => TensorShape.Of(width, grid.Rows * up, grid.Columns * up),
            (_, FeatureKind.Pooled) => TensorShape.Of(width),
            _ => null,
        };
    }
}

/// <summary>A user's decoder: channel-first maps in, one map of the declared width at the finest input's size × Upscale.</summary>
public sealed class CustomDecoderDescriptor : DecoderDescriptor
{
    public CustomDecoderDescriptor(CustomComponentDeclaration declaration)
        : base(declaration.Name, declaration.TypeName, CustomShapes.Summary(declaration, $"maps → one {declaration.Channels.FirstOrDefault()}-channel map"))
    {
        Declaration = declaration;
    }

    public CustomComponentDeclaration Declaration { get; }

    public override FeatureShape? Infer(FeatureShape input, ArgumentList args, ShapeContext context)
    {
        if (!CustomShapes.InputChannelsFit(Declaration, Title, input, context))
        {
            return null;
        }

        var finest = input.Tensors.OrderByDescending(t => (long)t[1] * t[2]).First();
        return FeatureShape.Maps(new[] { CustomShapes.Scaled(Declaration.Channels[0], finest, Declaration.Upscale) });
    }

    public override long CountParameters(FeatureShape input, ArgumentList args) => CustomShapes.Parameters(Declaration);

    public override ActivationEstimate EstimateActivations(FeatureShape input, FeatureShape output, ArgumentList args, ActivationSettings settings) =>
        CustomShapes.Outputs(output, settings);
}

/// <summary>A user's head: <c>num_classes</c> (segmentation, classification) or the declared outputs (regression).</summary>
public sealed class CustomHeadDescriptor : HeadDescriptor
{
    public CustomHeadDescriptor(CustomComponentDeclaration declaration)
        : base(declaration.Name, TaskOf(declaration.Task), declaration.TypeName, CustomShapes.Summary(declaration, declaration.Task + " head"), HeadParameters(declaration))
    {
        Declaration = declaration;
        Accepts = new[] { CustomComponentDeclaration.ParseKind(declaration.Input) ?? FeatureKind.Maps };
    }

    public CustomComponentDeclaration Declaration { get; }

    public override IReadOnlyList<FeatureKind> Accepts { get; }

    public override FeatureKind? Produces => Task == ModelTask.Classification ? FeatureKind.Pooled : FeatureKind.Maps;

    public override int OutputChannels(ArgumentList args) => Task == ModelTask.Regression ? Math.Max(1, Declaration.Channels.FirstOrDefault()) : args.Int("num_classes");

    public override FeatureShape? Infer(FeatureShape input, ArgumentList args, ShapeContext context)
    {
        if (!CustomShapes.InputChannelsFit(Declaration, Title, input, context))
        {
            return null;
        }

        int outputs = OutputChannels(args);
        if (Task == ModelTask.Classification || input.Kind == FeatureKind.Pooled)
        {
            return new FeatureShape(FeatureKind.Pooled, new Helpers.EquatableArray<TensorShape>(new[] { TensorShape.Of(outputs) }));
        }

        return FeatureShape.Maps(new[] { CustomShapes.Scaled(outputs, input.Tensors[0], Declaration.Upscale) });
    }

    public override long CountParameters(FeatureShape input, ArgumentList args) => CustomShapes.Parameters(Declaration);

    public override ActivationEstimate EstimateActivations(FeatureShape input, FeatureShape output, ArgumentList args, ActivationSettings settings) =>
        CustomShapes.Outputs(output, settings);

    private static ModelTask TaskOf(string task) => task switch
    {
        "regression" => ModelTask.Regression,
        "classification" => ModelTask.Classification,
        _ => ModelTask.Segmentation,
    };

    private static ParameterInfo[] HeadParameters(CustomComponentDeclaration d) => d.Task == "regression"
        ? Array.Empty<ParameterInfo>()
        : new[] { ParameterInfo.Required("num_classes", ParameterType.Int(2, 100000), "Classes to predict.") };
}
