using System;
using GeoDsl.Composition.Catalog.VisionTowers;
using GeoDsl.Runtime.Backbones;
using GeoDsl.Runtime.LanguageModels;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.VisionTowers;

/// <summary>
/// InternViT (OpenGVLab's <c>InternVisionModel</c>, modeling_intern_vit.py) built from a catalog
/// <see cref="VisionTowerConfig"/>: a patch-embedding convolution, a class token and learned position embeddings
/// (bicubically resized for tiles of another size), then pre-norm blocks with layer scale. The 300M towers use
/// LayerNorm; the 6B tower RMSNorm and RMS q/k normalisation over the full width. State-dict names are the
/// checkpoint's: <c>embeddings.class_embedding</c>, <c>embeddings.patch_embedding.weight</c>,
/// <c>embeddings.position_embedding</c>, <c>encoder.layers.N.attn.qkv.weight</c>, <c>….attn.proj</c>,
/// <c>….attn.q_norm</c>/<c>k_norm</c> (6B), <c>….mlp.fc1</c>/<c>fc2</c>, <c>….norm1</c>/<c>norm2</c>,
/// <c>….ls1</c>/<c>ls2</c>; InternVL puts the whole tower under <c>vision_model.</c>. The output is the last block's
/// tokens, class token first, with no final norm (select_layer −1).
/// </summary>
public sealed class InternVisionModel : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "embeddings")]
    private readonly InternVisionEmbeddings embeddings;

    [ComponentName(Name = "encoder")]
    private readonly InternVisionEncoder encoder;

    /// <param name="config">The catalog tower; it must be InternViT-shaped (class token, learned positions, GELU MLP, one frame).</param>
    /// <param name="layerScaleInit">The initial layer-scale value (InternVisionConfig.initializer_factor).</param>
    /// <param name="normEps">layer_norm_eps of the config (1e-6 for InternViT).</param>
    public InternVisionModel(VisionTowerConfig config, double layerScaleInit = 1.0, double normEps = 1e-6, Device? device = null, ScalarType? dtype = null)
        : base(nameof(InternVisionModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.ClassToken || !config.LearnedPositions || config.TemporalPatch != 1 || config.Mlp != TowerMlp.Gelu || config.FinalNorm)
        {
            throw new ArgumentException(
                $"Vision tower `{config.Name}` is not InternViT-shaped (InternViT has a class token, learned positions, a 2-D patch embedding, a GELU MLP "
                + "and no final norm); the InternViT runtime builds intern_vit_300m_448px, intern_vit_300m_448px_v2_5 and intern_vit_6b_448px_v1_5.",
                nameof(config));
        }

        if (config.Width % config.Heads != 0)
        {
            throw new ArgumentException($"Vision tower `{config.Name}`: width {config.Width} is not a multiple of its {config.Heads} heads.", nameof(config));
        }

        Config = config;
        embeddings = new InternVisionEmbeddings(config, device, dtype);
        encoder = new InternVisionEncoder(config, layerScaleInit, normEps, device, dtype);
        RegisterComponents();
    }

    public VisionTowerConfig Config { get; }

    /// <summary>[tiles, 3, H, W] pixels → [tiles, 1 + (H/p)·(W/p), width] tokens.</summary>
    public override Tensor forward(Tensor pixelValues)
    {
        if (pixelValues.dim() != 4 || pixelValues.shape[1] != 3)
        {
            throw new ArgumentException($"InternViT takes [tiles, 3, H, W] pixel values; got [{string.Join(", ", pixelValues.shape)}].", nameof(pixelValues));
        }

        return encoder.call(embeddings.call(pixelValues));
    }
}

/// <summary>InternViT's <c>embeddings</c>: <c>class_embedding</c>, <c>patch_embedding</c> (a Conv2d), <c>position_embedding</c>.</summary>
public sealed class InternVisionEmbeddings : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "class_embedding")]
    private readonly Parameter classEmbedding;

    [ComponentName(Name = "patch_embedding")]
    private readonly Conv2d patchEmbedding;

    [ComponentName(Name = "position_embedding")]
    private readonly Parameter positionEmbedding;

    private readonly int declaredGrid;

    public InternVisionEmbeddings(VisionTowerConfig config, Device? device = null, ScalarType? dtype = null)
        : base(nameof(InternVisionEmbeddings))
    {
        declaredGrid = config.Grid(config.ImageSize);
        patchEmbedding = nn.Conv2d(3, config.Width, config.PatchSize, stride: config.PatchSize, bias: config.PatchBias, device: device, dtype: dtype);
        classEmbedding = new Parameter(torch.randn(new long[] { 1, 1, config.Width }, dtype: dtype, device: device), requires_grad: true);
        positionEmbedding = new Parameter(
            torch.randn(new long[] { 1, config.Tokens(config.ImageSize), config.Width }, dtype: dtype, device: device), requires_grad: true);
        RegisterComponents();
    }

    public override Tensor forward(Tensor pixelValues)
    {
        var patches = patchEmbedding.call(pixelValues);
        var batch = patches.shape[0];
        var rows = patches.shape[2];
        var columns = patches.shape[3];
        var tokens = patches.flatten(2).transpose(1, 2);
        var classTokens = classEmbedding.expand(batch, 1, -1).to(tokens.dtype);
        var positions = torch.cat(new[] { positionEmbedding[.., ..1, ..], GridPositions(rows, columns) }, dim: 1);
        return torch.cat(new[] { classTokens, tokens }, dim: 1) + positions.to(tokens.dtype);
    }

    // The learned grid, resized bicubically (align_corners = false, in float32) when a tile gives another grid, as InternViT does.
    private Tensor GridPositions(long rows, long columns)
    {
        var grid = positionEmbedding[.., 1.., ..];
        if (rows == declaredGrid && columns == declaredGrid)
        {
            return grid;
        }

        var width = grid.shape[2];
        var image = grid.to(ScalarType.Float32).reshape(1, declaredGrid, declaredGrid, width).permute(0, 3, 1, 2);
        var resized = nn.functional.interpolate(image, new[] { rows, columns }, mode: InterpolationMode.Bicubic, align_corners: false);
        return resized.reshape(1, width, rows * columns).permute(0, 2, 1).to(grid.dtype);
    }
}

