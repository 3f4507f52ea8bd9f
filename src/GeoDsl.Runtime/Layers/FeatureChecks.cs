using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GeoDsl.Runtime.Features;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Layers;

/// <summary>
/// Run-time shape checks shared by necks, decoders and heads. Messages name the component, what it expected and
/// what it got, so a wrong composition fails with the numbers rather than deep inside a convolution.
/// </summary>
public static class FeatureChecks
{
    /// <summary>Shape as "B×C×H×W".</summary>
    public static string Describe(Tensor tensor) => string.Join("×", tensor.shape);

    /// <summary>Channel list as "[256, 512]".</summary>
    public static string Describe(IEnumerable<int> channels)
        => "[" + string.Join(", ", channels.Select(c => c.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <summary>Resolves a Python-style index (negative counts from the end) against <paramref name="count"/>.</summary>
    public static int ResolveIndex(string component, string parameter, int index, int count)
    {
        var resolved = index < 0 ? count + index : index;
        if (resolved < 0 || resolved >= count)
        {
            throw new ArgumentOutOfRangeException(
                parameter,
                index,
                $"{component}: {parameter} {index} is out of range for {count} feature(s) (valid: {-count}..{count - 1}).");
        }

        return resolved;
    }

    /// <summary>Throws unless <paramref name="features"/> holds exactly <paramref name="expected"/> tensors.</summary>
    public static void RequireCount(string component, FeatureSet features, int expected)
    {
        if (features.Count != expected)
        {
            throw new ArgumentException(
                $"{component} expects {expected} feature map(s); got {features.Count}: {features.DescribeShapes()}.",
                nameof(features));
        }
    }

    /// <summary>Throws unless <paramref name="tensor"/> has <paramref name="rank"/> dimensions.</summary>
    public static void RequireRank(string component, Tensor tensor, int rank, string layout)
    {
        if (tensor.dim() != rank)
        {
            throw new ArgumentException(
                $"{component} expects a {rank}-D tensor {layout}; got {tensor.dim()}-D {Describe(tensor)}.",
                nameof(tensor));
        }
    }

    /// <summary>Throws unless the channel-first map <paramref name="tensor"/> is 4-D with <paramref name="channels"/> channels.</summary>
    public static void RequireMap(string component, Tensor tensor, long channels, string what = "input")
    {
        if (tensor.dim() != 4 || tensor.shape[1] != channels)
        {
            throw new ArgumentException(
                $"{component} expects {what} B×{channels}×H×W; got {Describe(tensor)}.",
                nameof(tensor));
        }
    }

    /// <summary>
    /// Throws unless <paramref name="features"/> are 4-D maps whose channels equal <paramref name="expected"/> one for one.
    /// </summary>
    public static void RequireChannels(string component, MapFeatures features, IReadOnlyList<int> expected)
    {
        var ok = features.Count == expected.Count;
        for (var i = 0; ok && i < expected.Count; i++)
        {
            ok = features[i].dim() == 4 && features[i].shape[1] == expected[i];
        }

        if (!ok)
        {
            throw new ArgumentException(
                $"{component} expects {expected.Count} map(s) B×C×H×W with C = {Describe(expected)}; "
                + $"got {features.Count}: {features.DescribeShapes()}.",
                nameof(features));
        }
    }
}
