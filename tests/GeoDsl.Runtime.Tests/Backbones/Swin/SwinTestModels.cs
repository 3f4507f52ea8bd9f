using System.Globalization;
using System.Runtime.CompilerServices;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Backbones.Swin;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.Swin;

/// <summary>Small Swin configurations, the catalog's Swin entries, and the committed key lists.</summary>
internal static class SwinTestModels
{
    /// <summary>A tiny torchvision-layout Swin: C = 8, one block per stage, 1/1/2/2 heads, window 2, no classifier.</summary>
    public static SwinOptions Tiny(bool v2 = false, int inChannels = 3) => new()
    {
        InChannels = inChannels,
        EmbedDim = 8,
        Depths = new[] { 1, 1, 1, 1 },
        NumHeads = new[] { 1, 1, 2, 2 },
        WindowSize = 2,
        V2 = v2,
    };

    /// <summary>A tiny Swin with two blocks per stage, so shifted windows run; window 4 (shifts by 2).</summary>
    public static SwinOptions TinyShifted(bool v2 = false, int inChannels = 3) =>
        Tiny(v2, inChannels) with { Depths = new[] { 2, 2, 2, 2 }, WindowSize = 4 };

    /// <summary>The catalog entry called <paramref name="name"/>.</summary>
    public static BackboneDescriptor Descriptor(string name) => ComponentCatalog.Default.FindBackbone(name)
        ?? throw new ArgumentException($"The catalog has no backbone '{name}'.", nameof(name));

    public static IEnumerable<string> TorchvisionNames => SwinVariants.Torchvision.Select(v => v.Name);

    public static IEnumerable<string> SatlasNames => SwinVariants.Satlas.Select(v => v.Name);

    public static IEnumerable<string> PrithviNames => SwinVariants.Prithvi.Select(v => v.Name);

    /// <summary>An input with the entry's pretrained bands at its default size (one frame).</summary>
    public static InputSpec PretrainedInput(BackboneDescriptor descriptor, int? size = null) => new(
        descriptor.PretrainedBands.ToEquatableArray(), size ?? descriptor.DefaultImageSize, size ?? descriptor.DefaultImageSize, 1,
        EquatableArray<double>.Empty, EquatableArray<double>.Empty);

    /// <summary>Arguments with the entry's defaults filled in, as the binder fills them.</summary>
    public static ArgumentList DefaultArguments(BackboneDescriptor descriptor, params Argument[] given)
    {
        var list = given.ToList();
        foreach (var parameter in descriptor.Parameters)
        {
            if (parameter.Default is { } value and not NoneValue && list.All(a => a.Name != parameter.Name))
            {
                list.Add(new Argument(parameter.Name, value));
            }
        }

        return new ArgumentList(list.ToEquatableArray());
    }

    public static Argument Ints(string name, params int[] values) =>
        new(name, new ListValue(values.Select(v => (ArgValue)new IntValue(v)).ToEquatableArray()));

    /// <summary>
    /// The runtime module for a catalog entry at real size, on the meta device (for counts and keys);
    /// <paramref name="classes"/> &gt; 0 gives a torchvision Swin its classifier (the Satlas wrapper always has one).
    /// </summary>
    public static nn.Module BuildReal(string name, InputSpec? input = null, Argument[]? given = null, int classes = 0)
    {
        var descriptor = Descriptor(name);
        return BuildModule(descriptor, input ?? PretrainedInput(descriptor), DefaultArguments(descriptor, given ?? Array.Empty<Argument>()), torch.META, classes);
    }

    /// <summary>The runtime module the registry builds for a catalog entry with these (complete) arguments.</summary>
    public static nn.Module BuildModule(BackboneDescriptor descriptor, InputSpec input, ArgumentList args, Device? device = null, int classes = 0) => descriptor switch
    {
        SwinBackbone d => new SwinTransformer(SwinOptions.From(d.Resolve(input, args)) with { NumClasses = classes }, d.Name, device),
        SwinSatlasBackbone d => new SatlasSwinTransformer(SwinOptions.From(d.Resolve(input, args)), d.Variant.MultiImage, d.Name, device),
        SwinPrithviBackbone d => new PrithviSwinTransformer(SwinOptions.From(d.Resolve(input, args)), d.Name, device),
        _ => throw new ArgumentException($"{descriptor.Name} is not a Swin.", nameof(descriptor)),
    };

    public static long ParameterCount(this nn.Module module) => module.parameters().Sum(p => p.numel());

    public static Tensor Pixels(params long[] shape) => torch.randn(shape, generator: new Generator(11));

    public static float MaxAbsDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    /// <summary>"key [d0,d1]" lines of a module's state dict, in order.</summary>
    public static IReadOnlyList<string> Describe(nn.Module module) =>
        module.state_dict().Select(p => $"{p.Key} [{string.Join(",", p.Value.shape)}]").ToList();
}

/// <summary>
/// A committed key list <c>bench/keys/&lt;model&gt;.txt</c> (from bench/tools/dump_state_dict_keys.py or
/// bench/tools/swin_family_keys.py): "key [shape]" lines in state-dict order and the parameter count of its header.
/// </summary>
internal sealed record SwinKeyList(IReadOnlyList<string> Lines, long Parameters)
{
    public static SwinKeyList Read(string model)
    {
        var lines = new List<string>();
        long parameters = -1;
        foreach (var line in File.ReadLines(Path.Combine(RepositoryRoot(), "bench", "keys", model + ".txt")))
        {
            if (line.StartsWith('#'))
            {
                // "# 185 state-dict entries; 28288354 parameters (sum of numel over parameters())"
                int at = line.IndexOf(" parameters", StringComparison.Ordinal);
                int start = line.LastIndexOf(' ', Math.Max(0, at - 1)) + 1;
                if (at > 0 && long.TryParse(line[start..at], NumberStyles.Integer, CultureInfo.InvariantCulture, out long count))
                {
                    parameters = count;
                }
            }
            else if (line.Length > 0)
            {
                lines.Add(line);
            }
        }

        return new SwinKeyList(lines, parameters);
    }

    /// <summary>
    /// Asserts <paramref name="module"/>'s state dict has exactly these keys and shapes, and its parameters come in this
    /// order. Buffers are compared by name only: TorchSharp lists a module's parameters before its buffers, where
    /// PyTorch interleaves them module by module; loading matches by name.
    /// </summary>
    public void AssertMatches(torch.nn.Module module)
    {
        var actual = SwinTestModels.Describe(module);
        Assert.Equal(Lines.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));

        var parameters = module.named_parameters().Select(p => p.name).ToHashSet(StringComparer.Ordinal);
        var expectedOrder = Lines.Select(l => l[..l.IndexOf(' ', StringComparison.Ordinal)]).Where(parameters.Contains);
        Assert.Equal(expectedOrder, module.named_parameters().Select(p => p.name));
    }

    /// <summary>The same list with one entry's shape replaced (a first conv with other input bands).</summary>
    public SwinKeyList WithShape(string key, params long[] shape) =>
        this with { Lines = Lines.Select(l => l.StartsWith(key + " ", StringComparison.Ordinal) ? $"{key} [{string.Join(",", shape)}]" : l).ToList() };

    /// <summary>The checkout this test was compiled from: key lists are read from the sources, not copied to the output.</summary>
    private static string RepositoryRoot([CallerFilePath] string thisFile = "")
    {
        for (var directory = Path.GetDirectoryName(thisFile); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "GeoDsl.sln")))
            {
                return directory;
            }
        }

        throw new DirectoryNotFoundException($"No GeoDsl.sln above {thisFile}.");
    }
}
