using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>A Swin transformer resolved for one model: every number the runtime needs to build it.</summary>
/// <param name="InChannels">Input bands.</param>
/// <param name="EmbedDim">Stage-1 width C.</param>
/// <param name="Depths">Blocks per stage.</param>
/// <param name="NumHeads">Heads per stage.</param>
/// <param name="WindowSize">Attention window side.</param>
/// <param name="V2">Swin v2 blocks.</param>
/// <param name="ImageHeight">Padded input height (a multiple of 32).</param>
/// <param name="ImageWidth">Padded input width.</param>
/// <param name="OutIndices">Selected outputs, non-negative, in the order they are returned.</param>
/// <param name="DropPath">The largest stochastic-depth rate (the last block's; earlier blocks get a linear share).</param>
public sealed record SwinArchitecture(
    int InChannels,
    int EmbedDim,
    EquatableArray<int> Depths,
    EquatableArray<int> NumHeads,
    int WindowSize,
    bool V2,
    int ImageHeight,
    int ImageWidth,
    EquatableArray<int> OutIndices,
    double DropPath)
{
    /// <summary>Channels of stage <paramref name="stage"/>: C·2^stage.</summary>
    public int StageChannels(int stage) => EmbedDim << stage;

    /// <summary>Map height of stage <paramref name="stage"/>: H/4/2^stage.</summary>
    public int StageHeight(int stage) => ImageHeight / SwinRules.PatchSize >> stage;

    /// <summary>Map width of stage <paramref name="stage"/>.</summary>
    public int StageWidth(int stage) => ImageWidth / SwinRules.PatchSize >> stage;

    /// <summary>A channel-last map [H, W, C] of stage <paramref name="stage"/>.</summary>
    public TensorShape StageShape(int stage) => TensorShape.Of(StageHeight(stage), StageWidth(stage), StageChannels(stage));
}

/// <summary>
/// What every Swin catalog entry shares: argument checks and their messages, closed-form parameter counts for the
/// torchvision and MMSeg layouts, and activation memory of windowed attention.
/// </summary>
public static class SwinRules
{
    /// <summary>Four stages, as in every published Swin.</summary>
    public const int StageCount = 4;

    /// <summary>The patch embedding's kernel and stride.</summary>
    public const int PatchSize = 4;

    /// <summary>The input is padded to a multiple of the last stage's stride (4·2³), so every stage halves exactly.</summary>
    public const int OutputStride = 32;

    /// <summary>torchvision's <c>cpb_mlp</c> hidden width (Swin v2's continuous position bias).</summary>
    public const int CpbHidden = 512;

    /// <summary>torchvision's default classifier width (TerraTorch's Satlas models keep that classifier).</summary>
    public const int ImageNetClasses = 1000;

    public static ParameterInfo Pretrained { get; } =
        ParameterInfo.With("pretrained", ParameterType.Bool, false, "Load the published weights (first convolution re-selected for the input bands).");

    public static ParameterInfo EmbedDimOverride(int value) =>
        ParameterInfo.Optional("embed_dim", ParameterType.Int(1, 4096), $"Override the stage-1 width ({value}); the published weights no longer apply.");

    public static ParameterInfo DepthsOverride(IReadOnlyList<int> value) =>
        ParameterInfo.Optional("depths", ParameterType.ListOf(ParameterType.Int(1, 64), StageCount, StageCount),
            $"Override the blocks per stage ([{string.Join(", ", value)}]).");

    public static ParameterInfo NumHeadsOverride(IReadOnlyList<int> value) =>
        ParameterInfo.Optional("num_heads", ParameterType.ListOf(ParameterType.Int(1, 256), StageCount, StageCount),
            $"Override the attention heads per stage ([{string.Join(", ", value)}]); each must divide its stage's width.");

    public static ParameterInfo WindowSizeOverride(int value) =>
        ParameterInfo.Optional("window_size", ParameterType.Int(2, 64), $"Override the attention window ({value}); the published weights no longer apply.");

