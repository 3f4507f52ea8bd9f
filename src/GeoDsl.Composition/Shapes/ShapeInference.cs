using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Binding;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Decoders;
using GeoDsl.Composition.Catalog.Heads;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Shapes;

/// <summary>One stage as inference resolved it: its descriptor, spec, input and output shapes.</summary>
public sealed record ResolvedStage(string Path, StageTrace Trace, ComponentDescriptor Descriptor, ComponentSpec Component, FeatureShape? Input);

/// <summary>The shapes of a whole model, stage by stage, or the first contract it breaks.</summary>
public sealed record InferredShapes(ShapeTrace Trace, IReadOnlyList<ResolvedStage> Stages, bool Complete);

/// <summary>
/// Runs each component's shape rule in model order (backbone → necks → decoder → head → output, then the
/// auxiliary heads), reporting the first broken contract of each chain where it was written. A chain stops at
/// its first error, so one mistake gives one diagnostic, not a cascade.
/// </summary>
public sealed class ShapeInference
{
    private readonly ComponentCatalog _catalog;

    public ShapeInference(ComponentCatalog catalog) => _catalog = catalog;

    public InferredShapes Infer(ModelSpec spec, SpecLocations locations, DiagnosticSink diagnostics)
    {
        var stages = new List<ResolvedStage>();
        var backbone = _catalog.FindBackbone(spec.Backbone.Name)!;
        var backboneContext = Context(spec, "backbone", "the input", locations, diagnostics);
        var args = spec.Backbone.Args;
        var inner = TemporalPooling.InnerInput(backbone, spec.Input, args);
        var perFrame = TemporalPooling.Check(backbone, spec.Input, args, backboneContext) ? backbone.Infer(inner, args, backboneContext) : null;
        if (perFrame is null)
        {
            return Done(stages, complete: false);
        }

        PretrainedBandOrder.Check(backbone, spec.Backbone, spec.Input, locations, diagnostics);
        var features = TemporalPooling.Apply(perFrame, TemporalPooling.Of(backbone, args), spec.Input.Frames);
        stages.Add(new ResolvedStage("backbone", new StageTrace("backbone", backbone.Name, features, backbone.CountParameters(inner, args)), backbone, spec.Backbone, null));
        string previous = backbone.Title;

        for (int i = 0; i < spec.Necks.Count; i++)
        {
            var neck = _catalog.FindNeck(spec.Necks[i].Name)!;
            string path = $"neck[{i}]";
            var context = Context(spec, path, previous, locations, diagnostics);
            var output = StageRules.Accepts(neck, features, context) ? neck.Infer(features, spec.Necks[i].Args, context) : null;
            if (output is null)
            {
                return Done(stages, complete: false);
            }

            stages.Add(new ResolvedStage(path, new StageTrace("neck", neck.Name, output, neck.CountParameters(features, spec.Necks[i].Args)), neck, spec.Necks[i], features));
            features = output;
            previous = neck.Title;
        }

        var necked = features;
        var neckStage = previous;
        var decoder = _catalog.FindDecoder(spec.Decoder.Name)!;
        var decoded = Stage(stages, "decoder", "decoder", decoder, spec.Decoder, necked, Context(spec, "decoder", neckStage, locations, diagnostics));
        if (decoded is null)
        {
            return Done(stages, complete: false);
        }

        var prediction = Head(spec, decoder, decoded, spec.Head, "head", stages, locations, diagnostics);
        if (prediction is null)
        {
            return Done(stages, complete: false);
        }

        stages.Add(new ResolvedStage("output", new StageTrace("output", "rescale", Rescaled(spec, prediction), 0), decoder, spec.Decoder, prediction));

        bool complete = true;
        foreach (var auxiliary in spec.AuxiliaryHeads)
        {
            string path = $"aux_head[{auxiliary.Name}]";
            var auxDecoder = _catalog.FindDecoder(auxiliary.Decoder.Name)!;
            var auxDecoded = Stage(stages, path + ".decoder", "aux_decoder", auxDecoder, auxiliary.Decoder, necked,
                Context(spec, path + ".decoder", neckStage, locations, diagnostics));
            var auxPrediction = auxDecoded is null ? null : Head(spec, auxDecoder, auxDecoded, auxiliary.Head, path + ".head", stages, locations, diagnostics, auxiliary);
            complete &= auxPrediction is not null;
        }

        return Done(stages, complete);
    }

    private FeatureShape? Head(ModelSpec spec, DecoderDescriptor decoder, FeatureShape decoded, ComponentSpec? head, string path, List<ResolvedStage> stages,
        SpecLocations locations, DiagnosticSink diagnostics, AuxiliaryHeadSpec? auxiliary = null)
    {
        string decoderPath = auxiliary is null ? "decoder" : $"aux_head[{auxiliary.Name}].decoder";
        if (decoder.IncludesHead)
        {
            if (head is not null && auxiliary is null)
            {
                diagnostics.Report(DiagnosticDescriptors.HeadAfterHeadedDecoder, locations.Find(path), decoder.Name);
                return null;
            }

            return decoded;
        }

        var expected = _catalog.Heads.First(h => h.Task == spec.Task);
        if (head is null)
        {
            string example = expected.Task == ModelTask.Regression ? "" : "num_classes = 2";
            diagnostics.Report(DiagnosticDescriptors.DecoderNeedsHead, locations.Find(decoderPath), decoder.Name,
                StageRules.Text(decoded.Channels[0]), expected.Name, example);
            return null;
        }

        var descriptor = _catalog.FindHead(head.Name)!;
        if (descriptor.Task != spec.Task)
        {
            diagnostics.Report(DiagnosticDescriptors.HeadDoesNotMatchTask, locations.Find(path), head.Name, spec.Task.ToString().ToLowerInvariant(), expected.Name);
            return null;
        }

        return Stage(stages, path, auxiliary is null ? "head" : "aux_head", descriptor, head, decoded,
            Context(spec, path, $"decoder '{decoder.Name}'", locations, diagnostics), auxiliary?.Name);
    }

    private static FeatureShape? Stage(List<ResolvedStage> stages, string path, string kind, StageDescriptor descriptor, ComponentSpec component,
        FeatureShape input, ShapeContext context, string? displayName = null)
    {
        var output = StageRules.Accepts(descriptor, input, context) ? descriptor.Infer(input, component.Args, context) : null;
        if (output is not null)
        {
            stages.Add(new ResolvedStage(path, new StageTrace(kind, displayName ?? descriptor.Name, output, descriptor.CountParameters(input, component.Args)),
                descriptor, component, input));
        }

        return output;
    }

    /// <summary>
    /// TerraTorch's pixel-wise models resize the prediction bilinearly to the padded input and crop to the
    /// original size; classification outputs stay as they are.
    /// </summary>
    private static FeatureShape Rescaled(ModelSpec spec, FeatureShape prediction) => prediction.Kind == FeatureKind.Maps
        ? FeatureShape.Map(prediction.Channels[0], spec.Input.Height, spec.Input.Width)
        : prediction;

    private static ShapeContext Context(ModelSpec spec, string path, string previous, SpecLocations locations, DiagnosticSink diagnostics) =>
        new(spec.Input, spec.Task, previous, (descriptor, argument, properties, args) => diagnostics.Report(descriptor, locations.Find(path, argument), properties, args));

    private static InferredShapes Done(List<ResolvedStage> stages, bool complete) =>
        new(new ShapeTrace(stages.Select(s => s.Trace).ToEquatableArray()), stages, complete);
}
