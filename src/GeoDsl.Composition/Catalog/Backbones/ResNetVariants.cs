using System;
using System.Collections.Generic;
using System.Linq;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>The two residual blocks of torchvision's ResNets.</summary>
public enum ResNetBlock
{
    /// <summary>Two 3×3 convolutions (ResNet-18/34); expansion 1.</summary>
    Basic,

    /// <summary>1×1 → 3×3 (stride here, "ResNet v1.5") → 1×1 convolutions (ResNet-50/101/152); expansion 4.</summary>
    Bottleneck,
}

/// <summary>Which published weights <c>pretrained = true</c> refers to.</summary>
public enum ResNetWeights
{
    /// <summary>torchvision's ImageNet-1k weights (RGB).</summary>
    ImageNet,

    /// <summary>SatlasPretrain (allenai/satlaspretrain_models), as torchgeo re-publishes them in timm layout.</summary>
    Satlas,

    /// <summary>SSL4EO-S12 (zhu-xlab/SSL4EO-S12, DeCUR), as torchgeo publishes them.</summary>
    Ssl4eoS12,

    /// <summary>SSL4EO-L (torchgeo, arXiv 2306.09424).</summary>
    Ssl4eoL,
}

/// <summary>One ResNet catalog entry.</summary>
/// <param name="Name">The registry name (TerraTorch's where it has one).</param>
/// <param name="Depth">18, 34, 50, 101 or 152.</param>
/// <param name="PretrainedBands">The bands the published weights were trained on, in order (canonical names).</param>
/// <param name="Weights">Whose weights <c>pretrained</c> loads.</param>
/// <param name="MultiImage">Satlas multi-image weights: each image of [B, C, T, H, W] is encoded and the features are max-pooled over T.</param>
/// <param name="LastLevelByDefault">TerraTorch's torchgeo wrapper returns only the last level unless <c>out_indices</c> says otherwise.</param>
/// <param name="DefaultImageSize">The size the weights were trained at (the default input size).</param>
/// <param name="Source">Where the entry and its numbers come from.</param>
public sealed record ResNetVariant(
    string Name,
    int Depth,
    IReadOnlyList<string> PretrainedBands,
    ResNetWeights Weights,
    bool MultiImage,
    bool LastLevelByDefault,
    int DefaultImageSize,
    string Source)
{
    public ResNetBlock Block => ResNetVariants.BlockOf(Depth);

    /// <summary>Residual blocks per stage (layer1..layer4).</summary>
    public IReadOnlyList<int> Layers => ResNetVariants.LayersOf(Depth);
}

/// <summary>
/// The ResNet entries of the catalog: torchvision's generic ResNets, and the torchgeo-weighted ResNets TerraTorch
/// registers (Satlas, SSL4EO-S12, SSL4EO-L). Names and weights as IBM/terratorch
/// <c>terratorch/models/backbones/torchgeo_resnet.py</c> @42f140dd registers them; bands from microsoft/torchgeo
/// <c>torchgeo/models/resnet.py</c> @f10de3c (<c>ResNet18/50/152_Weights</c> meta) and <c>torchgeo/models/swin.py</c>
/// @9d31955 (<c>_satlas_bands</c>, <c>_satlas_sentinel2_bands</c>).
/// </summary>
public static class ResNetVariants
{
    private const string Torchvision = "torchvision torchvision/models/resnet.py; ImageNet-1k weights";
    private const string TerraTorch = "TerraTorch torchgeo_resnet.py @42f140dd; weights torchgeo resnet.py @f10de3c";

    /// <summary>Satlas Sentinel-2 RGB: B04, B03, B02 (torchgeo <c>_satlas_bands</c>).</summary>
    public static IReadOnlyList<string> SatlasRgb { get; } = new[] { "RED", "GREEN", "BLUE" };

    /// <summary>Satlas Sentinel-2 multispectral: B04, B03, B02, B05, B06, B07, B08, B11, B12 (torchgeo <c>_satlas_sentinel2_bands</c>).</summary>
    public static IReadOnlyList<string> SatlasMultispectral { get; } = new[]
    {
        "RED", "GREEN", "BLUE", "RED_EDGE_1", "RED_EDGE_2", "RED_EDGE_3", "NIR_BROAD", "SWIR_1", "SWIR_2",
    };

    /// <summary>ImageNet RGB, the order torchvision's weights expect.</summary>
    public static IReadOnlyList<string> ImageNetRgb { get; } = new[] { "RED", "GREEN", "BLUE" };

    public static IReadOnlyList<ResNetVariant> All { get; } = Build().ToList();

