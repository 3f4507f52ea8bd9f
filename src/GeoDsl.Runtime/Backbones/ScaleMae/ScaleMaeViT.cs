using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Backbones.SatMae;
using GeoDsl.Runtime.Features;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.ScaleMae;

/// <summary>
/// Hyperparameters of a Scale-MAE encoder (TerraTorch <c>terratorch/models/backbones/scalemae.py</c> @24465ea).
/// Defaults: <c>vit_large_patch16</c>, RGB, <c>default_input_res</c> 1 m, <c>out_indices</c> [-1].
/// </summary>
public sealed record ScaleMaeViTOptions
{
    public int InChannels { get; init; } = 3;

    public int EmbedDim { get; init; } = 1024;

    public int Depth { get; init; } = 24;

    public int NumHeads { get; init; } = 16;

    public double MlpRatio { get; init; } = 4.0;

    public int PatchSize { get; init; } = 16;

    /// <summary>Ground sample distance in metres that scales the position grid (TerraTorch <c>default_input_res</c>, torchgeo <c>res</c>).</summary>
    public double Res { get; init; } = 1.0;

    /// <summary>Blocks whose outputs are returned, negative from the end; null = [-1] (TerraTorch's default).</summary>
    public IReadOnlyList<int>? OutIndices { get; init; }

    public double DropPathRate { get; init; }

    public int MlpHiddenDim => (int)(EmbedDim * MlpRatio);

    public IReadOnlyList<int> ResolvedOutIndices => (OutIndices ?? new[] { -1 }).Select(i => i < 0 ? Depth + i : i).ToArray();

    /// <summary>The options for an encoder the front end resolved (catalog descriptor <c>Resolve</c>).</summary>
    public static ScaleMaeViTOptions From(ScaleMaeArchitecture a) => new()
    {
        InChannels = a.InChannels,
        EmbedDim = a.EmbedDim,
        Depth = a.Depth,
        NumHeads = a.Heads,
        MlpRatio = a.MlpRatio,
        PatchSize = a.Patch,
        Res = a.Res,
        OutIndices = a.OutIndices.ToArray(),
        DropPathRate = a.DropPathRate,
    };

    public void Validate()
    {
        var problems = new MaeOptionProblems();
        problems.Transformer(InChannels, Depth, NumHeads, EmbedDim, MlpRatio, MlpHiddenDim, DropPathRate, OutIndices);
        problems.Require(EmbedDim >= 4 && EmbedDim % 4 == 0, $"embed_dim must be a positive multiple of 4 (the 2D sin-cos table); got {EmbedDim}.");
        problems.Require(PatchSize >= 1, $"patch_size must be positive; got {PatchSize}.");
        problems.Require(Res > 0 && double.IsFinite(Res), $"res must be a positive number of metres; got {Res}.");
        problems.ThrowIfAny("Scale-MAE");
    }
}

/// <summary>
/// Scale-MAE's encoder as TerraTorch wraps it (<c>VisionTransformer</c> in <c>terratorch/models/backbones/scalemae.py</c>
/// @24465ea, adapted from bair-climate-initiative/scale-mae <c>models_vit.py</c>): timm ViT modules (<c>cls_token</c>,
/// <c>patch_embed.proj</c>, <c>blocks</c>, <c>norm</c>, LayerNorm eps 1e-6) with a position embedding recomputed per
/// input from the patch grid scaled by the ground sample distance.
/// </summary>
/// <remarks>
/// <para>Position embedding (<c>get_2d_sincos_pos_embed_with_resolution</c>, float32): for patch (row i, column j) the
/// first D/2 channels are the 1D sin-cos code of j·res and the last D/2 of i·res; the class token's row is zero. The grid
/// is √N × √N, so only square inputs are accepted.</para>
/// <para>Output: the tokens of each <c>out_indices</c> block, [B, 1 + N, D], class token first, without the final norm
/// (TerraTorch's forward never applies <c>norm</c>). <c>pos_embed</c> [1, 197, D] is a buffer kept for state-dict
/// parity with TerraTorch, where it is timm's parameter with <c>requires_grad = False</c> and is never read; it holds the
/// res-1 table of a 14 × 14 grid until a checkpoint overwrites it.</para>
/// </remarks>
public sealed class ScaleMaeViT : Backbone<TokenFeatures>
{
    /// <summary>Rows of the unused timm <c>pos_embed</c>: timm's defaults img_size 224 and patch 16 give 1 + 14².</summary>
    public const int UnusedPosEmbedTokens = 1 + (14 * 14);

    [ComponentName(Name = "cls_token")]
    private Parameter clsToken;

