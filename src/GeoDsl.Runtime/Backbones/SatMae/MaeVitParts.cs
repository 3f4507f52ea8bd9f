using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.SatMae;

/// <summary>
/// timm's 2D <c>PatchEmbed</c> (<c>timm/layers/patch_embed.py</c>) as the MAE-family ViTs use it: a Conv2d named
/// <c>proj</c> with kernel = stride = patch and a bias, flattened to tokens [B, h·w, D] in row-major order. No size
/// check (Scale-MAE's <c>PatchEmbedUnSafe</c> drops it too); callers check divisibility.
/// </summary>
public sealed class MaePatchEmbed : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "proj")]
    private readonly Conv2d proj;

    public MaePatchEmbed(int inChannels, int embedDim, int patchSize, Device? device = null, ScalarType? dtype = null)
        : base(nameof(MaePatchEmbed))
    {
        proj = nn.Conv2d(inChannels, embedDim, patchSize, stride: patchSize, bias: true, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor pixels) => proj.call(pixels).flatten(2).transpose(1, 2);

    /// <summary>MAE's initialisation: xavier-uniform over the [D, C·p·p] view, as for a Linear layer.</summary>
    internal void InitializeLikeLinear()
    {
        using var guard = torch.no_grad();
        var weight = proj.weight!;
        using var flat = weight.view(weight.shape[0], -1);
        nn.init.xavier_uniform_(flat);
    }
}

/// <summary>Position tables and helpers the MAE-family ViTs share.</summary>
public static class MaePositions
{
    /// <summary>
    /// MAE's <c>get_2d_sincos_pos_embed</c> (facebookresearch/mae, copied into SatMAE <c>util/pos_embed.py</c>) for a
    /// rows × columns grid: channels [0, dim/2) encode the column and [dim/2, dim) the row, each as sines then cosines of
    /// the 1D table; tokens run row-major; with <paramref name="classToken"/> a zero row leads. Computed in float64 like
    /// numpy, returned as float32 [1, (1 +) rows·columns, dim] on the CPU. The reference takes square grids only; on one
    /// it gives the same numbers.
    /// </summary>
    public static Tensor TwoDimensional(int dim, int rows, int columns, bool classToken)
    {
        if (dim <= 0 || dim % 4 != 0)
        {
            throw new ArgumentException($"A 2D sin-cos embedding needs a width that is a multiple of 4; got {dim}.", nameof(dim));
        }

        var half = dim / 2;
        var columnTable = SinCosEmbedding.OneDimensional(half, columns);
        var rowTable = SinCosEmbedding.OneDimensional(half, rows);
        var lead = classToken ? 1 : 0;
        var data = new double[(lead + (rows * columns)) * dim];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var at = (lead + (r * columns) + c) * dim;
                Array.Copy(columnTable, c * half, data, at, half);
                Array.Copy(rowTable, r * half, data, at + half, half);
            }
        }

        using var asDouble = torch.tensor(data, new long[] { 1, lead + (rows * columns), dim }, ScalarType.Float64);
        return asDouble.to(ScalarType.Float32);
    }

    /// <summary>The 1D sin-cos table of positions 0..count-1 as float32 [1, count, dim] (SatMAE's channel embedding).</summary>
    public static Tensor OneDimensional(int dim, int count)
    {
        var data = SinCosEmbedding.OneDimensional(dim, count);
        using var asDouble = torch.tensor(data, new long[] { 1, count, dim }, ScalarType.Float64);
        return asDouble.to(ScalarType.Float32);
    }

    /// <summary>
    /// Resizes a learned position table [1, prefix + h0·w0, C] to another grid as timm's <c>resample_abs_pos_embed</c>
    /// and MAE's <c>interpolate_pos_embed</c> do: the prefix rows (class token) stay, the patch rows are resized
    /// bicubically with align_corners = false. Differentiable, so a learned table keeps training through it.
    /// </summary>
    public static Tensor Resample(Tensor table, int prefixTokens, (int Rows, int Columns) from, (int Rows, int Columns) to)
    {
        if (from == to)
        {
            return table;
        }

        using var scope = torch.NewDisposeScope();
        var width = table.shape[2];
        var patches = table.narrow(1, prefixTokens, (long)from.Rows * from.Columns)
            .reshape(1, from.Rows, from.Columns, width)
            .permute(0, 3, 1, 2);
        var resized = nn.functional.interpolate(patches, new long[] { to.Rows, to.Columns }, mode: InterpolationMode.Bicubic, align_corners: false)
            .permute(0, 2, 3, 1)
            .reshape(1, (long)to.Rows * to.Columns, width);
        var result = prefixTokens == 0 ? resized : torch.cat(new[] { table.narrow(1, 0, prefixTokens), resized }, dim: 1);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>timm's stochastic-depth rule: rates rising linearly from 0 at the first block to <paramref name="rate"/> at the last.</summary>
    public static double[] DropPathRates(double rate, int depth) =>
        Enumerable.Range(0, depth).Select(i => depth == 1 ? 0.0 : rate * i / (depth - 1)).ToArray();

    /// <summary>The pre-norm blocks of a timm ViT with qkv bias and the given LayerNorm epsilon.</summary>
    public static ModuleList<TimmBlock> Blocks(int dim, int depth, int heads, double mlpRatio, double dropPathRate, double normEps,
        Device? device, ScalarType? dtype)
    {
        var rates = DropPathRates(dropPathRate, depth);
        var list = new TimmBlock[depth];
        for (var i = 0; i < depth; i++)
        {
            list[i] = new TimmBlock(dim, heads, mlpRatio, qkvBias: true, dropPath: rates[i], normEps: normEps, device: device, dtype: dtype);
        }

        return nn.ModuleList(list);
    }

    /// <summary>MAE's <c>_init_weights</c>: xavier-uniform Linear weights and zero biases, LayerNorm weight 1 and bias 0.</summary>
    public static void InitializeLikeMae(nn.Module module)
    {
        using var guard = torch.no_grad();
        foreach (var child in module.modules())
        {
            switch (child)
            {
                case Linear linear:
                    nn.init.xavier_uniform_(linear.weight!);
                    if (linear.bias is not null)
                    {
                        nn.init.zeros_(linear.bias);
                    }

                    break;
                case LayerNorm layerNorm:
                    nn.init.ones_(layerNorm.weight!);
                    nn.init.zeros_(layerNorm.bias!);
                    break;
            }
        }
    }

    /// <summary>A learnable parameter holding <paramref name="values"/> (moved to the device and dtype), owned by the model.</summary>
    public static Parameter LearnedFrom(Tensor values, Device? device, ScalarType? dtype)
    {
        using var guard = torch.no_grad();
        var parameter = new Parameter(values.to(dtype ?? torch.get_default_dtype(), device ?? torch.CPU), requires_grad: true);
        parameter.DetachFromDisposeScope();
        return parameter;
    }

    /// <summary>Pixels [B, C, H, W] or [B, C, 1, H, W] as [B, C, H, W], or an exception naming the expected layout.</summary>
    public static Tensor SingleImage(Tensor pixels, int channels, int patch, string name)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        var shape = pixels.shape;
        var ok = (shape.Length == 4 || (shape.Length == 5 && shape[2] == 1))
            && shape[0] >= 1 && shape[1] == channels
            && shape[^2] >= patch && shape[^2] % patch == 0
            && shape[^1] >= patch && shape[^1] % patch == 0;
        if (!ok)
        {
            throw new ArgumentException(
                $"{name} expects pixels [B, {channels}, H, W] (or [B, {channels}, 1, H, W]) with H and W multiples of {patch}; got [{string.Join(", ", shape)}].",
                nameof(pixels));
        }

        return shape.Length == 5 ? pixels.squeeze(2) : pixels;
    }

    /// <summary>The outputs of the blocks in <paramref name="outIndices"/>; blocks after the last one needed are skipped.</summary>
    public static Tensor[] RunBlocks(Tensor x, ModuleList<TimmBlock> blocks, IReadOnlyList<int> outIndices, LayerNorm? normAfterLast)
    {
        var lastNeeded = outIndices.Max();
        var lastBlock = blocks.Count - 1;
        var perBlock = new Tensor[lastNeeded + 1];
        for (var i = 0; i <= lastNeeded; i++)
        {
            x = blocks[i].call(x);
            if (i == lastBlock && normAfterLast is not null)
            {
                x = normAfterLast.call(x);
            }

            perBlock[i] = x;
        }

        return outIndices.Select(i => perBlock[i]).ToArray();
    }

    /// <summary>Moves each distinct tensor of <paramref name="tensors"/> out of the current dispose scope.</summary>
    public static void KeepOutside(IEnumerable<Tensor> tensors)
    {
        foreach (var t in tensors.Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>())
        {
            t.MoveToOuterDisposeScope();
        }
    }
}

