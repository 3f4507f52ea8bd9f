using System.Runtime.CompilerServices;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Backbones.ResNet;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.ResNet;

/// <summary>Small ResNets, catalog lookups and the committed key lists for the ResNet tests.</summary>
internal static class ResNetTestModels
{
    /// <summary>A tiny BasicBlock network: base width 8, one block per stage, 3 bands.</summary>
    public static ResNetOptions TinyBasic(int inChannels = 3) => new()
    {
        Block = ResNetBlock.Basic, Layers = new[] { 1, 1, 1, 1 }, BaseWidth = 8, InChannels = inChannels,
    };

    /// <summary>A tiny Bottleneck network: base width 4 (levels 4, 16, 32, 64, 128 channels), blocks 1-2-1-1.</summary>
    public static ResNetOptions TinyBottleneck(int inChannels = 3) => new()
    {
        Block = ResNetBlock.Bottleneck, Layers = new[] { 1, 2, 1, 1 }, BaseWidth = 4, InChannels = inChannels,
    };

    public static ResNetBackbone Descriptor(string name) => (ResNetBackbone)ComponentCatalog.Default.FindBackbone(name)!;

    /// <summary>The input a variant's pretrained bands make, at <paramref name="size"/> px.</summary>
    public static InputSpec InputFor(IReadOnlyList<string> bands, int size, int frames = 1) =>
        new(bands.ToEquatableArray(), size, size, frames, EquatableArray<double>.Empty, EquatableArray<double>.Empty);

    /// <summary>The catalog's default arguments of a backbone, as the binder fills them in.</summary>
    public static ArgumentList DefaultArgs(ComponentDescriptor descriptor) => Args(descriptor);

    /// <summary>Default arguments with some replaced.</summary>
    public static ArgumentList Args(ComponentDescriptor descriptor, params (string Name, ArgValue Value)[] overrides)
    {
        var arguments = new List<Argument>();
        foreach (var parameter in descriptor.Parameters)
        {
            var value = overrides.FirstOrDefault(o => o.Name == parameter.Name).Value ?? parameter.Default;
            if (value is not null && value is not NoneValue)
            {
                arguments.Add(new Argument(parameter.Name, value));
            }
        }

        return new ArgumentList(arguments.ToEquatableArray());
    }

    public static ArgValue Ints(params int[] values) => new ListValue(values.Select(v => (ArgValue)new IntValue(v)).ToEquatableArray());

    public static long ParameterCount(this nn.Module module) => module.parameters().Sum(p => p.numel());

    public static Tensor Pixels(params long[] shape) => torch.randn(shape, generator: new Generator(7));

    public static float MaxAbsDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    /// <summary>A committed key list <c>bench/keys/&lt;model&gt;.txt</c>: (key, shape) per state-dict entry, in order.</summary>
    public static IReadOnlyList<(string Key, long[] Shape)> KeyList(string model)
    {
        var entries = new List<(string, long[])>();
        foreach (var line in File.ReadLines(Path.Combine(RepositoryRoot(), "bench", "keys", model + ".txt")))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            int space = line.IndexOf(' ', StringComparison.Ordinal);
            string dims = line[(space + 1)..].Trim('[', ']');
            entries.Add((line[..space], dims.Length == 0 ? Array.Empty<long>() : dims.Split(',').Select(long.Parse).ToArray()));
        }

        return entries;
    }

    /// <summary>The checkout this test was compiled from (the key lists are read from the sources, not copied to the output).</summary>
    private static string RepositoryRoot([CallerFilePath] string thisFile = "")
    {
        for (var directory = new DirectoryInfo(Path.GetDirectoryName(thisFile)!); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GeoDsl.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No GeoDsl.sln above {thisFile}.");
    }
}
