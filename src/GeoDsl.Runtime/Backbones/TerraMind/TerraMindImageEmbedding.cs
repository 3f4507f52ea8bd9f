using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.TerraMind;

/// <summary>
/// TerraMind's <c>ImageEncoderEmbedding</c> (terratorch/models/backbones/terramind/model/encoder_embeddings.py): an image
/// [B, C, H, W] is cut into p×p patches, each flattened pixel-major with the band fastest ((ph, pw, c) order, the
/// reference's <c>'b d (nh ph) (nw pw) -> b (nh nw) (ph pw d)'</c>) and projected by <c>proj</c>, a Linear(C·p², D)
/// without bias. To each token it adds the fixed 2D sin-cos table <c>pos_emb</c> (a buffer, built for the square
/// <c>img_size</c> and resized bicubically for other inputs) and the learned modality embedding <c>mod_emb</c> [1, 1, D].
/// </summary>
public sealed class TerraMindImageEmbedding : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "pos_emb")]
    private Tensor posEmb;

    [ComponentName(Name = "mod_emb")]
    private Parameter modEmb;

    [ComponentName(Name = "proj")]
    private readonly Linear proj;

    // Tables for other grids (not registered: a Dictionary is neither a module nor a tensor).
    private readonly Dictionary<(int Rows, int Columns), Tensor> otherGrids = new();

    public TerraMindImageEmbedding(int num_channels, int dim_tokens, int patch_size = 16, int image_size = 224, Device? device = null, ScalarType? dtype = null)
        : base(nameof(TerraMindImageEmbedding))
    {
        if (num_channels < 1 || patch_size < 1 || image_size % patch_size != 0)
        {
            throw new ArgumentException($"An image embedding needs ≥ 1 channel and an image size ({image_size}) that the patch ({patch_size}) divides.");
        }

        NumChannels = num_channels;
        DimTokens = dim_tokens;
        PatchSize = patch_size;
        ImageSize = image_size;
        proj = nn.Linear((long)num_channels * patch_size * patch_size, dim_tokens, hasBias: false, device: device, dtype: dtype);
        using (torch.no_grad())
        {
            var side = image_size / patch_size;
            using var table = PositionTable(side, side, dim_tokens);
            posEmb = table.to(dtype ?? torch.get_default_dtype(), device ?? torch.CPU).DetachFromDisposeScope();

            var modality = torch.empty(new long[] { 1, 1, dim_tokens }, dtype: dtype, device: device);
            nn.init.normal_(modality, 0.0, 0.02); // init(init_std=0.02)
            modEmb = new Parameter(modality, requires_grad: true);
            modEmb.DetachFromDisposeScope();
        }

        RegisterComponents();
    }

    public int NumChannels { get; }

    public int DimTokens { get; }

    public int PatchSize { get; }

    /// <summary>The square image size <c>pos_emb</c> covers.</summary>
    public int ImageSize { get; }

    /// <summary>Patch tokens [B, h·w, D] plus position and modality embeddings, for an image whose sides the patch divides.</summary>
    public override Tensor forward(Tensor image)
    {
        var shape = image.shape;
        if (shape.Length != 4 || shape[1] != NumChannels || shape[2] % PatchSize != 0 || shape[3] % PatchSize != 0)
        {
            throw new ArgumentException(
                $"A {NumChannels}-channel TerraMind embedding expects [B, {NumChannels}, H, W] with H and W multiples of {PatchSize}; got [{string.Join(", ", shape)}].",
                nameof(image));
        }

        using var scope = torch.NewDisposeScope();
        long batch = shape[0];
        long rows = shape[2] / PatchSize;
        long columns = shape[3] / PatchSize;
        var patches = image
            .reshape(batch, NumChannels, rows, PatchSize, columns, PatchSize)
            .permute(0, 2, 4, 3, 5, 1) // b, nh, nw, ph, pw, c
            .reshape(batch, rows * columns, (long)PatchSize * PatchSize * NumChannels);
        var tokens = proj.call(patches);
        var embedding = PositionEmbeddingFor((int)rows, (int)columns) + modEmb;
        return (tokens + embedding).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>pos_emb</c> for a rows × columns grid. The declared grid uses the buffer; another follows the reference's
    /// <c>interpolate_pos_encoding</c>: the square table as [1, D, s, s], resized bicubically (align_corners = false).
    /// Cached per grid; the returned tensor belongs to the module.
    /// </summary>
    public Tensor PositionEmbeddingFor(int rows, int columns)
    {
        int side = ImageSize / PatchSize;
        if (rows == side && columns == side)
        {
            return posEmb;
        }

        if (otherGrids.TryGetValue((rows, columns), out var cached))
        {
            if (cached.device_type == posEmb.device_type && cached.device_index == posEmb.device_index && cached.dtype == posEmb.dtype)
            {
                return cached;
            }

            otherGrids.Remove((rows, columns)); // the module moved since this was computed
            cached.Dispose();
        }

        Tensor result;
        using (var scope = torch.NewDisposeScope())
        using (torch.no_grad())
        {
            var square = posEmb.reshape(1, side, side, DimTokens).permute(0, 3, 1, 2);
            var resized = nn.functional.interpolate(square, new long[] { rows, columns }, mode: InterpolationMode.Bicubic, align_corners: false);
            result = resized.permute(0, 2, 3, 1).reshape(1, -1, DimTokens).contiguous().DetachFromDisposeScope();
        }

        otherGrids[(rows, columns)] = result;
        return result;
    }

    /// <summary>
    /// The 2D sin-cos table of tm_utils.py <c>build_2d_sincos_posemb(h, w, D)</c>, [1, h·w, D] in float32: the grid is built
    /// with <c>meshgrid(arange(w), arange(h), indexing='ij')</c> and flattened, so token n holds a = n / h (its "w" value)
    /// and b = n mod h; channels are [sin(a·ω), cos(a·ω), sin(b·ω), cos(b·ω)], ω_k = 1 / 10000^(k / (D/4)). On the square
    /// tables TerraMind uses, a is the patch's row and b its column. Computed with the reference's float32 tensor ops.
    /// </summary>
    public static Tensor PositionTable(int h, int w, int dim)
    {
        if (dim < 4 || dim % 4 != 0)
        {
            throw new ArgumentException($"A 2D sin-cos table needs a width divisible by 4; got {dim}.", nameof(dim));
        }

        using var scope = torch.NewDisposeScope();
        var quarter = dim / 4;
        var a = torch.arange(w, dtype: ScalarType.Float32).repeat_interleave(h);
        var b = torch.arange(h, dtype: ScalarType.Float32).repeat(w);
        var omega = torch.arange(quarter, dtype: ScalarType.Float32) / quarter;
        omega = torch.pow(10000.0, omega).reciprocal();
        var outA = a.unsqueeze(1) * omega.unsqueeze(0);
        var outB = b.unsqueeze(1) * omega.unsqueeze(0);
        return torch.cat(new[] { outA.sin(), outA.cos(), outB.sin(), outB.cos() }, dim: 1).unsqueeze(0).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var t in otherGrids.Values)
            {
                t.Dispose();
            }

            otherGrids.Clear();
        }

        base.Dispose(disposing);
    }
}
