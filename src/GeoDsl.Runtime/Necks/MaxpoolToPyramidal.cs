using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Layers;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Necks;

/// <summary>
/// Makes a flat ViT pyramid pyramidal by pooling: feature i is max-pooled with kernel (and stride) kernel_size^i;
/// feature 0 is copied (n = 4, kernel 2: /1, /2, /4, /8). TerraTorch: <c>MaxpoolToPyramidal</c> in
/// <c>terratorch/models/necks.py</c>.
/// </summary>
public sealed class MaxpoolToPyramidal : Neck<MapFeatures, MapFeatures>
{
    public MaxpoolToPyramidal(int kernel_size = 2) : base("MaxpoolToPyramidal")
    {
        if (kernel_size < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(kernel_size), kernel_size, "MaxpoolToPyramidal: kernel_size must be ≥ 1.");
        }

        KernelSize = kernel_size;
    }

    public int KernelSize { get; }

    /// <summary>TerraTorch's <c>process_channel_list</c>: unchanged.</summary>
    public static IReadOnlyList<int> OutChannels(IReadOnlyList<int> inChannels) => inChannels.ToArray();

    public override MapFeatures forward(MapFeatures input)
    {
        var outputs = new Tensor[input.Count];
        for (var i = 0; i < input.Count; i++)
        {
            FeatureChecks.RequireRank("MaxpoolToPyramidal", input[i], 4, "B×C×H×W");
            if (i == 0)
            {
                outputs[i] = input[i].clone();
                continue;
            }

            var kernel = (long)Math.Pow(KernelSize, i);
            outputs[i] = nn.functional.max_pool2d(input[i], new[] { kernel, kernel });
        }

        return new MapFeatures(outputs);
    }
}
