using System.Globalization;
using System.Runtime.CompilerServices;
using GeoDsl.Composition;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Backbones.Dofa;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.Dofa;

/// <summary>Small and real-size DOFA configurations, key lists and helpers for the DOFA tests.</summary>
internal static class DofaTestModels
{
    public static readonly string[] VariantNames = { "dofa_small_patch16_224", "dofa_base_patch16_224", "dofa_large_patch16_224" };

    /// <summary>A narrow encoder with the real patch (16): three bands (red, green, blue), D = 32, 2 blocks of 2 heads, 32×32 px.</summary>
    public static DofaViTOptions Tiny(int depth = 2) => new()
    {
        Wavelengths = new[] { 0.665, 0.56, 0.49 },
        EmbedDim = 32,
        Depth = depth,
        NumHeads = 2,
        ImageSize = (32, 32),
    };

    /// <summary>The published encoders as torchgeo builds them (torchgeo/models/dofa.py), with the nine README bands.</summary>
    public static DofaViTOptions Published(string name) => name switch
    {
        "dofa_small_patch16_224" => new DofaViTOptions { EmbedDim = 384, Depth = 12, NumHeads = 6 },
        "dofa_base_patch16_224" => new DofaViTOptions { EmbedDim = 768, Depth = 12, NumHeads = 12 },
        "dofa_large_patch16_224" => new DofaViTOptions { EmbedDim = 1024, Depth = 24, NumHeads = 16 },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>A small segmentation model on a DOFA backbone, as .geomodel text.</summary>
    public static string Model(string backbone = "dofa_base_patch16_224", string bands = "RED, GREEN, BLUE", string size = "64", string arguments = "embed_dim = 32, depth = 2, num_heads = 2") => $$"""
        model TinyDofa : segmentation {
            input { bands = [{{bands}}], size = {{size}} }
            backbone {{backbone}} { {{arguments}} }
            neck select_indices { indices = [-1] }
            neck reshape_tokens_to_image
            decoder fcn { channels = 8, num_convs = 2 }
            head segmentation { num_classes = 2 }
        }
        """;

    public static ModelAnalysis Analyze(string text) => ModelSpecs.Analyze(text, "dofa.geomodel");

    public static long TrainableCount(this nn.Module module) => module.parameters().Where(p => p.requires_grad).Sum(p => p.numel());

    public static Tensor Pixels(long batch, long channels, long height, long width, int seed = 1) =>
        torch.randn(new[] { batch, channels, height, width }, generator: new Generator((ulong)seed));

    public static TokenFeatures Encode(this DofaViT model, Tensor pixels) => model.call(new BackboneInput(pixels));

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
