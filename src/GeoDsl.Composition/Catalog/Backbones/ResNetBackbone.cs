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

/// <summary>A ResNet resolved for one model: every number the runtime needs to build it.</summary>
/// <param name="InChannels">Input bands (<c>in_chans</c>).</param>
/// <param name="OutIndices">Levels returned, ascending and distinct (0 = stem, 1..4 = layer1..layer4).</param>
/// <param name="Frames">Images per sample: 1, or T for a multi-image (Satlas MI) variant.</param>
/// <param name="ImageHeight">Input height padded to <see cref="ResNetBackbone.TotalStride"/>.</param>
/// <param name="ImageWidth">Input width padded to <see cref="ResNetBackbone.TotalStride"/>.</param>
public sealed record ResNetArchitecture(
    int InChannels,
    int Depth,
    ResNetBlock Block,
    EquatableArray<int> Layers,
    EquatableArray<int> OutIndices,
    bool MultiImage,
    int Frames,
    int ImageHeight,
    int ImageWidth,
    double DropPathRate)
{
    /// <summary>Channels out of the stem and into layer1 (torchvision's <c>inplanes = 64</c>).</summary>
    public const int StemWidth = 64;

    public int Expansion => Block == ResNetBlock.Bottleneck ? 4 : 1;

    /// <summary>The 3×3 width of the blocks of stage <paramref name="stage"/> (1..4): 64, 128, 256, 512.</summary>
    public static int StageWidth(int stage) => StemWidth << (stage - 1);

    /// <summary>Channels of level <paramref name="level"/>: 64 for the stem, then 64·e, 128·e, 256·e, 512·e.</summary>
    public int LevelChannels(int level) => level == 0 ? StemWidth : StageWidth(level) * Expansion;

    /// <summary>Stride of level <paramref name="level"/>: 2, 4, 8, 16, 32.</summary>
    public static int LevelStride(int level) => 2 << level;

    public int LevelHeight(int level) => CeilDiv(ImageHeight, LevelStride(level));

    public int LevelWidth(int level) => CeilDiv(ImageWidth, LevelStride(level));

    private static int CeilDiv(int value, int divisor) => (value + divisor - 1) / divisor;
}

/// <summary>
/// torchvision's ResNets (pytorch/vision <c>torchvision/models/resnet.py</c>: stem conv1 7×7/2 → bn1 → ReLU → max-pool
/// 3×3/2, then layer1..layer4 of BasicBlocks or Bottlenecks with the stride on the 3×3 conv) as multi-scale feature
/// extractors, the way timm's <c>features_only</c> / <c>forward_intermediates</c> and TerraTorch's torchgeo wrapper give
/// them: five channel-first levels, the stem after its ReLU (64 channels, stride 2) and layer1..layer4 (strides 4, 8,
/// 16, 32). <c>out_indices</c> selects levels. The catalog counts the feature extractor without the classifier
/// <c>fc</c>. Satlas multi-image variants encode every image of [B, C, T, H, W] and max-pool each level over T
/// (allenai/satlaspretrain_models README "Model Structure" and <c>models/backbones.py</c> <c>AggregationBackbone</c>).
/// Levels come back in network order, each once, as TerraTorch's wrapper returns them; every negative index counts
/// from the end here, where TerraTorch's wrapper honours only -1.
/// </summary>
public sealed class ResNetBackbone : BackboneDescriptor
{
    /// <summary>The five levels' combined downsampling; inputs are padded to a multiple of it.</summary>
    public const int TotalStride = 32;

    /// <summary>Stem plus four stages.</summary>
    public const int LevelCount = 5;

    public ResNetBackbone(ResNetVariant variant)
        : base(variant.Name, Summarise(variant), BuildParameters(variant))
    {
        Variant = variant;
    }

    public ResNetVariant Variant { get; }

    public override IReadOnlyList<string> PretrainedBands => Variant.PretrainedBands;

    public override int DefaultImageSize => Variant.DefaultImageSize;

    public override string RuntimeType => "GeoDsl.Runtime.Backbones.ResNet.ResNetEncoder";

    /// <summary>Satlas multi-image variants max-pool their frames themselves; the others get <c>temporal_pooling</c> for image series.</summary>
    public override bool HandlesFrames => Variant.MultiImage;

    /// <summary>
    /// Padding to the total stride makes every level exactly half the one before (what U-Net-style decoders need);
    /// TerraTorch does not pad CNN inputs, and an odd size there gives levels of ⌈H/s⌉ that such decoders reject.
    /// </summary>
    public override int PaddingMultiple(ArgumentList args) => TotalStride;

