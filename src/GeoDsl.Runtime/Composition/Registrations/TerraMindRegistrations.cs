using System;
using System.Linq;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Backbones.TerraMind;

namespace GeoDsl.Runtime.Composition.Registrations;

/// <summary>The TerraMind v1 encoders.</summary>
internal static class TerraMindRegistrations
{
    public static void Add(ComponentFactories entries)
    {
        foreach (var variant in TerraMindVariants.All)
        {
            entries.Add(ComponentKind.Backbone, variant.Name, b =>
            {
                var architecture = ((TerraMindBackbone)b.Descriptor).Resolve(b.Model.Input, b.Args)
                    ?? throw new ArgumentException($"{variant.Name}: the input bands do not split into the modalities {string.Join(", ", b.Args.NameList("modalities"))}.");
                return new TerraMindViT(Options(architecture), variant.Name);
            });
        }
    }

    /// <summary>The runtime options for a TerraMind encoder the front end resolved.</summary>
    public static TerraMindViTOptions Options(TerraMindArchitecture a) => new()
    {
        Modalities = a.Modalities.Select(m => new TerraMindModalityOptions(m.Name, m.Key, m.Channels)).ToArray(),
        Dim = a.Dim,
        EncoderDepth = a.Depth,
        NumHeads = a.Heads,
        MlpRatio = a.MlpRatio,
        QkvBias = a.QkvBias,
        ProjBias = a.ProjBias,
        MlpBias = a.MlpBias,
        GatedMlp = a.GatedMlp,
        PatchSize = a.Patch,
        ImgSize = a.ImgSize,
        MergeMethod = a.MergeMethod,
        DropPathRate = a.DropPathRate,
    };
}
