using System.Linq;
using GeoDsl.Composition.Binding;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Shapes;

/// <summary>
/// GEO1023: input bands that are all among a pretrained backbone's bands, but listed in another order. Loading works
/// (channels are picked by name), so it is information: the fix lists them in the pretrained order.
/// </summary>
public static class PretrainedBandOrder
{
    public static void Check(BackboneDescriptor backbone, ComponentSpec component, InputSpec input, SpecLocations locations, DiagnosticSink diagnostics)
    {
        var args = component.Args;
        var pretrained = backbone.PretrainedBands;
        if (!backbone.SelectsPretrainedBandsByName || backbone.FindParameter("pretrained") is null || !args.Bool("pretrained")
            || input.Bands.Any(b => !pretrained.Contains(b)))
        {
            return;
        }

        var ordered = input.Bands.OrderBy(b => pretrained.ToList().IndexOf(b)).ToList();
        if (ordered.SequenceEqual(input.Bands))
        {
            return;
        }

        string list = string.Join(", ", ordered);
        // Reordering the bands alone would misalign written means/stds, so the fix is offered only without them.
        var fix = input.Means.IsEmpty && input.Stds.IsEmpty ? DiagnosticProperties.ReplaceWith("[" + list + "]") : Helpers.EquatableArray<DiagnosticProperty>.Empty;
        diagnostics.Report(DiagnosticDescriptors.BandOrderDiffersFromPretrained, locations.Find("input", "bands"), fix,
            input.Bands.Count == pretrained.Count ? "the pretrained bands" : $"{input.Bands.Count} of the {pretrained.Count} pretrained bands",
            backbone.Title, string.Join(", ", pretrained), list);
    }
}