    /// <summary>The network's numbers for this input and these arguments (out-of-range <c>out_indices</c> are left out; <see cref="Infer"/> reports them).</summary>
    public ResNetArchitecture Resolve(InputSpec input, ArgumentList args)
    {
        var requested = args.IntListOrNull("out_indices") ?? Enumerable.Range(0, LevelCount).ToList();
        var levels = requested.Select(i => StageRules.Normalise(i, LevelCount)).Where(i => i is not null).Select(i => i!.Value).Distinct().OrderBy(i => i);
        return new ResNetArchitecture(
            InChannels: input.Channels,
            Depth: Variant.Depth,
            Block: Variant.Block,
            Layers: Variant.Layers.ToEquatableArray(),
            OutIndices: levels.ToEquatableArray(),
            MultiImage: Variant.MultiImage,
            Frames: input.Frames,
            ImageHeight: RoundUp(input.Height, TotalStride),
            ImageWidth: RoundUp(input.Width, TotalStride),
            DropPathRate: args.Double("drop_path_rate"));
    }

    public override FeatureShape? Infer(InputSpec input, ArgumentList args, ShapeContext context)
    {
        var requested = args.IntListOrNull("out_indices") ?? Array.Empty<int>();
        for (int item = 0; item < requested.Count; item++)
        {
            if (StageRules.Normalise(requested[item], LevelCount) is null)
            {
                context.ReportAt(Binding.SpecLocations.Item("out_indices", item), DiagnosticDescriptors.FeatureIndexOutOfRange, StageRules.Text(requested[item]),
                    "out_indices of " + Title, "its stem and four stages", StageRules.Text(LevelCount), StageRules.ValidRange(LevelCount));
                return null;
            }
        }

        var a = Resolve(input, args);
        var maps = a.OutIndices.Select(level => TensorShape.Of(a.LevelChannels(level), a.LevelHeight(level), a.LevelWidth(level)));
        return FeatureShape.Maps(maps);
    }

    /// <summary>
    /// Learnable parameters without <c>fc</c>: conv1 C·64·7² (no bias), bn1 2·64; per BasicBlock 9·in·w + 9·w² + 4w; per
    /// Bottleneck in·w + 9w² + 4w² + 12w; a stage's first block adds the 1×1 projection in·(w·e) + 2·w·e when its stride or
    /// width changes. Batch-norm running statistics are buffers.
    /// </summary>
    public override long CountParameters(InputSpec input, ArgumentList args) => CountParameters(Resolve(input, args), classes: 0);

    /// <summary>The same count with a classifier <c>fc</c> of <paramref name="classes"/> outputs (torchvision's default is 1000).</summary>
    public static long CountParameters(ResNetArchitecture a, int classes)
    {
        long total = ConvCounts.Conv(a.InChannels, ResNetArchitecture.StemWidth, 7, bias: false) + ConvCounts.BatchNorm(ResNetArchitecture.StemWidth);
        long inChannels = ResNetArchitecture.StemWidth;
        for (int stage = 1; stage <= 4; stage++)
        {
            long w = ResNetArchitecture.StageWidth(stage);
            long outChannels = w * a.Expansion;
            for (int block = 0; block < a.Layers[stage - 1]; block++)
            {
                bool projects = block == 0 && (stage > 1 || inChannels != outChannels);
                total += a.Block == ResNetBlock.Basic
                    ? ConvCounts.Conv(inChannels, w, 3, false) + ConvCounts.BatchNorm(w) + ConvCounts.Conv(w, w, 3, false) + ConvCounts.BatchNorm(w)
                    : ConvCounts.Conv(inChannels, w, 1, false) + ConvCounts.BatchNorm(w) + ConvCounts.Conv(w, w, 3, false) + ConvCounts.BatchNorm(w)
                      + ConvCounts.Conv(w, outChannels, 1, false) + ConvCounts.BatchNorm(outChannels);
                if (projects)
                {
                    total += ConvCounts.Conv(inChannels, outChannels, 1, false) + ConvCounts.BatchNorm(outChannels);
                }

                inChannels = outChannels;
            }
        }

        return total + (classes > 0 ? ConvCounts.Linear(inChannels, classes) : 0);
    }

