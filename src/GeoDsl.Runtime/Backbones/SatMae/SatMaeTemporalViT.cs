using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Features;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.SatMae;

/// <summary>
/// Hyperparameters of SatMAE's temporal encoder (sustainlab-group/SatMAE <c>models_vit_temporal.py</c> @b182634).
/// Defaults: <c>vit_large_patch16</c> at 224 px on RGB.
/// </summary>
public sealed record SatMaeTemporalViTOptions
{
    public int InChannels { get; init; } = 3;

    public int EmbedDim { get; init; } = 1024;

    public int Depth { get; init; } = 24;

    public int NumHeads { get; init; } = 16;

    public double MlpRatio { get; init; } = 4.0;

    public int PatchSize { get; init; } = 16;

    /// <summary>Declared image size: the grid <c>pos_embed</c> is stored for. Other sizes resample it.</summary>
    public (int Height, int Width) ImageSize { get; init; } = (224, 224);

    /// <summary>
    /// Width of each of the three time encodings (year, month, hour); the reference hard-codes 128, so the position table
    /// has D − 384 channels. Smaller values are for small test models only (no published weights fit them).
    /// </summary>
    public int TimeEmbedDim { get; init; } = 128;

    public IReadOnlyList<int>? OutIndices { get; init; }

    public double DropPathRate { get; init; }

    public int MlpHiddenDim => (int)(EmbedDim * MlpRatio);

    public int PositionDim => EmbedDim - (3 * TimeEmbedDim);

    public (int Rows, int Columns) DeclaredGrid => (ImageSize.Height / PatchSize, ImageSize.Width / PatchSize);

    public IReadOnlyList<int> ResolvedOutIndices =>
        OutIndices is null ? Enumerable.Range(0, Depth).ToArray() : OutIndices.Select(i => i < 0 ? Depth + i : i).ToArray();

    /// <summary>The options for an encoder the front end resolved (catalog descriptor <c>Resolve</c>).</summary>
    public static SatMaeTemporalViTOptions From(SatMaeTemporalArchitecture a) => new()
    {
        InChannels = a.InChannels,
        EmbedDim = a.EmbedDim,
        Depth = a.Depth,
        NumHeads = a.Heads,
        MlpRatio = a.MlpRatio,
        PatchSize = a.Patch,
        ImageSize = (a.ImageHeight, a.ImageWidth),
        OutIndices = a.OutIndices.ToArray(),
        DropPathRate = a.DropPathRate,
    };

    public void Validate()
    {
        var problems = new MaeOptionProblems();
        problems.Transformer(InChannels, Depth, NumHeads, EmbedDim, MlpRatio, MlpHiddenDim, DropPathRate, OutIndices);
        problems.PatchFits(PatchSize, ImageSize);
        problems.Require(TimeEmbedDim >= 2 && TimeEmbedDim % 2 == 0, $"the time encoding width must be even and positive; got {TimeEmbedDim}.");
        problems.Require(PositionDim >= 4 && PositionDim % 4 == 0,
            $"embed_dim − 3·{TimeEmbedDim} must be a positive multiple of 4 (the 2D position table); got {EmbedDim}.");
        problems.ThrowIfAny("SatMAE temporal");
    }
}

/// <summary>
/// SatMAE's temporal encoder (<c>VisionTransformer</c> in sustainlab-group/SatMAE <c>models_vit_temporal.py</c>
/// @b182634): each frame through one shared <c>patch_embed</c>, frames concatenated frame-major; every patch token gets
/// <c>pos_embed</c> (learned, D − 384 channels, shared by the frames) joined with its frame's time encoding (1D sin-cos of
/// year − 2002, month − 1 and hour, 128 channels each, as <c>util/datasets.py</c> parses fMoW timestamps); the class
/// token gets <c>pos_embed</c>'s first row and zeros. timm blocks (LayerNorm eps 1e-6), final <c>norm</c>.
/// </summary>
/// <remarks>
/// Pixels are [B, C, T, H, W] (the reference takes [B, T, C, H, W] and exactly 3 frames; any T works here). Times come
/// in <see cref="BackboneInput.TemporalCoords"/> as [B, T, 3] = (year − 2002, month − 1, hour). Without them the time
/// channels get no encoding (zeros), the way Prithvi skips absent coordinates; the published weights expect them.
/// Output: one tensor per selected block, [B, 1 + T·h·w, D], the last one normed. <c>pos_embed</c> starts as the 2D
/// sin-cos table MAE pretraining fixed it to (the reference fine-tuning model starts it at zero and loads it).
/// </remarks>
public sealed class SatMaeTemporalViT : Backbone<TokenFeatures>
{
    [ComponentName(Name = "cls_token")]
    private Parameter clsToken;

    [ComponentName(Name = "pos_embed")]
    private Parameter posEmbed;

    [ComponentName(Name = "patch_embed")]
    private readonly MaePatchEmbed patchEmbed;

    [ComponentName(Name = "blocks")]
    private readonly ModuleList<TimmBlock> blocks;

    [ComponentName(Name = "norm")]
    private readonly LayerNorm norm;

    private readonly int[] outIndices;
    private readonly string displayName;

