namespace GeoDsl.Composition.Memory;

/// <summary>
/// What autograd keeps of convolution networks, per sample (memory-facts.md §1.8): a convolution keeps its input (for
/// its weight gradient only), BatchNorm its input (plus per-channel statistics), ReLU its output (in place on the
/// BatchNorm output, so one tensor), max-pooling its int64 indices, dropout a one-byte mask; interpolation and
/// concatenation keep only shapes. Tensors are counted once, by the layer that creates them: a convolution's input that
/// is the previous ReLU's output is already kept by that ReLU, so <see cref="FreshInput"/> applies only to tensors made
/// for the convolution (a concatenation, an upsampled map, a sum). Under autocast these networks run in 16 bits
/// throughout (BatchNorm and ReLU keep their input's type), so every map uses <see cref="ActivationSettings.ComputeBytes"/>.
/// </summary>
public static class ConvActivations
{
    /// <summary>One map of <paramref name="channels"/> × <paramref name="area"/> elements at the compute precision.</summary>
    public static long Map(long channels, long area, ActivationSettings settings) => channels * area * settings.ComputeBytes;

    /// <summary>Conv → BatchNorm → ReLU (mmseg's ConvModule, smp's Conv2dReLU): the BatchNorm input and the ReLU output.</summary>
    public static long ConvNormReLU(long outChannels, long area, ActivationSettings settings) =>
        settings.Training ? 2 * Map(outChannels, area, settings) : 0;

    /// <summary>A tensor made only to feed a convolution, kept for its weight gradient (none when its weights are frozen).</summary>
    public static long FreshInput(long channels, long area, ActivationSettings settings) =>
        settings.KeepsWeightInputs ? Map(channels, area, settings) : 0;

    /// <summary>Element-wise dropout with p &gt; 0: its one-byte mask and its output (which the next layer consumes).</summary>
    public static long Dropout(long channels, long area, double probability, ActivationSettings settings) =>
        settings.Training && probability > 0 ? channels * area * (1 + settings.ComputeBytes) : 0;

    /// <summary>Max-pooling: its output (kept as the next convolution's input) and its int64 argmax indices.</summary>
    public static long MaxPool(long channels, long outArea, ActivationSettings settings) =>
        settings.Training ? channels * outArea * (settings.ComputeBytes + 8) : 0;

    /// <summary>
    /// How many times its input a convolution's cuDNN workspace is taken to need: 3.5, calibrated on mmsegmentation's
    /// UPerNet rows (memory-facts.md §2 M3, M4), whose published allocated peaks exceed what PyTorch saves (which
    /// GeoDsl's rules match within 2%, bench/memory/cpu_saved_tensors.txt) by about 1.9 GiB. cuDNN's algorithms (implicit
    /// GEMM with precomputed indices, Winograd, FFT) take workspaces of the order of the tensors they transform, chosen
    /// by cudnn.benchmark or by heuristics (pytorch/pytorch#13412: on V100 the default choice used twice the memory).
    /// A calibration, not a derivation [U]: check it against a measurement when a GPU is at hand.
    /// </summary>
    public const double WorkspacePerInputByte = 3.5;

    /// <summary>The cuDNN workspace of a convolution over <paramref name="inChannels"/> × <paramref name="area"/>, per sample.</summary>
    public static long Workspace(long inChannels, long area, ActivationSettings settings) =>
        (long)(WorkspacePerInputByte * Map(inChannels, area, settings));

    /// <summary>
    /// LayerNorm over channels then GELU (TerraTorch's Norm2d + GELU): a contiguous copy of the permuted input and the
    /// GELU input, both in the stream precision (autocast runs layer_norm in fp32).
    /// </summary>
    public static long LayerNormGelu(long channels, long area, ActivationSettings settings) =>
        settings.Training ? 2 * channels * area * settings.StreamBytes : 0;
}
