using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Layers;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Necks;

/// <summary>
/// Makes a flat ViT pyramid pyramidal by resizing: feature i of n is upsampled by scale_factor^(n−i)
/// (n = 4, factor 2: ×16, ×8, ×4, ×2). TerraTorch: <c>InterpolateToPyramidal</c> in <c>terratorch/models/necks.py</c>.
/// </summary>
public sealed class InterpolateToPyramidal : Neck<MapFeatures, MapFeatures>
{
    private readonly InterpolationMode interpolation;

    public InterpolateToPyramidal(int scale_factor = 2, string mode = "nearest") : base("InterpolateToPyramidal")
    {
        if (scale_factor < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(scale_factor), scale_factor, "InterpolateToPyramidal: scale_factor must be ≥ 1.");
        }

        ScaleFactor = scale_factor;
        Mode = mode;
        interpolation = ParseMode(mode);
    }

    public int ScaleFactor { get; }

    public string Mode { get; }

    /// <summary>TerraTorch's <c>process_channel_list</c>: unchanged.</summary>
    public static IReadOnlyList<int> OutChannels(IReadOnlyList<int> inChannels) => inChannels.ToArray();

    public override MapFeatures forward(MapFeatures input)
    {
        var n = input.Count;
        var outputs = new Tensor[n];
        for (var i = 0; i < n; i++)
        {
            FeatureChecks.RequireRank("InterpolateToPyramidal", input[i], 4, "B×C×H×W");
            var factor = Math.Pow(ScaleFactor, n - i);
            outputs[i] = nn.functional.interpolate(input[i], scale_factor: new[] { factor, factor }, mode: interpolation);
        }

        return new MapFeatures(outputs);
    }

    /// <summary>Maps torch's <c>F.interpolate</c> mode names to TorchSharp's enum.</summary>
    public static InterpolationMode ParseMode(string mode) => mode switch
    {
        "nearest" => InterpolationMode.Nearest,
        "nearest-exact" => InterpolationMode.NearestExact,
        "bilinear" => InterpolationMode.Bilinear,
        "bicubic" => InterpolationMode.Bicubic,
        "area" => InterpolationMode.Area,
        _ => throw new ArgumentException(
            $"Interpolation mode '{mode}' is not one of nearest, nearest-exact, bilinear, bicubic, area.", nameof(mode)),
    };
}