    public SatMaeTemporalViT(SatMaeTemporalViTOptions options, string name = "satmae_temporal_vit", Device? device = null, ScalarType? dtype = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        displayName = name;
        outIndices = options.ResolvedOutIndices.ToArray();
        var dim = options.EmbedDim;
        var (rows, columns) = options.DeclaredGrid;

        patchEmbed = new MaePatchEmbed(options.InChannels, dim, options.PatchSize, device, dtype);
        using (var table = MaePositions.TwoDimensional(options.PositionDim, rows, columns, classToken: true))
        using (var cls = torch.empty(1, 1, dim))
        {
            posEmbed = MaePositions.LearnedFrom(table, device, dtype);
            clsToken = MaePositions.LearnedFrom(cls, device, dtype);
        }

        blocks = MaePositions.Blocks(dim, options.Depth, options.NumHeads, options.MlpRatio, options.DropPathRate, 1e-6, device, dtype);
        norm = nn.LayerNorm(dim, eps: 1e-6, device: device, dtype: dtype);
        RegisterComponents();

        MaePositions.InitializeLikeMae(this);
        patchEmbed.InitializeLikeLinear();
        using (torch.no_grad())
        {
            nn.init.normal_(clsToken, 0.0, 0.02);
        }
    }

    public SatMaeTemporalViTOptions Options { get; }

    public IReadOnlyList<int> OutIndices => outIndices;

    public override TokenFeatures forward(BackboneInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = torch.NewDisposeScope();
        var pixels = CheckPixels(input.Pixels);
        var (batch, channels, frames, height, width) = (pixels.shape[0], pixels.shape[1], pixels.shape[2], pixels.shape[3], pixels.shape[4]);
        var grid = ((int)(height / Options.PatchSize), (int)(width / Options.PatchSize));
        var perFrame = (long)grid.Item1 * grid.Item2;

        // [B, C, T, H, W] → frames as batch → [B·T, L, D] → frame-major tokens [B, T·L, D].
        var framesAsBatch = pixels.permute(0, 2, 1, 3, 4).reshape(batch * frames, channels, height, width);
        var tokens = patchEmbed.call(framesAsBatch).reshape(batch, frames * perFrame, Options.EmbedDim);

        var position = MaePositions.Resample(posEmbed, 1, Options.DeclaredGrid, grid);
        var patchPosition = position.narrow(1, 1, perFrame).repeat(1, frames, 1).expand(batch, -1, -1);
        var timeWidth = 3 * Options.TimeEmbedDim;
        var time = input.TemporalCoords is null
            ? torch.zeros(new[] { batch, frames * perFrame, (long)timeWidth }, dtype: tokens.dtype, device: tokens.device)
            : TimeEncoding(input.TemporalCoords, batch, frames).to(tokens.dtype).repeat_interleave(perFrame, dim: 1);
        tokens = tokens + torch.cat(new[] { patchPosition, time }, dim: -1);

        var clsTime = torch.zeros(new[] { 1L, 1, timeWidth }, dtype: tokens.dtype, device: tokens.device);
        var cls = (clsToken + torch.cat(new[] { position.narrow(1, 0, 1), clsTime }, dim: -1)).expand(batch, -1, -1);
        var x = torch.cat(new[] { cls, tokens }, dim: 1);

        var selected = MaePositions.RunBlocks(x, blocks, outIndices, norm);
        MaePositions.KeepOutside(selected);
        return new TokenFeatures(selected, hasClsToken: true, new TokenGrid((int)frames, grid.Item1, grid.Item2));
    }

    /// <summary>
    /// [B, T, 3] (year − 2002, month − 1, hour) → [B, T, 384]: per value a 1D sin-cos table of width 128 computed in
    /// float64, as the reference's <c>get_1d_sincos_pos_embed_from_grid_torch</c> returns <c>.double()</c> before <c>.float()</c>.
    /// </summary>
    public Tensor TimeEncoding(Tensor temporalCoords, long batch, long frames)
    {
        ArgumentNullException.ThrowIfNull(temporalCoords);
        var expected = new[] { batch, frames, 3L };
        if (!temporalCoords.shape.SequenceEqual(expected))
        {
            throw new ArgumentException(
                $"{displayName} expects temporal coordinates [B, T, 3] = [{string.Join(", ", expected)}] holding (year − 2002, month − 1, hour) per frame; " +
                $"got [{string.Join(", ", temporalCoords.shape)}].");
        }

        using var scope = torch.NewDisposeScope();
        var values = temporalCoords.to(ScalarType.Float64).reshape(-1, 3);
        var parts = Enumerable.Range(0, 3)
            .Select(i => SinCosEmbedding.OfPositions(Options.TimeEmbedDim, values.select(1, i)))
            .ToArray();
        return torch.cat(parts, dim: 1).to(ScalarType.Float32).reshape(batch, frames, -1).MoveToOuterDisposeScope();
    }

    private Tensor CheckPixels(Tensor pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        var shape = pixels.shape;
        var patch = Options.PatchSize;
        var ok = shape.Length is 4 or 5 && shape[0] >= 1 && shape[1] == Options.InChannels
            && shape[^2] >= patch && shape[^2] % patch == 0 && shape[^1] >= patch && shape[^1] % patch == 0;
        if (!ok)
        {
            throw new ArgumentException(
                $"{displayName} expects pixels [B, {Options.InChannels}, T, H, W] (or [B, {Options.InChannels}, H, W] for one frame) with H and W " +
                $"multiples of {patch}; got [{string.Join(", ", shape)}].",
                nameof(pixels));
        }

        return shape.Length == 4 ? pixels.unsqueeze(2) : pixels;
    }
}