    /// <summary>
    /// What autograd keeps, per sample (memory-facts.md §1.8): each convolution's input (a separate half-precision copy
    /// under mixed precision), each batch norm's input, each ReLU's output, the max-pool's output and int64 indices. Only
    /// the stages up to the last selected level run. Multi-image variants run T images and keep the stacked levels for the
    /// max over T. Inference keeps the selected levels plus the largest block's working set. In fp32 this is within 0.4% of
    /// what PyTorch 1.13 saves for ResNet-18/50/101 at 224 px (bench/tools/resnet_activations.py: 21.19, 82.12, 121.37 MiB).
    /// </summary>
    public override ActivationEstimate EstimateActivations(InputSpec input, ArgumentList args, FeatureShape output, ActivationSettings settings)
    {
        var a = Resolve(input, args);
        int images = a.MultiImage ? Math.Max(1, a.Frames) : 1;
        long stream = settings.StreamBytes;
        long compute = settings.ComputeBytes;
        bool castCopies = settings.ComputeBytes != settings.StreamBytes;
        int lastLevel = a.OutIndices.Count == 0 ? LevelCount - 1 : a.OutIndices.Max();

        long Area(int level) => (long)a.LevelHeight(level) * a.LevelWidth(level);

        // Stem: pixels (conv1's input), conv1 output (bn1's input), ReLU output, and if layer1 runs, the max-pool output and its indices.
        long pixels = (long)a.InChannels * a.ImageHeight * a.ImageWidth;
        long saved = (pixels * compute) + (2L * ResNetArchitecture.StemWidth * Area(0) * stream);
        long largestBlock = (pixels + (2L * ResNetArchitecture.StemWidth * Area(0))) * stream;
        long inChannels = ResNetArchitecture.StemWidth;
        if (lastLevel >= 1)
        {
            saved += ResNetArchitecture.StemWidth * Area(1) * (stream + 8);
        }

        for (int stage = 1; stage <= lastLevel; stage++)
        {
            long w = ResNetArchitecture.StageWidth(stage);
            long outChannels = w * a.Expansion;
            for (int block = 0; block < a.Layers[stage - 1]; block++)
            {
                long inArea = block == 0 ? Area(Math.Max(1, stage - 1)) : Area(stage);
                long outArea = Area(stage);
                bool projects = block == 0 && (stage > 1 || inChannels != outChannels);
                long keptElements;
                long convInputs;
                if (a.Block == ResNetBlock.Basic)
                {
                    // conv1 → bn1 input, ReLU output; conv2 → bn2 input; ReLU output after the residual add.
                    keptElements = 4 * w * outArea;
                    convInputs = (inChannels * inArea) + (w * outArea);
                }
                else
                {
                    // conv1 (1×1) → bn1 input, ReLU output; conv2 (3×3, stride) → bn2 input, ReLU output; conv3 → bn3 input; ReLU after the add.
                    keptElements = (2 * w * inArea) + (2 * w * outArea) + (2 * outChannels * outArea);
                    convInputs = (inChannels * inArea) + (w * inArea) + (w * outArea);
                }

                if (projects)
                {
                    keptElements += outChannels * outArea; // the projection's output, bn's input
                    convInputs += inChannels * inArea;
                }

                saved += (keptElements * stream) + (castCopies ? convInputs * compute : 0);
                largestBlock = Math.Max(largestBlock, ((inChannels * inArea) + keptElements + (projects ? 0 : outChannels * outArea)) * stream);
                inChannels = outChannels;
            }
        }

        long selected = output.Tensors.Sum(t => t.Elements) * stream;
        long pooling = images > 1 ? (images + 1L) * selected : 0; // stacked levels and their maximum, kept for the max's backward
        if (!settings.Training)
        {
            // Each image's levels live until the max over T, which adds one more set.
            return new ActivationEstimate(0, (selected * images) + (images > 1 ? selected : 0) + largestBlock);
        }

        return new ActivationEstimate((saved * images) + pooling, largestBlock);
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private static string Summarise(ResNetVariant v)
    {
        string weights = v.Weights switch
        {
            ResNetWeights.ImageNet => "ImageNet weights",
            ResNetWeights.Satlas => "SatlasPretrain Sentinel-2 weights",
            ResNetWeights.Ssl4eoS12 => "SSL4EO-S12 weights",
            _ => "SSL4EO-L weights",
        };
        return $"ResNet-{v.Depth} ({v.Block} blocks {string.Join("-", v.Layers)}), 5 feature maps at strides 2-32, {weights} on {v.PretrainedBands.Count} bands"
            + (v.MultiImage ? ", multi-image (max over frames)" : string.Empty) + $" ({v.Source})";
    }

    private static ParameterInfo[] BuildParameters(ResNetVariant v) => new[]
    {
        ParameterInfo.With("pretrained", ParameterType.Bool, false, "Load the published weights (conv1 re-selected for the input bands)."),
        v.LastLevelByDefault
            ? ParameterInfo.With("out_indices", ParameterType.ListOf(ParameterType.Int(), minCount: 1), ParameterInfo.Ints(-1),
                "Levels returned: 0 = stem (stride 2), 1..4 = layer1..layer4 (strides 4..32); negative counts from the end. Default: the last, as TerraTorch's torchgeo wrapper.")
            : ParameterInfo.Optional("out_indices", ParameterType.ListOf(ParameterType.Int(), minCount: 1),
                "Levels returned: 0 = stem (stride 2), 1..4 = layer1..layer4 (strides 4..32); negative counts from the end. Default: all five."),
        ParameterInfo.With("drop_path_rate", ParameterType.Float(0, 0.99), 0.0,
            "Stochastic depth on the residual branches (timm's drop_path_rate), rising linearly to this rate over the blocks; training only."),
    };
}
