using GeoDsl.Runtime.Backbones;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones;

/// <summary>Small and real-size Prithvi configurations for the tests.</summary>
internal static class PrithviTestModels
{
    /// <summary>A tiny encoder: 3 bands, 2 frames of 8×8 px, patch 1×4×4 → grid 2×2×2, D = 32, 2 blocks.</summary>
    public static PrithviViTOptions Tiny(int depth = 2) => new()
    {
        InChannels = 3,
        EmbedDim = 32,
        Depth = depth,
        NumHeads = 2,
        MlpRatio = 4,
        PatchSize = (1, 4, 4),
        NumFrames = 2,
        ImageSize = (8, 8),
    };

    /// <summary>The tiny encoder with the temporal and location encoders and learned scales (a "TL" variant).</summary>
    public static PrithviViTOptions TinyTl(int depth = 2) =>
        Tiny(depth) with { TimeEncoding = true, LocationEncoding = true, CoordsScaleLearn = true };

    /// <summary>Real patch and image sizes with a narrow, shallow transformer, for token counts at real resolutions.</summary>
    public static PrithviViTOptions NarrowAtRealSize(int patch, int frames) => new()
    {
        InChannels = 6,
        EmbedDim = 32,
        Depth = 1,
        NumHeads = 2,
        PatchSize = (1, patch, patch),
        NumFrames = frames,
        ImageSize = (224, 224),
    };

    // Published encoders, as TerraTorch's prithvi_cfgs sets them (terratorch/models/backbones/prithvi_vit.py),
    // with 6 bands and 1 frame (what _create_prithvi passes by default).
    public static PrithviViTOptions EoV1100 => new() { EmbedDim = 768, Depth = 12, NumHeads = 12 };

    public static PrithviViTOptions EoV2300 => new() { EmbedDim = 1024, Depth = 24, NumHeads = 16 };

    public static PrithviViTOptions EoV2600 => new() { EmbedDim = 1280, Depth = 32, NumHeads = 16, PatchSize = (1, 14, 14) };

    public static PrithviViTOptions EoTiny => new() { EmbedDim = 256, Depth = 4, NumHeads = 4 };

    public static PrithviViTOptions EoV2TinyTl => new()
    {
        EmbedDim = 192, Depth = 12, NumHeads = 3, TimeEncoding = true, LocationEncoding = true, CoordsScaleLearn = true,
    };

    public static PrithviViTOptions WithTl(this PrithviViTOptions options) =>
        options with { TimeEncoding = true, LocationEncoding = true, CoordsScaleLearn = true };

    public static long LearnableParameterCount(this nn.Module module) =>
        module.parameters().Where(p => p.requires_grad).Sum(p => p.numel());

    public static Tensor Pixels(long batch, long channels, long frames, long height, long width, int seed = 1)
    {
        var generator = new Generator((ulong)seed);
        return torch.randn(new[] { batch, channels, frames, height, width }, generator: generator);
    }

    public static float MaxAbsDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();
}
