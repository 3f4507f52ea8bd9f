using System;
using System.IO;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Backbones.VisionTransformer;
using GeoDsl.Runtime.Composition;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.HuggingFace;

namespace GeoDsl.CustomBackbone;

/// <summary>
/// A vision encoder brought in from a Hugging Face config, registered as the backbone <c>earth_vit_tiny</c>: the config
/// maps onto the catalog's torchvision ViT (hidden_size 64, 4 layers, 4 heads, MLP 128, 8-pixel patches, 6 bands) and
/// the checkpoint beside it loads with Hugging Face's key names. The attribute is its contract: the front end checks
/// models against it, and its first forward pass is checked against the tensors it really returns.
/// </summary>
[GeoCustomBackbone("earth_vit_tiny",
    Bands = new[] { "BLUE", "GREEN", "RED", "NIR_NARROW", "SWIR_1", "SWIR_2" },
    Output = FeatureKinds.Tokens, TokenWidth = 64, PatchSize = 8, TokenOutputs = 4, ClsToken = true, DefaultSize = 64,
    Parameters = 162_880,
    Summary = "Six-band ViT-Tiny-class encoder imported from earth-vit-tiny/config.json.")]
public sealed class EarthVitEncoder : Backbone<TokenFeatures>
{
    /// <summary>The Hugging Face folder (config.json, model.safetensors) beside the program.</summary>
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "earth-vit-tiny");

    private readonly TorchvisionViT vit;

    public EarthVitEncoder(ComponentBuild build)
        : base(nameof(EarthVitEncoder))
    {
        var config = HuggingFaceConfig.Read(Folder);
        var import = HuggingFaceImport.Import(config, new HuggingFaceImportOptions { Bands = build.Model.Input.Bands });

        // The imported model names the catalog's ViT with the config's sizes; build that ViT for this model's input.
        var spec = ModelSpecs.Parse(import.ModelText, Path.Combine(Folder, "config.json"));
        var catalogViT = (VisionTransformerBackbone)ComponentCatalog.Default.FindBackbone(spec.Backbone.Name)!;
        vit = new TorchvisionViT(TorchvisionViTOptions.From(catalogViT.Resolve(build.Model.Input, spec.Backbone.Args)));
        RegisterComponents();

        if (File.Exists(Path.Combine(Folder, "model.safetensors")))
        {
            LoadReport = HuggingFaceWeights.Load(vit, Folder, config);
        }
    }

    /// <summary>What loading the Hugging Face checkpoint did (null when there was none).</summary>
    public HuggingFaceLoadReport? LoadReport { get; }

    public override TokenFeatures forward(BackboneInput input) => vit.call(input);
}
