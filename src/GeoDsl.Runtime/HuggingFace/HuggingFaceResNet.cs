using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.HuggingFace;

/// <summary>
/// Hugging Face <c>ResNetModel</c> (transformers <c>models/resnet/modeling_resnet.py</c>) as the catalog's torchvision
/// ResNet: <c>depths</c> and <c>layer_type</c> (basic / bottleneck) pick resnet18/34/50/101/152.
/// </summary>
/// <remarks>
/// Keys (with or without <c>resnet.</c>): <c>embedder.embedder.convolution</c> → <c>conv1</c>, <c>…normalization</c> →
/// <c>bn1</c>; <c>encoder.stages.s.layers.l.layer.k.convolution</c> → <c>layer{s+1}.l.conv{k+1}</c> and
/// <c>.normalization</c> → <c>bn{k+1}</c>; <c>…shortcut.convolution</c> / <c>.normalization</c> → <c>downsample.0</c> / <c>.1</c>.
/// <c>classifier.*</c> is dropped.
/// </remarks>
public sealed class HuggingFaceResNet : IHuggingFaceArchitecture
{
    private static readonly Regex StageKey = new(@"^encoder\.stages\.(\d+)\.layers\.(\d+)\.(?:layer\.(\d+)|(shortcut))\.(convolution|normalization)\.(.+)$");

    private static readonly Dictionary<(string Type, string Depths), int> Depths = new()
    {
        [("basic", "2,2,2,2")] = 18,
        [("basic", "3,4,6,3")] = 34,
        [("bottleneck", "3,4,6,3")] = 50,
        [("bottleneck", "3,4,23,3")] = 101,
        [("bottleneck", "3,8,36,3")] = 152,
    };

    public IReadOnlyList<string> ModelTypes { get; } = new[] { "resnet" };

    public HuggingFaceBackbone Backbone(HuggingFaceConfig config)
    {
        string layerType = config.String("layer_type", "bottleneck");
        var depths = config.IntList("depths");
        if (!Depths.TryGetValue((layerType, string.Join(",", depths)), out int depth))
        {
            throw config.Unsupported("depths", $"[{string.Join(", ", depths)}] with layer_type \"{layerType}\" is none of torchvision's ResNets (18, 34: basic [2,2,2,2], [3,4,6,3]; 50, 101, 152: bottleneck [3,4,6,3], [3,4,23,3], [3,8,36,3])");
        }

        if (config.Bool("downsample_in_bottleneck", false))
        {
            throw config.Unsupported("downsample_in_bottleneck", "is true (stride on the first 1×1, ResNet v1); torchvision's ResNet strides the 3×3 (v1.5)");
        }

        if (config.Int("embedding_size", 64) != 64)
        {
            throw config.Unsupported("embedding_size", "differs from torchvision's 64-channel stem");
        }

        var tail = new[] { "decoder fcn { channels = 256, num_convs = 2 }" };
        return new HuggingFaceBackbone("resnet" + depth.ToString(CultureInfo.InvariantCulture), new[] { "out_indices = [-1]" }, tail, new List<string>());
    }

    public HuggingFaceKeyMapping MapKeys(HuggingFaceConfig config, IReadOnlyDictionary<string, Tensor> tensors) =>
        KeyRules.Rename(tensors, "resnet", new[] { "classifier." }, key =>
        {
            const string Stem = "embedder.embedder.";
            if (key.StartsWith(Stem + "convolution.", System.StringComparison.Ordinal))
            {
                return "conv1." + key.Substring(Stem.Length + "convolution.".Length);
            }

            if (key.StartsWith(Stem + "normalization.", System.StringComparison.Ordinal))
            {
                return "bn1." + key.Substring(Stem.Length + "normalization.".Length);
            }

            var match = StageKey.Match(key);
            if (!match.Success)
            {
                return null;
            }

            string block = $"layer{int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) + 1}.{match.Groups[2].Value}.";
            bool conv = match.Groups[5].Value == "convolution";
            string leaf = match.Groups[6].Value;
            if (match.Groups[4].Success)
            {
                return block + (conv ? "downsample.0." : "downsample.1.") + leaf;
            }

            int k = int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) + 1;
            return block + (conv ? "conv" : "bn") + k.ToString(CultureInfo.InvariantCulture) + "." + leaf;
        });
}
