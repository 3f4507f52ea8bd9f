using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Features;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.VisionTransformer;

/// <summary>
/// torchvision's <c>VisionTransformer</c> (torchvision 0.14 <c>torchvision/models/vision_transformer.py</c>) as a backbone:
/// <c>conv_proj</c> (Conv2d, kernel = stride = patch), <c>class_token</c>, <c>encoder.pos_embedding</c> (a learned
/// parameter), <c>encoder.layers.encoder_layer_N</c> and <c>encoder.ln</c>; optionally torchvision's classifier
/// <c>heads.head</c>. State-dict keys and shapes equal torchvision's, so its checkpoints load by name
/// (<see cref="TorchvisionViTCheckpoint"/>).
/// </summary>
/// <remarks>
/// Output: one tensor per selected block, [B, 1 + h·w, D] with the class token first, so <c>reshape_tokens_to_image</c>
/// can drop it; the last block's output passes through <c>encoder.ln</c> as torchvision's <c>Encoder.forward</c> returns
/// it. Blocks after the last selected one are skipped. torchvision asserts the input is exactly <c>image_size</c>; here
/// any multiple of the patch runs, with the position embedding interpolated bicubically (align_corners = true, the class
/// position kept) as torchvision's <c>interpolate_embeddings</c> does, inside the graph so it keeps learning.
/// </remarks>
public sealed class TorchvisionViT : Backbone<TokenFeatures>
{
    [ComponentName(Name = "conv_proj")]
    private readonly Conv2d convProj;

    [ComponentName(Name = "class_token")]
    private readonly Parameter classToken;

    [ComponentName(Name = "encoder")]
    private readonly TorchvisionViTEncoder encoder;

    [ComponentName(Name = "heads")]
    private readonly Sequential? heads;

    private readonly int[] outIndices;
    private readonly string displayName;

    /// <param name="options">Architecture; validated here.</param>
    /// <param name="name">Name used in messages, e.g. the catalog entry <c>vit_b_16</c>.</param>
    /// <param name="device">Where to create weights; <c>torch.META</c> builds the structure without memory (for counting).</param>
    /// <param name="dtype">Weight element type; null = the default dtype.</param>
    public TorchvisionViT(TorchvisionViTOptions options, string name = "vit", Device? device = null, ScalarType? dtype = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        displayName = name;
        outIndices = options.ResolvedOutIndices.ToArray();
        var dim = options.HiddenDim;

        convProj = nn.Conv2d(options.InChannels, dim, options.PatchSize, stride: options.PatchSize, bias: true, device: device, dtype: dtype);
        using (torch.no_grad())
        {
            // torchvision: the class token starts at zero; conv_proj is trunc-normal with std √(1/fan_in), bias zero.
            classToken = new Parameter(torch.zeros(new long[] { 1, 1, dim }, dtype: dtype, device: device), requires_grad: true);
            classToken.DetachFromDisposeScope();
            var fanIn = (double)options.InChannels * options.PatchSize * options.PatchSize;
            TorchvisionInit.TruncatedNormal_(convProj.weight!, std: Math.Sqrt(1.0 / fanIn));
            nn.init.zeros_(convProj.bias!);
        }

        encoder = new TorchvisionViTEncoder(options, device, dtype);
        if (options.NumClasses is int classes)
        {
            var head = nn.Linear(dim, classes, hasBias: true, device: device, dtype: dtype);
            using (torch.no_grad())
            {
                // torchvision zero-initialises the classifier.
                nn.init.zeros_(head.weight!);
                nn.init.zeros_(head.bias!);
            }

            heads = nn.Sequential(("head", (nn.Module<Tensor, Tensor>)head));
        }

        RegisterComponents();
    }

    /// <summary>The options this encoder was built from.</summary>
    public TorchvisionViTOptions Options { get; }

    /// <summary>The blocks whose outputs <see cref="forward"/> returns, non-negative, in order.</summary>
    public IReadOnlyList<int> OutIndices => outIndices;

    /// <summary>Whether torchvision's classifier <c>heads.head</c> exists.</summary>
    public bool HasClassifier => heads is not null;

    /// <summary>Encodes pixels [B, C, H, W] (or [B, C, 1, H, W]); H and W must be multiples of the patch.</summary>
    public override TokenFeatures forward(BackboneInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = torch.NewDisposeScope();
        var (perBlock, grid) = Encode(input.Pixels, outIndices.Max());
        var selected = outIndices.Select(i => perBlock[i]).ToArray();
        foreach (var t in selected.Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>())
        {
            t.MoveToOuterDisposeScope();
        }

        return new TokenFeatures(selected, hasClsToken: true, grid);
    }

