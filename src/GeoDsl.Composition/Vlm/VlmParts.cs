using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Binding;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.LanguageModels;
using GeoDsl.Composition.Catalog.VisionTowers;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Vlm;

/// <summary>The vision encoder as the checks and the estimate see it: a VLM tower, or a catalog backbone with its traced output.</summary>
/// <param name="Grid">Patch grid side of one tile, class token excluded.</param>
/// <param name="Tokens">Tokens the encoder gives per tile, class token included.</param>
public sealed record VisionPart(string Name, VisionTowerConfig? Tower, BackboneDescriptor? Backbone, InputSpec? BackboneInput, ArgumentList BackboneArgs, FeatureShape? BackboneOutput,
    long Parameters, long Width, int Heads, long MlpHidden, int Layers, int Grid, int Tokens)
{
    /// <summary>The linear layers LoRA adapts and QLoRA quantises, over all blocks, as (module, in, out, count).</summary>
    public IReadOnlyList<(string Module, long In, long Out, int Count)> Linears =>
        Tower is { } tower ? tower.Linears.Select(l => (l.Module, l.In, l.Out, tower.Layers)).ToList()
        : Backbone is ILinearLayers linear && BackboneInput is { } input
            ? linear.LinearLayers(input, BackboneArgs).Select(g => (g.Module, g.InFeatures, g.OutFeatures, (int)g.Count)).ToList()
            : new List<(string, long, long, int)>();
}

/// <summary>Every part of a vlm model resolved against the catalogs, with the numbers the checks and the estimate share.</summary>
public sealed record VlmParts(VisionPart? Vision, ProjectorShape? Projector, LanguageModelConfig LanguageModel, LanguageModelParameters LanguageModelParameters)
{
    public long VisionParameters => Vision?.Parameters ?? 0;

    public long ProjectorParameters => Projector?.Parameters ?? 0;

    public long Total => VisionParameters + ProjectorParameters + LanguageModelParameters.Total;

    /// <summary>
    /// Resolves the parts and runs the composition checks: the merge factor against the tile's patch grid, GEO1101 (projector
    /// widths), GEO1102 (visual tokens against the context), GEO1105 (embedding tying), GEO1106 (context beyond the language
    /// model's). Null after an error.
    /// </summary>
    public static VlmParts? Resolve(VlmSpec spec, ComponentCatalog catalog, SpecLocations locations, DiagnosticSink diagnostics)
    {
        var model = LanguageModels.Find(spec.LanguageModel.Name)!;
        bool? tied = spec.LanguageModel.Args.Find("tie_word_embeddings") is BoolValue b ? b.Value : null;
        var counts = LanguageModelCounts.Of(model, tied);
        bool ok = true;
        if (tied is { } written && written != model.TiedEmbeddings)
        {
            var checkpoint = LanguageModelCounts.Of(model);
            diagnostics.Report(DiagnosticDescriptors.EmbeddingTyingChanged, locations.Find("language_model", "tie_word_embeddings"), model.Name,
                model.TiedEmbeddings ? "ties" : "does not tie", written ? "true" : "false", written ? "drops" : "adds",
                Count(model.Vocab), Count(model.Hidden), Count((long)model.Vocab * model.Hidden), Count(counts.Total), Count(checkpoint.Total));
        }

        if (spec.ContextLength > model.ContextLength)
        {
            diagnostics.Report(DiagnosticDescriptors.ContextBeyondLanguageModel, locations.Find("text", "context_length"),
                Count(spec.ContextLength), Count(model.ContextLength), model.Name);
        }

        if (spec.Vision is not { } visionSpec || spec.Projector is not { } projectorSpec)
        {
            return new VlmParts(null, null, model, counts);
        }

        var vision = ResolveVision(visionSpec, spec, catalog, locations, diagnostics);
        if (vision is null)
        {
            return null;
        }

        int factor = Projectors.Factor(projectorSpec.Name, projectorSpec.Args);
        if (vision.Grid % factor != 0)
        {
            diagnostics.Report(DiagnosticDescriptors.ArgumentOutOfRange, locations.Find("images", "tile_size"), "tile_size", "images",
                $"a multiple of {(spec.Images.TileSize / vision.Grid) * factor} so the {factor}×{factor} merge of projector '{projectorSpec.Name}' tiles the {vision.Grid}×{vision.Grid} patch grid",
                spec.Images.TileSize.ToString(CultureInfo.InvariantCulture));
            return null;
        }

        bool rms = vision.Tower?.Norm == TowerNorm.RmsNorm;
        var projector = Projectors.Shape(projectorSpec.Name, projectorSpec.Args, vision.Width, vision.Grid, model.Hidden, rms);
        if (projectorSpec.Args.IntOrNull("in_features") is { } inFeatures && inFeatures != projector.InFeatures)
        {
            string merged = factor > 1 ? $" after its {factor}×{factor} merge ({Count(vision.Width)} × {factor * factor})" : string.Empty;
            diagnostics.Report(DiagnosticDescriptors.ProjectorWidthMismatch, locations.Find("projector", "in_features"), projectorSpec.Name, "in_features", Count(inFeatures),
                $"vision '{vision.Name}'", Count(projector.InFeatures) + merged,
                $"A projector trained on a {Count(inFeatures / (factor * factor))}-wide tower cannot load here; remove in_features to train a new projector, or use a vision encoder that gives {Count(inFeatures)}.");
            ok = false;
        }

        if (projectorSpec.Args.IntOrNull("out_features") is { } outFeatures && outFeatures != model.Hidden)
        {
            var matching = LanguageModels.All.Where(m => m.Hidden == outFeatures).Select(m => m.Name).ToList();
            diagnostics.Report(DiagnosticDescriptors.ProjectorWidthMismatch, locations.Find("projector", "out_features"), projectorSpec.Name, "out_features", Count(outFeatures),
                $"language model '{model.Name}'", $"hidden states {Count(model.Hidden)} wide",
                "Remove out_features to train a new projector for this language model" + (matching.Count > 0 ? ", or keep the projector with a language model " + Count(outFeatures) + " wide: " + string.Join(", ", matching) : string.Empty) + ".");
            ok = false;
        }

        int tiles = spec.Images.TilesPerImage * spec.Images.ImagesPerSample;
        long visual = (long)tiles * projector.TokensPerTile;
        if (visual >= spec.ContextLength)
        {
            int fittingTiles = (int)((spec.ContextLength - 1) / ((long)projector.TokensPerTile * spec.Images.ImagesPerSample));
            string fixes = $"Raise context_length above {Count(visual)}"
                + (fittingTiles >= 1 ? $", or allow at most {Count(fittingTiles - (spec.Images.Thumbnail && fittingTiles > 1 ? 1 : 0))} tiles (max_tiles) per image" : string.Empty)
                + (factor > 1 || projectorSpec.Name != "mlp2x_gelu" ? ", or merge more patches per token (factor)" : string.Empty) + ".";
            diagnostics.Report(DiagnosticDescriptors.VisualTokensExceedContext, locations.Find("text", "context_length"), Count(visual),
                $"{spec.Images.ImagesPerSample} image(s) × {spec.Images.TilesPerImage} tiles × {projector.TokensPerTile} tokens per tile", Count(spec.ContextLength), fixes);
            ok = false;
        }

        return ok ? new VlmParts(vision, projector, model, counts) : null;
    }

