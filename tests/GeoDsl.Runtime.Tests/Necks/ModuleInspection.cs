using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Support;

/// <summary>State-dict and parameter helpers shared by the neck, decoder and head tests.</summary>
internal static class ModuleInspection
{
    /// <summary>BatchNorm2d(c) as PyTorch writes it: weight, bias, running_mean, running_var, num_batches_tracked (scalar).</summary>
    public static IEnumerable<(string Key, long[] Shape)> BatchNorm(string prefix, long channels) =>
    [
        ($"{prefix}.weight", [channels]),
        ($"{prefix}.bias", [channels]),
        ($"{prefix}.running_mean", [channels]),
        ($"{prefix}.running_var", [channels]),
        ($"{prefix}.num_batches_tracked", []),
    ];

    /// <summary>A weight (and optional bias) entry pair.</summary>
    public static IEnumerable<(string Key, long[] Shape)> Layer(string prefix, long[] weight, long? bias)
        => bias is { } b ? [($"{prefix}.weight", weight), ($"{prefix}.bias", [b])] : [($"{prefix}.weight", weight)];

    /// <summary>Asserts the module's state dict has exactly these keys with these shapes, listing every difference.</summary>
    public static void AssertStateDict(nn.Module module, IEnumerable<(string Key, long[] Shape)> expected)
    {
        var actual = module.state_dict().ToDictionary(kv => kv.Key, kv => Shape(kv.Value.shape));
        var wanted = expected.ToDictionary(e => e.Key, e => Shape(e.Shape));
        var problems = new List<string>();
        problems.AddRange(wanted.Keys.Except(actual.Keys).Select(k => $"missing {k} [{wanted[k]}]"));
        problems.AddRange(actual.Keys.Except(wanted.Keys).Select(k => $"unexpected {k} [{actual[k]}]"));
        problems.AddRange(wanted.Keys.Intersect(actual.Keys).Where(k => wanted[k] != actual[k])
            .Select(k => $"{k}: expected [{wanted[k]}], got [{actual[k]}]"));
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    public static long ParameterCount(nn.Module module) => module.parameters().Sum(p => p.numel());

    public static long[] ShapeOf(Tensor tensor) => tensor.shape;

    private static string Shape(long[] shape) => string.Join("×", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
}