    /// <summary>Resolves the shared arguments against a variant's shape.</summary>
    /// <param name="outputCount">How many outputs <c>out_indices</c> indexes.</param>
    /// <param name="defaultOutIndices">The outputs when <c>out_indices</c> is not given.</param>
    /// <param name="ascending">Return outputs in module order, once each, as TerraTorch's Satlas and timm wrappers do.</param>
    /// <param name="dropPathArgument">The stochastic-depth argument's name in this layout.</param>
    public static SwinArchitecture Resolve(SwinShape shape, InputSpec input, ArgumentList args, int outputCount, IReadOnlyList<int> defaultOutIndices,
        bool ascending, string dropPathArgument)
    {
        var requested = args.IntListOrNull("out_indices") ?? defaultOutIndices;
        var resolved = requested.Select(i => StageRules.Normalise(i, outputCount) ?? Math.Max(0, Math.Min(outputCount - 1, i))).ToList();
        if (ascending)
        {
            resolved = resolved.Distinct().OrderBy(i => i).ToList();
        }

        return new SwinArchitecture(
            InChannels: input.Channels,
            EmbedDim: args.IntOrNull("embed_dim") ?? shape.EmbedDim,
            Depths: (args.IntListOrNull("depths") ?? shape.Depths).ToEquatableArray(),
            NumHeads: (args.IntListOrNull("num_heads") ?? shape.NumHeads).ToEquatableArray(),
            WindowSize: args.IntOrNull("window_size") ?? shape.WindowSize,
            V2: shape.V2,
            ImageHeight: RoundUp(input.Height, OutputStride),
            ImageWidth: RoundUp(input.Width, OutputStride),
            OutIndices: resolved.ToEquatableArray(),
            DropPath: args.Double(dropPathArgument));
    }

    /// <summary>
    /// Reports what no Swin can run: heads that do not divide a stage's width, out-of-range output indices; warns when
    /// the image is padded to a multiple of 32. False when an error was reported.
    /// </summary>
    public static bool Check(SwinArchitecture a, ArgumentList args, int outputCount, string outputsName, ShapeContext context, string title)
    {
        var widths = Enumerable.Range(0, StageCount).Select(a.StageChannels).ToList();
        if (Enumerable.Range(0, StageCount).Any(i => widths[i] % a.NumHeads[i] != 0))
        {
            context.ReportAt(args.Has("num_heads") ? "num_heads" : "embed_dim", DiagnosticDescriptors.ArgumentOutOfRange, "num_heads", title,
                $"divisors of the stage widths {string.Join(", ", widths)}", "[" + string.Join(", ", a.NumHeads) + "]");
            return false;
        }

        var requested = args.IntListOrNull("out_indices") ?? Array.Empty<int>();
        for (int item = 0; item < requested.Count; item++)
        {
            if (StageRules.Normalise(requested[item], outputCount) is null)
            {
                context.ReportAt(Binding.SpecLocations.Item("out_indices", item), DiagnosticDescriptors.FeatureIndexOutOfRange, StageRules.Text(requested[item]),
                    "out_indices of " + title, outputsName, StageRules.Text(outputCount), StageRules.ValidRange(outputCount));
                return false;
            }
        }

        var input = context.Input;
        if (input.Height % OutputStride != 0 || input.Width % OutputStride != 0)
        {
            string up = SizeText(a.ImageHeight, a.ImageWidth);
            string down = SizeText(RoundDown(input.Height), RoundDown(input.Width));

            // GEO1006 speaks of "2 × patch": for a Swin the multiple is the last stage's stride, 32 = 2 × 16.
            context.Report(DiagnosticDescriptors.SizeNotMultipleOfPatch, SizeText(input.Height, input.Width), StageRules.Text(OutputStride),
                "16 (Swin's stride-32 last stage)", up, up == down ? $"Use {up}." : $"Use {down} or {up}.");
        }

        return true;
    }

    /// <summary>
    /// One torchvision or MMSeg Swin block of width <paramref name="dim"/>: norm1, qkv, proj, norm2 and the 4× MLP
    /// (12D² + 13D), plus the relative position bias: a (2w−1)² × heads table (v1), or v2's logit scale (heads) and
    /// <c>cpb_mlp</c> (Linear(2, 512) with bias, Linear(512, heads) without).
    /// </summary>
    public static long BlockParameters(long dim, long heads, long window, bool v2)
    {
        long common = (12 * dim * dim) + (13 * dim);
        long positionBias = v2
            ? heads + (2 * CpbHidden) + CpbHidden + (CpbHidden * heads)
            : (2 * window - 1) * (2 * window - 1) * heads;
        return common + positionBias;
    }

    /// <summary>
    /// torchvision's <c>SwinTransformer</c>: patch conv (C_in·16·C + C) and norm (2C), every block, three patch mergings
    /// (reduction 8D² without bias; norm over 4D (v1) or 2D (v2)) and, with <paramref name="classes"/> &gt; 0, the final
    /// norm and the head. The relative position index (and v2's coordinate table) are buffers.
    /// </summary>
    public static long TorchvisionParameters(SwinArchitecture a, int classes)
    {
        long c = a.EmbedDim;
        long total = ((long)a.InChannels * PatchSize * PatchSize * c) + c + (2 * c);
        for (int stage = 0; stage < StageCount; stage++)
        {
            long dim = a.StageChannels(stage);
            total += a.Depths[stage] * BlockParameters(dim, a.NumHeads[stage], a.WindowSize, a.V2);
            if (stage < StageCount - 1)
            {
                total += (8 * dim * dim) + (a.V2 ? 4 * dim : 8 * dim);
            }
        }

        long last = a.StageChannels(StageCount - 1);
        return classes == 0 ? total : total + (2 * last) + (last * classes) + classes;
    }

