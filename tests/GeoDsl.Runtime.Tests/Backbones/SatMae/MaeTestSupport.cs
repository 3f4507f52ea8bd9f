using System.Runtime.CompilerServices;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.SatMae;

/// <summary>One state-dict entry: key, shape and whether it is a learnable parameter.</summary>
internal sealed record StateEntry(string Key, string Shape, bool Learnable)
{
    public override string ToString() => $"{Key} {Shape} {(Learnable ? "learnable" : "fixed")}";
}

/// <summary>Helpers the SatMAE, Scale-MAE and SSL4EO runtime tests share.</summary>
internal static class MaeTestSupport
{
    /// <summary>The committed key list <c>bench/keys/NAME.txt</c> (written by bench/tools/mae_family_keys.py).</summary>
    public static IReadOnlyList<StateEntry> ReferenceKeys(string name)
    {
        var path = Path.Combine(RepositoryRoot(), "bench", "keys", name + ".txt");
        return File.ReadAllLines(path)
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .Select(parts => new StateEntry(parts[0], parts[1], parts[2] == "learnable"))
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>The module's state dict in the key-list format, sorted by key.</summary>
    public static IReadOnlyList<StateEntry> Entries(nn.Module module)
    {
        var learnable = module.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToHashSet(StringComparer.Ordinal);
        return module.state_dict()
            .Select(pair => new StateEntry(pair.Key, "[" + string.Join(", ", pair.Value.shape) + "]", learnable.Contains(pair.Key)))
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .ToArray();
    }

    public static long LearnableParameters(nn.Module module) => module.parameters().Where(p => p.requires_grad).Sum(p => p.numel());

    /// <summary>The catalog entry <paramref name="name"/>.</summary>
    public static BackboneDescriptor Backbone(string name) =>
        ComponentCatalog.Default.FindBackbone(name) ?? throw new InvalidOperationException($"No backbone '{name}' in the catalog.");

    /// <summary>The published configuration's input: the pretrained bands at the default size, one frame unless given.</summary>
    public static InputSpec PublishedInput(BackboneDescriptor backbone, int frames = 1, int? size = null) => new(
        backbone.PretrainedBands.ToEquatableArray(),
        size ?? backbone.DefaultImageSize,
        size ?? backbone.DefaultImageSize,
        frames,
        EquatableArray<double>.Empty,
        EquatableArray<double>.Empty);

    /// <summary>No arguments: the descriptors fall back to the variant's numbers.</summary>
    public static ArgumentList NoArguments => new(EquatableArray<Argument>.Empty);

    public static Tensor Pixels(params long[] shape) => torch.randn(shape, generator: new Generator(7));

    public static float MaxAbsDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    private static string RepositoryRoot([CallerFilePath] string sourceFile = "")
    {
        var directory = Path.GetDirectoryName(sourceFile);
        while (directory is not null && !File.Exists(Path.Combine(directory, "GeoDsl.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        return directory ?? throw new InvalidOperationException($"No GeoDsl.sln above {sourceFile}.");
    }
}
