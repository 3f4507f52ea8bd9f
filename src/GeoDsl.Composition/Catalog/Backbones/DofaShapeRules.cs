using System;
using System.Globalization;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>
/// Rules the wavelength-conditioned ViTs (DOFA and Clay, which adopted DOFA's dynamic embedding) share: the closed-form
/// size of their weight-generator pieces, the <c>out_indices</c> check, the padding warning and the activation estimate.
/// </summary>
public static class DofaShapeRules
{
    /// <summary>
    /// Parameters of one <c>torch.nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward)</c>: the packed
    /// <c>self_attn.in_proj</c> (3d×d + 3d), <c>self_attn.out_proj</c> (d×d + d), <c>linear1</c>, <c>linear2</c>,
    /// <c>norm1</c> and <c>norm2</c>. For d = 128 and PyTorch's default feed-forward 2048: 593,024.
    /// </summary>
    public static long TorchEncoderLayer(long model, long feedForward) =>
        (3 * model * model) + (3 * model) + (model * model) + model + (model * feedForward) + feedForward + (feedForward * model) + model + (4 * model);

    /// <summary>Two square Linear layers with biases (DOFA's <c>FCResLayer</c>, Clay's <c>FCBlock</c>): 2·(d² + d).</summary>
    public static long FcResidual(long width) => 2 * ((width * width) + width);

    /// <summary>Reports an out-of-range <c>out_indices</c> item; false when there is one.</summary>
    public static bool CheckOutIndices(ArgumentList args, int depth, string title, ShapeContext context)
    {
        var requested = args.IntListOrNull("out_indices") ?? Array.Empty<int>();
        for (int item = 0; item < requested.Count; item++)
        {
            int index = requested[item];
            if (index >= depth || index < -depth)
            {
                context.ReportAt(Binding.SpecLocations.Item("out_indices", item), DiagnosticDescriptors.FeatureIndexOutOfRange, index.ToString(CultureInfo.InvariantCulture),
                    "out_indices of " + title, "its encoder", depth.ToString(CultureInfo.InvariantCulture), $"-{depth}..{depth - 1}");
                return false;
            }
        }

        return true;
    }

    /// <summary>GEO1006 when the input is padded at run time (TerraTorch pads to 2 × patch).</summary>
    public static void WarnIfPadded(InputSpec input, int multiple, int patch, int paddedHeight, int paddedWidth, ShapeContext context)
    {
        if (input.Height % multiple == 0 && input.Width % multiple == 0)
        {
            return;
        }

        string up = SizeText(paddedHeight, paddedWidth);
        string down = SizeText(RoundDown(input.Height, multiple), RoundDown(input.Width, multiple));
        context.Report(DiagnosticDescriptors.SizeNotMultipleOfPatch, SizeText(input.Height, input.Width), multiple.ToString(CultureInfo.InvariantCulture),
            patch.ToString(CultureInfo.InvariantCulture), up, up == down ? $"Use {up}." : $"Use {down} or {up}.");
    }

    /// <summary>
    /// Per-sample activations of a ViT whose patch weights are generated: the transformer blocks as
    /// <see cref="TransformerActivations"/> counts them, the pixels the dynamic convolution keeps for its weight
    /// gradient, and the returned block outputs. The weight generator runs once per batch on 128 + C + 1 tokens of
    /// width 128 (well under a megabyte); its one large tensor, the generated kernel [D, C, p, p], is counted as
    /// transient working memory.
    /// </summary>
    public static ActivationEstimate Activations(long tokens, int width, int heads, int mlpHidden, int depth, int returnedOutputs,
        long pixelElements, long kernelElements, ActivationSettings settings)
    {
        var block = TransformerActivations.Block(tokens, width, heads, mlpHidden, settings);
        long outputs = (long)returnedOutputs * tokens * width * settings.StreamBytes;
        long kernel = kernelElements * settings.ComputeBytes;
        if (!settings.Training)
        {
            return new ActivationEstimate(0, outputs + Math.Max(block.TransientBytes, kernel));
        }

        long patchInput = pixelElements * settings.ComputeBytes;
        long perBlock = settings.GradientCheckpointing ? tokens * width * settings.StreamBytes : block.SavedBytes;
        long recompute = settings.GradientCheckpointing ? block.SavedBytes : 0;
        return new ActivationEstimate(patchInput + (depth * perBlock) + outputs, Math.Max(Math.Max(block.TransientBytes, recompute), kernel));
    }

    private static int RoundDown(int value, int multiple) => Math.Max(multiple, value / multiple * multiple);

    private static string SizeText(int height, int width) => height == width
        ? height.ToString(CultureInfo.InvariantCulture)
        : $"{height.ToString(CultureInfo.InvariantCulture)}×{width.ToString(CultureInfo.InvariantCulture)}";
}
