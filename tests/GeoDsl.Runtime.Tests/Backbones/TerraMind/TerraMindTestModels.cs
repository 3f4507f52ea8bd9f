using System.Globalization;
using System.Runtime.CompilerServices;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Backbones.TerraMind;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.TerraMind;

/// <summary>Small and real-size TerraMind configurations, front-end look-ups and the committed key lists.</summary>
internal static class TerraMindTestModels
{
    public static readonly string[] VariantNames = { "terramind_v1_tiny", "terramind_v1_small", "terramind_v1_base", "terramind_v1_large" };

    /// <summary>The six image modalities of the published checkpoints, as the key lists in bench/keys use them.</summary>
    public static readonly string[] AllImageModalities = { "S2L1C", "S2L2A", "S2RGB", "S1GRD", "S1RTC", "DEM" };

    /// <summary>A narrow encoder with the real patch (16): D = 32, 2 blocks, 2 heads; the variant decides MLP style and biases.</summary>
    public static TerraMindViTOptions Tiny(string variant = "terramind_v1_tiny", string merge = "mean", params string[] modalities) =>
        TerraMindViTOptions.For(variant, modalities.Length == 0 ? new[] { "S2RGB", "S1GRD" } : modalities) with
        {
            Dim = 32,
            EncoderDepth = 2,
            NumHeads = 2,
            MergeMethod = merge,
        };

    public static long LearnableCount(this nn.Module module) => module.parameters().Where(p => p.requires_grad).Sum(p => p.numel());

    public static Tensor Pixels(long batch, long channels, long height, long width, int seed = 1)
    {
        var generator = new Generator((ulong)seed);
        return torch.randn(new[] { batch, channels, height, width }, generator: generator);
    }

    public static float MaxAbsDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    public static TerraMindBackbone Descriptor(string name) => (TerraMindBackbone)ComponentCatalog.Default.FindBackbone(name)!;

    /// <summary>The input of a model with every pretrained band of <paramref name="modalities"/>, in order.</summary>
    public static InputSpec InputWith(int size, params string[] modalities) => new(
        modalities.SelectMany(TerraMindBackbone.PretrainedBandsOf).ToEquatableArray(), size, size, 1,
        EquatableArray<double>.Empty, EquatableArray<double>.Empty);

    /// <summary>Bound arguments: the descriptor's defaults with <paramref name="overrides"/> ("name", value) applied.</summary>
    public static ArgumentList Arguments(TerraMindBackbone descriptor, params (string Name, ArgValue Value)[] overrides) => new(
        descriptor.Parameters.Select(p => new Argument(p.Name, overrides.FirstOrDefault(o => o.Name == p.Name).Value ?? p.Default!)).ToEquatableArray());

    public static ArgValue Names(params string[] names) => new ListValue(names.Select(n => (ArgValue)new NameValue(n)).ToEquatableArray());

    public static ArgValue Ints(params int[] values) => new ListValue(values.Select(v => (ArgValue)new IntValue(v)).ToEquatableArray());

    /// <summary>A committed key list, bench/keys/NAME.txt: key → (shape, parameter or buffer).</summary>
    public static IReadOnlyDictionary<string, (long[] Shape, bool Parameter)> KeyList(string name)
    {
        var result = new Dictionary<string, (long[], bool)>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(Path.Combine(RepositoryRoot(), "bench", "keys", name + ".txt")))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split('\t');
            var shape = parts[1].Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(s => long.Parse(s.Trim(), CultureInfo.InvariantCulture)).ToArray();
            result.Add(parts[0], (shape, parts[2] == "parameter"));
        }

        return result;
    }

    /// <summary>The repository this test file was compiled from (the key lists are not copied to the output).</summary>
    public static string RepositoryRoot([CallerFilePath] string thisFile = "")
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(thisFile)!);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "GeoDsl.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"No GeoDsl.sln above {thisFile}.");
    }

    public static TokenFeatures Encode(this TerraMindViT model, Tensor pixels) => model.call(new BackboneInput(pixels));
}
