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

namespace GeoDsl.Runtime.Backbones.Ssl4eo;

/// <summary>
/// Hyperparameters of an SSL4EO ViT (timm <c>vit_small_patch16_224</c>: 384/12/6, patch 16, mlp 4, qkv bias,
/// LayerNorm eps 1e-6). <see cref="InChannels"/> is the sensor's band count (13 for Sentinel-2 L1C).
/// </summary>
public sealed record Ssl4eoViTOptions
{
    public int InChannels { get; init; } = 13;

    public int EmbedDim { get; init; } = 384;

    public int Depth { get; init; } = 12;

    public int NumHeads { get; init; } = 6;

    public double MlpRatio { get; init; } = 4.0;

    public int PatchSize { get; init; } = 16;

    /// <summary>Declared image size (timm <c>img_size</c>): the grid the learned <c>pos_embed</c> is stored for. Other sizes resample it.</summary>
    public (int Height, int Width) ImageSize { get; init; } = (224, 224);

    /// <summary>timm's <c>drop_path_rate</c>: stochastic depth of the last block, rising linearly from 0.</summary>
    public double DropPathRate { get; init; }

    public int MlpHiddenDim => (int)(EmbedDim * MlpRatio);

    public (int Rows, int Columns) DeclaredGrid => (ImageSize.Height / PatchSize, ImageSize.Width / PatchSize);

    /// <summary>The options for an encoder the front end resolved (catalog descriptor <c>Resolve</c>).</summary>
    public static Ssl4eoViTOptions From(Ssl4eoViTArchitecture a) => new()
    {
        InChannels = a.InChannels,
        EmbedDim = a.EmbedDim,
        Depth = a.Depth,
        NumHeads = a.Heads,
        MlpRatio = a.MlpRatio,
        PatchSize = a.Patch,
        ImageSize = (a.ImageHeight, a.ImageWidth),
        DropPathRate = a.DropPathRate,
    };

    public void Validate()
    {
        var problems = new MaeOptionProblems();
        problems.Transformer(InChannels, Depth, NumHeads, EmbedDim, MlpRatio, MlpHiddenDim, DropPathRate, outIndices: null);
        problems.PatchFits(PatchSize, ImageSize);
        problems.ThrowIfAny("SSL4EO ViT");
    }
}

/// <summary>
/// The SSL4EO ViT-S/16 encoder as TerraTorch runs it: timm's <c>VisionTransformer</c> (module names
/// <c>cls_token</c>, <c>pos_embed</c>, <c>patch_embed.proj</c>, <c>blocks.N</c>, <c>norm</c>, as in torchgeo's published
/// weights) called through <c>forward_intermediates(x, intermediates_only=True)</c>
/// (<c>terratorch/models/backbones/torchgeo_vit.py</c> @dceebf0; timm <c>vision_transformer.py</c>).
/// </summary>
/// <remarks>
/// Output: every block's tokens without the class token and without the final norm, reshaped to channel-first maps
/// [B, D, H/16, W/16], 12 in all. The learned <c>pos_embed</c> is stored for the declared size; other sizes resample its
/// patch rows bicubically (timm's <c>resample_abs_pos_embed</c>, as with <c>dynamic_img_size</c>; TerraTorch itself only
/// runs at the size the model was built for). <c>norm</c> is in the state dict and unused here. No classifier head:
/// TerraTorch's model has timm's 1000-class <c>head</c>, which its wrapper never calls.
/// </remarks>
public sealed class Ssl4eoViT : Backbone<MapFeatures>
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

    private readonly int[] allBlocks;
    private readonly string displayName;

    public Ssl4eoViT(Ssl4eoViTOptions options, string name = "ssl4eo_vit_small_patch16_224", Device? device = null, ScalarType? dtype = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        displayName = name;
        allBlocks = Enumerable.Range(0, options.Depth).ToArray();
        var dim = options.EmbedDim;
        var (rows, columns) = options.DeclaredGrid;

        patchEmbed = new MaePatchEmbed(options.InChannels, dim, options.PatchSize, device, dtype);
        using (var cls = torch.empty(1, 1, dim))
        using (var position = torch.empty(1, 1 + (rows * columns), dim))
        {
            clsToken = MaePositions.LearnedFrom(cls, device, dtype);
            posEmbed = MaePositions.LearnedFrom(position, device, dtype);
        }

        blocks = MaePositions.Blocks(dim, options.Depth, options.NumHeads, options.MlpRatio, options.DropPathRate, 1e-6, device, dtype);
        norm = nn.LayerNorm(dim, eps: 1e-6, device: device, dtype: dtype);
        RegisterComponents();
        InitializeLikeTimm();
    }

    public Ssl4eoViTOptions Options { get; }

    /// <summary>Encodes pixels [B, C, H, W] (or [B, C, 1, H, W]) into one [B, D, H/16, W/16] map per block.</summary>
    public override MapFeatures forward(BackboneInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = torch.NewDisposeScope();
        var pixels = MaePositions.SingleImage(input.Pixels, Options.InChannels, Options.PatchSize, displayName);
        var batch = pixels.shape[0];
        var grid = ((int)(pixels.shape[2] / Options.PatchSize), (int)(pixels.shape[3] / Options.PatchSize));

        var tokens = patchEmbed.call(pixels);
        var x = torch.cat(new[] { clsToken.expand(batch, -1, -1), tokens }, dim: 1)
            + MaePositions.Resample(posEmbed, 1, Options.DeclaredGrid, grid);

        var perBlock = MaePositions.RunBlocks(x, blocks, allBlocks, normAfterLast: null);
        var maps = perBlock
            .Select(t => t.narrow(1, 1, t.shape[1] - 1).reshape(batch, grid.Item1, grid.Item2, -1).permute(0, 3, 1, 2).contiguous())
            .ToArray();
        MaePositions.KeepOutside(maps);
        return new MapFeatures(maps);
    }

    private void InitializeLikeTimm()
    {
        // timm's init_weights ('' mode): trunc_normal_(std=.02) on pos_embed and Linear weights (cut at ±2, i.e. ±100σ,
        // so effectively normal), zero Linear biases, normal_(std=1e-6) on cls_token; LayerNorm and the Conv2d keep
        // their defaults.
        using var guard = torch.no_grad();
        nn.init.normal_(posEmbed, 0.0, 0.02);
        nn.init.normal_(clsToken, 0.0, 1e-6);
        foreach (var module in modules())
        {
            if (module is Linear linear)
            {
                nn.init.normal_(linear.weight!, 0.0, 0.02);
                if (linear.bias is not null)
                {
                    nn.init.zeros_(linear.bias);
                }
            }
        }
    }
}
