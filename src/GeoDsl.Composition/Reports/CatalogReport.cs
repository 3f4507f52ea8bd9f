using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Reports;

/// <summary>One catalog entry as <c>geodsl catalog</c> lists it.</summary>
/// <param name="Kind">backbone, neck, decoder, head or gpu.</param>
/// <param name="Bands">A backbone's pretrained bands in order (empty when it takes any bands).</param>
/// <param name="Features">What it outputs: for backbones the shapes at the default size, else the feature kinds in and out.</param>
/// <param name="Parameters">A backbone's learnable parameters at its default size and bands, without a classification layer.</param>
/// <param name="DefaultSize">A backbone's default (pretraining) image size.</param>
/// <param name="MemoryBytes">A GPU's memory.</param>
public sealed record CatalogEntryReport(
    string Name,
    string Kind,
    string Summary,
    IReadOnlyList<string> Bands,
    string Features,
    long? Parameters,
    int? DefaultSize,
    IReadOnlyList<string> Arguments,
    long? MemoryBytes);

public static class CatalogReport
{
    public static IReadOnlyList<CatalogEntryReport> Of(ComponentCatalog catalog)
    {
        var entries = new List<CatalogEntryReport>();
        entries.AddRange(catalog.Backbones.OrderBy(b => b.Name, StringComparer.Ordinal).Select(Backbone));
        entries.AddRange(catalog.Necks.OrderBy(n => n.Name, StringComparer.Ordinal).Select(Stage));
        entries.AddRange(catalog.Decoders.OrderBy(d => d.Name, StringComparer.Ordinal).Select(Stage));
        entries.AddRange(catalog.Heads.OrderBy(h => h.Name, StringComparer.Ordinal).Select(Stage));
        entries.AddRange(Gpus.All.Select(g => new CatalogEntryReport(g.Name, "gpu", g.DisplayName + " (" + g.Source + ")", Array.Empty<string>(),
            string.Empty, null, null, Array.Empty<string>(), g.MemoryBytes)));
        return entries;
    }

    /// <summary>The backbone at its default size with its pretrained bands (or the six HLS bands when it takes any).</summary>
    private static CatalogEntryReport Backbone(BackboneDescriptor backbone)
    {
        var bands = backbone.PretrainedBands.Count > 0 ? backbone.PretrainedBands : Catalog.Bands.PrithviDefault;
        var input = new InputSpec(bands.ToEquatableArray(), backbone.DefaultImageSize, backbone.DefaultImageSize, 1,
            EquatableArray<double>.Empty, EquatableArray<double>.Empty);
        var args = Defaults(backbone);
        FeatureShape? features = null;
        long? parameters = null;
        if (args is { } defaults)
        {
            features = backbone.Infer(input, defaults, new ShapeContext(input, ModelTask.Segmentation, "the input", (_, _, _) => { }));
            parameters = features is null ? null : backbone.CountParameters(input, defaults);
        }

        return new CatalogEntryReport(backbone.Name, "backbone", backbone.Summary, backbone.PretrainedBands.ToList(),
            features?.ToString() ?? "(needs arguments)", parameters, backbone.DefaultImageSize, ArgumentNames(backbone), null);
    }

    private static CatalogEntryReport Stage(StageDescriptor stage)
    {
        string accepts = string.Join(" or ", stage.Accepts.Select(FeatureShape.Describe));
        string gives = stage.Produces is { } kind ? FeatureShape.Describe(kind) : "the same kind";
        return new CatalogEntryReport(stage.Name, stage.Kind.ToString().ToLowerInvariant(), stage.Summary, Array.Empty<string>(),
            $"{accepts} → {gives}", null, null, ArgumentNames(stage), null);
    }

    /// <summary>Every argument at its default; null when one is required.</summary>
    private static ArgumentList? Defaults(ComponentDescriptor descriptor)
    {
        if (descriptor.Parameters.Any(p => p.IsRequired))
        {
            return null;
        }

        return new ArgumentList(descriptor.Parameters.Select(p => new Argument(p.Name, p.Default!)).ToEquatableArray());
    }

    private static IReadOnlyList<string> ArgumentNames(ComponentDescriptor descriptor) =>
        descriptor.Parameters.Select(p => p.IsRequired ? p.Name + " (required)" : p.Name).ToList();
}