    [ComponentName(Name = "pos_embed")]
    private Tensor posEmbed;

    [ComponentName(Name = "patch_embed")]
    private readonly MaePatchEmbed patchEmbed;

    [ComponentName(Name = "blocks")]
    private readonly ModuleList<TimmBlock> blocks;

    [ComponentName(Name = "norm")]
    private readonly LayerNorm norm;

    private readonly Dictionary<(int Grid, DeviceType Device, int Index, ScalarType Type), Tensor> positionCache = new();
    private readonly int[] outIndices;
    private readonly string displayName;

    public ScaleMaeViT(ScaleMaeViTOptions options, string name = "scalemae_vit", Device? device = null, ScalarType? dtype = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        displayName = name;
        outIndices = options.ResolvedOutIndices.ToArray();
        var dim = options.EmbedDim;

        patchEmbed = new MaePatchEmbed(options.InChannels, dim, options.PatchSize, device, dtype);
        using (var cls = torch.empty(1, 1, dim))
        {
            clsToken = MaePositions.LearnedFrom(cls, device, dtype);
        }

        using (torch.no_grad())
        using (var table = PositionEmbedding(dim, 14, 1.0, torch.CPU))
        {
            posEmbed = table.to(dtype ?? torch.get_default_dtype(), device ?? torch.CPU).DetachFromDisposeScope();
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

    public ScaleMaeViTOptions Options { get; }

    public IReadOnlyList<int> OutIndices => outIndices;

    /// <summary>Encodes square pixels [B, C, S, S] (or [B, C, 1, S, S]); S a multiple of the patch.</summary>
    public override TokenFeatures forward(BackboneInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = torch.NewDisposeScope();
        var pixels = MaePositions.SingleImage(input.Pixels, Options.InChannels, Options.PatchSize, displayName);
        if (pixels.shape[2] != pixels.shape[3])
        {
            throw new ArgumentException(
                $"{displayName} needs square images: Scale-MAE lays the patches on a √N × √N grid; got {pixels.shape[2]}×{pixels.shape[3]}.",
                nameof(input));
        }

        var batch = pixels.shape[0];
        var grid = (int)(pixels.shape[2] / Options.PatchSize);
        var tokens = patchEmbed.call(pixels);
        var cls = clsToken.expand(batch, -1, -1);
        var x = torch.cat(new[] { cls, tokens }, dim: 1) + PositionEmbeddingFor(grid, tokens.dtype, tokens.device);

        var selected = MaePositions.RunBlocks(x, blocks, outIndices, normAfterLast: null);
        MaePositions.KeepOutside(selected);
        return new TokenFeatures(selected, hasClsToken: true, new TokenGrid(1, grid, grid));
    }

    /// <summary>
    /// Scale-MAE's table [1, 1 + g², dim] for a g × g grid at ground sample distance <paramref name="res"/>, computed in
    /// float32 on <paramref name="device"/> as the reference does (positions = index · res; the class token's row is zero).
    /// </summary>
    public static Tensor PositionEmbedding(int dim, int grid, double res, Device device)
    {
        if (dim <= 0 || dim % 4 != 0)
        {
            throw new ArgumentException($"A 2D sin-cos embedding needs a width that is a multiple of 4; got {dim}.", nameof(dim));
        }

        using var scope = torch.NewDisposeScope();
        var steps = torch.arange(grid, dtype: ScalarType.Float32, device: device) * (float)res;
        var columns = steps.repeat(grid);              // j·res for token (i, j), row-major
        var rows = steps.repeat_interleave(grid);      // i·res
        var half = dim / 2;
        var table = torch.cat(new[] { SinCosEmbedding.OfPositions(half, columns), SinCosEmbedding.OfPositions(half, rows) }, dim: 1);
        var withClass = torch.cat(new[] { torch.zeros(1, dim, dtype: ScalarType.Float32, device: device), table }, dim: 0);
        return withClass.unsqueeze(0).MoveToOuterDisposeScope();
    }

    /// <summary>The table for a g × g grid at this model's res, cached per grid, device and dtype; owned by the model.</summary>
    public Tensor PositionEmbeddingFor(int grid, ScalarType dtype, Device device)
    {
        var key = (grid, device.type, device.index, dtype);
        if (positionCache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        Tensor result;
        using (torch.no_grad())
        using (var table = PositionEmbedding(Options.EmbedDim, grid, Options.Res, device))
        {
            result = table.to(dtype).DetachFromDisposeScope();
        }

        positionCache[key] = result;
        return result;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var t in positionCache.Values)
            {
                t.Dispose();
            }

            positionCache.Clear();
        }

        base.Dispose(disposing);
    }
}