    /// <summary>torchvision's <c>VisionTransformer.forward</c>: the class token after <c>encoder.ln</c> through <c>heads</c>, [B, classes].</summary>
    public Tensor Classify(Tensor pixels)
    {
        if (heads is null)
        {
            throw new InvalidOperationException($"{displayName} was built without a classifier; set NumClasses to add torchvision's heads.head.");
        }

        using var scope = torch.NewDisposeScope();
        var (perBlock, _) = Encode(pixels, Options.NumLayers - 1);
        return heads.call(perBlock[^1].select(1, 0)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The position embedding [1, 1 + rows·columns, D] for a patch grid: the stored parameter for its own grid, else the
    /// class position followed by the patch positions resized bicubically (align_corners = true) to the grid.
    /// </summary>
    public Tensor PositionEmbeddingFor(int rows, int columns) => encoder.PositionEmbeddingFor(rows, columns);

    private (Tensor[] PerBlock, TokenGrid Grid) Encode(Tensor pixels, int lastNeeded)
    {
        var image = CheckPixels(pixels);
        var patches = convProj.call(image); // [B, D, h, w]
        var rows = (int)patches.shape[2];
        var columns = (int)patches.shape[3];
        var batch = patches.shape[0];
        var tokens = patches.flatten(2).transpose(1, 2); // [B, h·w, D], row-major as torchvision reshapes
        var x = torch.cat(new[] { classToken.expand(batch, -1, -1), tokens }, dim: 1);
        var perBlock = encoder.Run(x, rows, columns, lastNeeded);
        return (perBlock, new TokenGrid(1, rows, columns));
    }

    private Tensor CheckPixels(Tensor pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        var p = Options.PatchSize;
        var shape = pixels.shape;
        var ok = shape.Length is 4 or 5
            && shape[0] >= 1
            && shape[1] == Options.InChannels
            && (shape.Length == 4 || shape[2] == 1)
            && shape[^2] >= p && shape[^2] % p == 0
            && shape[^1] >= p && shape[^1] % p == 0;
        if (!ok)
        {
            throw new ArgumentException(
                $"{displayName} expects pixels [B, {Options.InChannels}, H, W] or [B, {Options.InChannels}, 1, H, W] " +
                $"with H and W multiples of the patch {p}; got [{string.Join(", ", shape)}].",
                nameof(pixels));
        }

        return shape.Length == 5 ? pixels.squeeze(2) : pixels;
    }
}

/// <summary>
/// torchvision's ViT <c>Encoder</c>: the learned <c>pos_embedding</c> [1, 1 + h·w, D] (normal, std 0.02, "from BERT"),
/// dropout, <c>layers</c> (<c>encoder_layer_0</c> …) and the final <c>ln</c> (eps 1e-6).
/// </summary>
public sealed class TorchvisionViTEncoder : nn.Module
{
    [ComponentName(Name = "pos_embedding")]
    private readonly Parameter posEmbedding;

    [ComponentName(Name = "dropout")]
    private readonly Dropout dropout;

    [ComponentName(Name = "layers")]
    private readonly ModuleDict<TorchvisionEncoderBlock> layers;

    [ComponentName(Name = "ln")]
    private readonly LayerNorm ln;

    private readonly TorchvisionEncoderBlock[] blocks;
    private readonly (int Rows, int Columns) grid;

    public TorchvisionViTEncoder(TorchvisionViTOptions options, Device? device = null, ScalarType? dtype = null)
        : base(nameof(TorchvisionViTEncoder))
    {
        ArgumentNullException.ThrowIfNull(options);
        grid = options.PositionGrid;
        var dim = options.HiddenDim;
        using (torch.no_grad())
        {
            var table = torch.empty(new long[] { 1, 1 + ((long)grid.Rows * grid.Columns), dim }, dtype: dtype, device: device);
            nn.init.normal_(table, 0.0, 0.02);
            posEmbedding = new Parameter(table, requires_grad: true);
            posEmbedding.DetachFromDisposeScope();
        }

        dropout = nn.Dropout(options.Dropout);
        blocks = new TorchvisionEncoderBlock[options.NumLayers];
        layers = nn.ModuleDict<TorchvisionEncoderBlock>();
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i] = new TorchvisionEncoderBlock(options.NumHeads, dim, options.MlpDim, options.Dropout, options.AttentionDropout, device, dtype);
            layers.Add(($"encoder_layer_{i}", blocks[i]));
        }

        ln = nn.LayerNorm(dim, eps: 1e-6, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>Adds positions, applies dropout and runs blocks 0..<paramref name="lastNeeded"/>; the last block's output is layer-normed.</summary>
    internal Tensor[] Run(Tensor tokens, int rows, int columns, int lastNeeded)
    {
        var x = dropout.call(tokens + PositionEmbeddingFor(rows, columns));
        var perBlock = new Tensor[lastNeeded + 1];
        for (var i = 0; i <= lastNeeded; i++)
        {
            x = blocks[i].call(x);
            if (i == blocks.Length - 1)
            {
                x = ln.call(x);
            }

            perBlock[i] = x;
        }

        return perBlock;
    }

    /// <inheritdoc cref="TorchvisionViT.PositionEmbeddingFor"/>
    public Tensor PositionEmbeddingFor(int rows, int columns)
    {
        if (rows == grid.Rows && columns == grid.Columns)
        {
            return posEmbedding;
        }

        return Resize(posEmbedding, grid, (rows, columns));
    }

    /// <summary>
    /// torchvision's <c>interpolate_embeddings</c> for a table [1, 1 + r·c, D] stored for grid <paramref name="from"/>:
    /// the class position stays, the patch positions are resized bicubically with align_corners = true. Non-square grids
    /// resize each axis to its own length.
    /// </summary>
    public static Tensor Resize(Tensor table, (int Rows, int Columns) from, (int Rows, int Columns) to)
    {
        ArgumentNullException.ThrowIfNull(table);
        var dim = table.shape[2];
        if (table.shape[0] != 1 || table.shape[1] != 1 + ((long)from.Rows * from.Columns))
        {
            throw new ArgumentException(
                $"A position table for a {from.Rows}×{from.Columns} grid is [1, {1 + (from.Rows * from.Columns)}, D]; got [{string.Join(", ", table.shape)}].",
                nameof(table));
        }

        var classPosition = table.narrow(1, 0, 1);
        var patchPositions = table.narrow(1, 1, (long)from.Rows * from.Columns)
            .reshape(1, from.Rows, from.Columns, dim)
            .permute(0, 3, 1, 2);
        var resized = nn.functional.interpolate(patchPositions, new long[] { to.Rows, to.Columns }, mode: InterpolationMode.Bicubic, align_corners: true);
        return torch.cat(new[] { classPosition, resized.permute(0, 2, 3, 1).reshape(1, (long)to.Rows * to.Columns, dim) }, dim: 1);
    }
}