    /// <summary>
    /// TerraTorch's MMSeg-style Swin as timm's features-only wrapper keeps it: patch projection and norm, then the stages
    /// up to the last selected one, each with its blocks, its output norm (2D) and, before the last stage, a patch merging
    /// (norm over 4D and an 8D² reduction without bias). The classifier head is dropped.
    /// </summary>
    public static long MmsegParameters(SwinArchitecture a)
    {
        long c = a.EmbedDim;
        long total = ((long)a.InChannels * PatchSize * PatchSize * c) + c + (2 * c);
        int built = a.OutIndices.Max() + 1;
        for (int stage = 0; stage < built; stage++)
        {
            long dim = a.StageChannels(stage);
            total += a.Depths[stage] * BlockParameters(dim, a.NumHeads[stage], a.WindowSize, v2: false);
            total += 2 * dim;
            if (stage < StageCount - 1)
            {
                total += (8 * dim) + (8 * dim * dim);
            }
        }

        return total;
    }

    /// <summary>
    /// Activation memory of <paramref name="stages"/> Swin stages per image, after Korthikanti et al. (memory-facts.md §1.4)
    /// with windowed attention: scores are heads × tokens × w² (one w²×w² matrix per window), always materialised, as
    /// torchvision and MMSeg compute attention explicitly. <paramref name="outputs"/> are the tensors kept for the necks;
    /// <paramref name="images"/> how many images one sample is (frames of a multi-image model).
    /// </summary>
    public static ActivationEstimate Activations(SwinArchitecture a, int stages, FeatureShape outputs, int images, ActivationSettings settings)
    {
        long s = settings.StreamBytes;
        long k = settings.ComputeBytes;
        long window = (long)a.WindowSize * a.WindowSize;
        long saved = (long)a.InChannels * a.ImageHeight * a.ImageWidth * k;
        long checkpointed = 0;
        long largestBlock = 0;
        long transient = 0;
        for (int stage = 0; stage < stages; stage++)
        {
            long dim = a.StageChannels(stage);
            long heads = a.NumHeads[stage];
            long hidden = 4 * dim;
            long rows = a.StageHeight(stage);
            long columns = a.StageWidth(stage);
            long tokens = rows * columns;
            long windowed = RoundUp(rows, a.WindowSize) * RoundUp(columns, a.WindowSize);

            // Norm inputs (stream); the window copy that feeds qkv, q, k, v and the proj input; fc1 input, GELU input and
            // fc2 input; the softmax output. v2 also keeps the normalised q and k.
            long blockSaved = (2 * tokens * dim * s)
                + (((5 + (a.V2 ? 2 : 0)) * windowed * dim) + (tokens * dim) + (2 * tokens * hidden)) * k
                + (heads * windowed * window * k);
            long blockTransient = (tokens * dim * s) + (3 * windowed * dim * k) + (2 * tokens * hidden * k) + (2 * heads * windowed * window * k);
            saved += a.Depths[stage] * blockSaved;
            checkpointed += a.Depths[stage] * tokens * dim * s;
            largestBlock = Math.Max(largestBlock, blockSaved);
            transient = Math.Max(transient, blockTransient);

            // A patch merging keeps its norm input and the reduction input (4D channels at a quarter of the tokens).
            if (stage < StageCount - 1)
            {
                saved += tokens * dim * (s + k);
                checkpointed += tokens * dim * (s + k);
            }
        }

        long kept = outputs.Tensors.Sum(t => t.Elements) * s;
        if (!settings.Training)
        {
            return new ActivationEstimate(0, kept + transient);
        }

        return settings.GradientCheckpointing
            ? new ActivationEstimate((images * checkpointed) + kept, Math.Max(transient, largestBlock))
            : new ActivationEstimate((images * saved) + kept, transient);
    }

    /// <summary>A one-line description of a shape, for summaries.</summary>
    public static string Describe(SwinShape shape) =>
        $"Swin{(shape.V2 ? "-v2" : string.Empty)}, C={shape.EmbedDim}, depths {string.Join("/", shape.Depths)}, heads {string.Join("/", shape.NumHeads)}, window {shape.WindowSize}";

    public static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private static long RoundUp(long value, long multiple) => (value + multiple - 1) / multiple * multiple;

    private static int RoundDown(int value) => Math.Max(OutputStride, value / OutputStride * OutputStride);

    private static string SizeText(int height, int width) => height == width
        ? height.ToString(CultureInfo.InvariantCulture)
        : $"{height}×{width}";
}