/// <summary>
/// Collects an options record's problems so that one exception names them all, with the checks every MAE-family ViT
/// (SatMAE, Scale-MAE, SSL4EO) shares; each options record adds its own with <see cref="Require"/>.
/// </summary>
internal sealed class MaeOptionProblems
{
    private readonly List<string> problems = new();

    public void Require(bool ok, string message)
    {
        if (!ok)
        {
            problems.Add(message);
        }
    }

    /// <summary>Input channels, depth, heads dividing the width, the MLP width, the drop-path rate and <c>out_indices</c> (when given).</summary>
    public void Transformer(int inChannels, int depth, int numHeads, int embedDim, double mlpRatio, int mlpHiddenDim, double dropPathRate, IReadOnlyList<int>? outIndices)
    {
        Require(inChannels >= 1, $"in_chans must be at least 1; got {inChannels}.");
        Require(depth >= 1, $"depth must be at least 1; got {depth}.");
        Require(numHeads >= 1 && embedDim % numHeads == 0, $"embed_dim {embedDim} must be a multiple of num_heads {numHeads}.");
        Require(mlpRatio > 0 && mlpHiddenDim >= 1, $"mlp_ratio must give a hidden width of at least 1; got {mlpRatio}.");
        Require(dropPathRate >= 0 && dropPathRate < 1, $"drop_path_rate must be in [0, 1); got {dropPathRate}.");
        if (outIndices is not null)
        {
            Require(outIndices.Count >= 1 && outIndices.All(i => i >= -depth && i < depth), $"out_indices must name blocks in {-depth}..{depth - 1}.");
        }
    }

    /// <summary>The image holds at least one patch.</summary>
    public void PatchFits(int patchSize, (int Height, int Width) imageSize) =>
        Require(patchSize >= 1 && imageSize.Height >= patchSize && imageSize.Width >= patchSize,
            $"img_size {imageSize.Height}×{imageSize.Width} must hold at least one {patchSize}-pixel patch.");

    /// <exception cref="ArgumentException">"Invalid <paramref name="what"/> options: " and every problem found.</exception>
    public void ThrowIfAny(string what)
    {
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid {what} options: " + string.Join(" ", problems));
        }
    }
}