    public static ResNetBlock BlockOf(int depth) => depth is 18 or 34 ? ResNetBlock.Basic : ResNetBlock.Bottleneck;

    /// <summary>Blocks per stage, as torchvision's <c>resnet18</c> … <c>resnet152</c> build them.</summary>
    public static IReadOnlyList<int> LayersOf(int depth) => depth switch
    {
        18 => new[] { 2, 2, 2, 2 },
        34 => new[] { 3, 4, 6, 3 },
        50 => new[] { 3, 4, 6, 3 },
        101 => new[] { 3, 4, 23, 3 },
        152 => new[] { 3, 8, 36, 3 },
        _ => throw new ArgumentOutOfRangeException(nameof(depth), depth, "ResNet depth is 18, 34, 50, 101 or 152."),
    };

    private static IEnumerable<ResNetVariant> Build()
    {
        foreach (int depth in new[] { 18, 50, 101 })
        {
            yield return new ResNetVariant($"resnet{depth}", depth, ImageNetRgb, ResNetWeights.ImageNet, MultiImage: false, LastLevelByDefault: false, 224, Torchvision);
        }

        // SatlasPretrain: TerraTorch registers the ResNet-152 multi-image entries without the "_satlas" suffix.
        // Train/eval crops are 256 px (torchgeo _satlas_transforms: CenterCrop(256)).
        foreach (int depth in new[] { 50, 152 })
        {
            foreach (bool multi in new[] { false, true })
            {
                foreach (bool multispectral in new[] { false, true })
                {
                    string suffix = depth == 152 && multi ? string.Empty : "_satlas";
                    string name = $"satlas_resnet{depth}_sentinel2_{(multi ? "mi" : "si")}_{(multispectral ? "ms" : "rgb")}{suffix}";
                    yield return new ResNetVariant(name, depth, multispectral ? SatlasMultispectral : SatlasRgb, ResNetWeights.Satlas, multi, LastLevelByDefault: true, 256,
                        TerraTorch + $"; ResNet{depth}_Weights.SENTINEL2_{(multi ? "MI" : "SI")}_{(multispectral ? "MS" : "RGB")}_SATLAS");
                }
            }
        }

        // SSL4EO-S12: 224 px crops (torchgeo _ssl4eo_s12_transforms_*: CenterCrop(224)).
        var s12 = new (int Depth, string Data, string Method, string Sensor)[]
        {
            (18, "sentinel2_all", "moco", "s2_l1c"),
            (18, "sentinel2_rgb", "moco", "s2_rgb"),
            (50, "sentinel1_all", "decur", "s1"),
            (50, "sentinel1_all", "moco", "s1"),
            (50, "sentinel2_all", "decur", "s2_l1c"),
            (50, "sentinel2_all", "dino", "s2_l1c"),
            (50, "sentinel2_all", "moco", "s2_l1c"),
            (50, "sentinel2_rgb", "moco", "s2_rgb"),
        };
        foreach (var (depth, data, method, sensor) in s12)
        {
            yield return new ResNetVariant($"ssl4eos12_resnet{depth}_{data}_{method}", depth, SensorBands(sensor), ResNetWeights.Ssl4eoS12, MultiImage: false, LastLevelByDefault: true, 224,
                TerraTorch + $"; ResNet{depth}_Weights.{data.ToUpperInvariant()}_{method.ToUpperInvariant()}");
        }

        // SSL4EO-L: 224 px crops (torchgeo _ssl4eo_l_transforms). torchgeo's ResNet50 LANDSAT_ETM_SR_* meta says
        // 'resnet18' (backbone-facts Pitfall 10); TerraTorch builds ResNet-50 for them, and so does GeoDsl.
        foreach (int depth in new[] { 18, 50 })
        {
            foreach (string product in new[] { "tm_toa", "etm_toa", "etm_sr", "oli_tirs_toa", "oli_sr" })
            {
                foreach (string method in new[] { "moco", "simclr" })
                {
                    yield return new ResNetVariant($"ssl4eol_resnet{depth}_landsat_{product}_{method}", depth, SensorBands("landsat_" + product), ResNetWeights.Ssl4eoL,
                        MultiImage: false, LastLevelByDefault: true, 224, TerraTorch + $"; ResNet{depth}_Weights.LANDSAT_{product.ToUpperInvariant()}_{method.ToUpperInvariant()}");
                }
            }
        }
    }

    private static IReadOnlyList<string> SensorBands(string sensor) =>
        Bands.FindSensor(sensor)?.Bands ?? throw new InvalidOperationException($"Bands.Sensors has no '{sensor}'.");
}