    private static VisionPart? ResolveVision(ComponentSpec vision, VlmSpec spec, ComponentCatalog catalog, SpecLocations locations, DiagnosticSink diagnostics)
    {
        int tile = spec.Images.TileSize;
        if (VisionTowers.Find(vision.Name) is { } tower)
        {
            // The patch embedding is a stride-p convolution: a tile that is not a multiple of p loses its last partial row and
            // column (SigLIP-384: 27×27 patches), as in the reference implementations.
            long mlp = tower.Mlp == TowerMlp.SwiGlu ? 2L * tower.MlpHidden : tower.MlpHidden;
            return new VisionPart(tower.Name, tower, null, null, new ArgumentList(vision.Arguments), null, tower.Parameters(), tower.Width, tower.Heads, mlp, tower.Layers,
                tower.Grid(tile), tower.Tokens(tile));
        }

        // A backbone of the image catalog: traced on one tile of its pretraining bands through the same shape rules as any model.
        var backbone = catalog.FindBackbone(vision.Name)!;
        var input = new InputSpec(spec.VisionBands, tile, tile, 1, EquatableArray<double>.Empty, EquatableArray<double>.Empty);
        int before = diagnostics.Count;
        var output = backbone.Infer(input, vision.Args, new ShapeContext(input, ModelTask.Classification, "vision", (descriptor, path, args) =>
            diagnostics.Report(descriptor, locations.Find("vision"), args)));
        if (output is null || diagnostics.Since(before).Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return null;
        }

        var last = output.Tensors[output.Count - 1];
        if (output.Kind != FeatureKind.Tokens || output.Tokens is not { } layout)
        {
            // A convolutional backbone gives maps: its last map's pixels are the tokens, its channels their width.
            int grid = output.Kind == FeatureKind.ChannelLastMaps ? last[0] : last[1];
            int channels = output.Channels[output.Count - 1];
            return new VisionPart(backbone.Name, null, backbone, input, vision.Args, output, backbone.CountParameters(input, vision.Args), channels, 1, 0, 0, grid, grid * grid);
        }

        int heads = System.Math.Max(1, last[1] / 64);
        return new VisionPart(backbone.Name, null, backbone, input, vision.Args, output, backbone.CountParameters(input, vision.Args), last[1], heads, 4L * last[1], output.Count,
            layout.Rows, last[0]);
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
