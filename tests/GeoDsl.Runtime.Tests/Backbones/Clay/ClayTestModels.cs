using System.Globalization;
using System.Runtime.CompilerServices;
using GeoDsl.Composition;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Backbones.Clay;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.Clay;

/// <summary>Small and real-size Clay configurations, key lists and helpers for the Clay tests.</summary>
internal static class ClayTestModels
{
    public static readonly string[] VariantNames = { "clay_v1_base", "clay_v1_5_large" };

    /// <summary>A narrow v1-style encoder with the real patch (8): three bands, D = 32, 2 layers of 2 heads × 16, fixed 32×32 grid.</summary>
    public static ClayEncoderOptions Tiny(int depth = 2, bool fixedGrid = true) => new()
    {
        Wavelengths = new[] { 0.665, 0.56, 0.493 },
        Dim = 32,
        Depth = depth,
        Heads = 2,
        DimHead = 16,
        ImageSize = (32, 32),
        FixedGrid = fixedGrid,
    };

    /// <summary>The published encoders (Clay claymodel/model.py clay_mae_base / clay_mae_large) with Clay's ten Sentinel-2 bands.</summary>
    public static ClayEncoderOptions Published(string name) => name switch
    {
        "clay_v1_base" => new ClayEncoderOptions { Dim = 768, Depth = 12, Heads = 12, DimHead = 64, FixedGrid = true },
        "clay_v1_5_large" => new ClayEncoderOptions { Dim = 1024, Depth = 24, Heads = 16, DimHead = 64, FixedGrid = false },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>A small segmentation model on a Clay backbone, as .geomodel text.</summary>
    public static string Model(string backbone = "clay_v1_base", string bands = "RED, GREEN, BLUE", string size = "64", string? arguments = null) => $$"""
        model TinyClay : segmentation {
            input { bands = [{{bands}}], size = {{size}} }
            backbone {{backbone}} { {{arguments ?? (backbone == "clay_v1_base" ? "img_size = 64, " : "") + "dim = 32, depth = 2, heads = 2, dim_head = 16"}} }
            neck select_indices { indices = [-1] }
            neck reshape_tokens_to_image
            decoder fcn { channels = 8, num_convs = 3 }
            head segmentation { num_classes = 2 }
        }
        """;

    public static ModelAnalysis Analyze(string text) => ModelSpecs.Analyze(text, "clay.geomodel");

    public static long TrainableCount(this nn.Module module) => module.parameters().Where(p => p.requires_grad).Sum(p => p.numel());

    public static Tensor Pixels(long batch, long channels, long height, long width, int seed = 1) =>
        torch.randn(new[] { batch, channels, height, width }, generator: new Generator((ulong)seed));

    public static TokenFeatures Encode(this ClayEncoder model, Tensor pixels) => model.call(new BackboneInput(pixels));

    public static float MaxAbsDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    /// <summary>A committed key list, bench/keys/NAME.txt: key → (shape, learnable).</summary>
    public static IReadOnlyDictionary<string, (long[] Shape, bool Learnable)> KeyList(string name)
    {
        var result = new Dictionary<string, (long[], bool)>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(KeyListPath(name)))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split('\t');
            var shape = parts[1].Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(s => long.Parse(s.Trim(), CultureInfo.InvariantCulture)).ToArray();
            result.Add(parts[0], (shape, parts[2] == "learnable"));
        }

        return result;
    }

    /// <summary>The "# learnable parameters: N" header of a key list.</summary>
    public static long KeyListLearnableCount(string name) => long.Parse(
        File.ReadLines(KeyListPath(name)).First(l => l.StartsWith("# learnable parameters: ", StringComparison.Ordinal))["# learnable parameters: ".Length..],
        CultureInfo.InvariantCulture);

    private static string KeyListPath(string name) => Path.Combine(RepositoryRoot(), "bench", "keys", name + ".txt");

    private static string RepositoryRoot([CallerFilePath] string thisFile = "")
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(thisFile)!);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "GeoDsl.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"No GeoDsl.sln above {thisFile}.");
    }
}