/// <summary>InternViT's <c>encoder</c>: the <c>layers</c> list.</summary>
public sealed class InternVisionEncoder : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "layers")]
    private readonly ModuleList<InternVisionEncoderLayer> layers;

    public InternVisionEncoder(VisionTowerConfig config, double layerScaleInit, double normEps, Device? device = null, ScalarType? dtype = null)
        : base(nameof(InternVisionEncoder))
    {
        var blocks = new InternVisionEncoderLayer[config.Layers];
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i] = new InternVisionEncoderLayer(config, layerScaleInit, normEps, device, dtype);
        }

        layers = nn.ModuleList(blocks);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        foreach (var layer in layers)
        {
            x = layer.call(x);
        }

        return x;
    }
}

/// <summary>One InternViT block: x + ls1·attn(norm1(x)), then x + ls2·mlp(norm2(x)).</summary>
public sealed class InternVisionEncoderLayer : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "attn")]
    private readonly InternAttention attn;

    [ComponentName(Name = "mlp")]
    private readonly TimmMlp mlp; // InternMLP is timm's: fc1 → exact GELU → fc2, the same names

    [ComponentName(Name = "norm1")]
    private readonly nn.Module<Tensor, Tensor> norm1;

    [ComponentName(Name = "norm2")]
    private readonly nn.Module<Tensor, Tensor> norm2;

    [ComponentName(Name = "ls1")]
    private readonly Parameter? ls1;

    [ComponentName(Name = "ls2")]
    private readonly Parameter? ls2;

    public InternVisionEncoderLayer(VisionTowerConfig config, double layerScaleInit, double normEps, Device? device = null, ScalarType? dtype = null)
        : base(nameof(InternVisionEncoderLayer))
    {
        attn = new InternAttention(config, normEps, device, dtype);
        mlp = new TimmMlp(config.Width, config.MlpHidden, device, dtype);
        norm1 = TowerNorms.Create(config.Norm, config.Width, normEps, device, dtype);
        norm2 = TowerNorms.Create(config.Norm, config.Width, normEps, device, dtype);
        if (config.LayerScale)
        {
            ls1 = new Parameter(torch.full(config.Width, layerScaleInit, dtype: dtype, device: device), requires_grad: true);
            ls2 = new Parameter(torch.full(config.Width, layerScaleInit, dtype: dtype, device: device), requires_grad: true);
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var a = attn.call(norm1.call(x));
        x = x + (ls1 is null ? a : a * ls1);
        var m = mlp.call(norm2.call(x));
        return x + (ls2 is null ? m : m * ls2);
    }
}

/// <summary>
/// InternViT's attention: fused <c>qkv</c>, optional RMS <c>q_norm</c>/<c>k_norm</c> over the full width (the 6B tower),
/// scaled dot-product attention over all tokens, <c>proj</c>.
/// </summary>
public sealed class InternAttention : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "qkv")]
    private readonly Linear qkv;

    [ComponentName(Name = "q_norm")]
    private readonly RmsNorm? qNorm;

    [ComponentName(Name = "k_norm")]
    private readonly RmsNorm? kNorm;

    [ComponentName(Name = "proj")]
    private readonly Linear proj;

    private readonly int heads;

    public InternAttention(VisionTowerConfig config, double normEps, Device? device = null, ScalarType? dtype = null)
        : base(nameof(InternAttention))
    {
        heads = config.Heads;
        qkv = nn.Linear(config.Width, 3L * config.Width, hasBias: config.QkvBias, device: device, dtype: dtype);
        if (config.QkNorm)
        {
            qNorm = new RmsNorm(config.Width, normEps, device, dtype);
            kNorm = new RmsNorm(config.Width, normEps, device, dtype);
        }

        proj = nn.Linear(config.Width, config.Width, hasBias: true, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var batch = x.shape[0];
        var tokens = x.shape[1];
        var width = x.shape[2];
        var parts = qkv.call(x).reshape(batch, tokens, 3, width).unbind(2);
        var q = qNorm is null ? parts[0] : qNorm.call(parts[0]);
        var k = kNorm is null ? parts[1] : kNorm.call(parts[1]);
        var attended = nn.functional.scaled_dot_product_attention(SplitHeads(q), SplitHeads(k), SplitHeads(parts[2]));
        return proj.call(attended.transpose(1, 2).reshape(batch, tokens, width));

        Tensor SplitHeads(Tensor t) => t.reshape(batch, tokens, heads, width / heads).transpose(1, 2);
    }
}

/// <summary>The tower's norm kind as a module: torch's LayerNorm, or <see cref="RmsNorm"/>.</summary>
internal static class TowerNorms
{
    public static nn.Module<Tensor, Tensor> Create(TowerNorm norm, long width, double eps, Device? device, ScalarType? dtype) => norm == TowerNorm.LayerNorm
        ? nn.LayerNorm(width, eps: eps, device: device, dtype: dtype)
        : new RmsNorm(width, eps, device, dtype);
}
