using GeoDsl.Composition;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Composition;
using TorchSharp;
using GeneratorRuntimeTypes = GeoDsl.Generators.Emit.RuntimeTypes;

namespace GeoDsl.Generators.Tests.RuntimeTypes;

/// <summary>
/// The typed stages of generated classes cast the runtime's modules to the types <c>RuntimeTypes</c> names. For every
/// catalog component, the registry must build exactly that type, or the generated accessor throws at run time.
/// Small models are built through <see cref="ComponentRegistry.Default"/> and each stage's module type is compared.
/// </summary>
public sealed class RuntimeTypeTests
{
    private const string Input = "input { bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2], size = 64 }";

    private const string TinyPrithvi = "{ patch_size = 8, embed_dim = 32, depth = 4, num_heads = 2 }";

    /// <summary>Small models that together use every backbone, neck, decoder and head the catalog offers.</summary>
    private static readonly Dictionary<string, string> Models = new()
    {
        ["TokensToPyramid"] = $$"""
            model TokensToPyramid : segmentation {
                {{Input}}
                backbone prithvi_eo_tiny {{TinyPrithvi}}
                neck select_indices { indices = [0, 1, 2, 3] }
                neck reshape_tokens_to_image
                neck learned_interpolate_to_pyramidal
                decoder unet { channels = [32, 16, 16, 8] }
                head segmentation { num_classes = 2 }
            }
            """,
        ["MapsToUperNet"] = $$"""
            model MapsToUperNet : segmentation {
                {{Input}}
                backbone prithvi_eo_tiny {{TinyPrithvi}}
                neck reshape_tokens_to_image
                neck select_indices { indices = [0, 1, 2, 3] }
                neck interpolate_to_pyramidal
                decoder uper_net { channels = 16 }
                head segmentation { num_classes = 3 }
            }
            """,
        ["MaxpoolToFcn"] = $$"""
            model MaxpoolToFcn : segmentation {
                {{Input}}
                backbone prithvi_eo_tiny {{TinyPrithvi}}
                neck reshape_tokens_to_image
                neck maxpool_to_pyramidal
                neck add_bottleneck_layer
                decoder fcn { channels = 16, num_convs = 1 }
                head segmentation { num_classes = 2 }
            }
            """,
        ["IdentityRegression"] = $$"""
            model IdentityRegression : regression {
                {{Input}}
                backbone prithvi_eo_tiny {{TinyPrithvi}}
                neck reshape_tokens_to_image
                decoder identity
                head regression
            }
            """,
        ["LinearDecoder"] = $$"""
            model LinearDecoder : segmentation {
                {{Input}}
                backbone prithvi_eo_tiny {{TinyPrithvi}}
                neck reshape_tokens_to_image
                decoder linear { num_classes = 2, upsampling_size = 8 }
            }
            """,
        ["Classifier"] = $$"""
            model Classifier : classification {
                {{Input}}
                backbone prithvi_eo_tiny {{TinyPrithvi}}
                neck reshape_tokens_to_image
                decoder identity
                head classification { num_classes = 4 }
            }
            """,
    };

    /// <summary>One model per backbone in the catalog: the variant's own architecture shrunk to a few small blocks.</summary>
    private static string BackboneModel(string backbone) => $$"""
        model With_{{backbone}} : segmentation {
            {{Input}}
            backbone {{backbone}} {{TinyPrithvi}}
            neck reshape_tokens_to_image
            decoder fcn { channels = 8, num_convs = 1 }
            head segmentation { num_classes = 2 }
        }
        """;

    public static TheoryData<string> SmallModels() => new(Models.Keys);

    /// <summary>The Prithvi variants, which <see cref="TinyPrithvi"/> shrinks; other families build small instances in their own runtime tests.</summary>
    public static TheoryData<string> Backbones() => new(ComponentCatalog.Default.Backbones.Where(b => b.Name.StartsWith("prithvi_eo_", StringComparison.Ordinal)).Select(b => b.Name).OrderBy(n => n, StringComparer.Ordinal));

    public static TheoryData<string> AllBackbones() => new(ComponentCatalog.Default.Backbones.Select(b => b.Name).OrderBy(n => n, StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(AllBackbones))]
    public void EveryBackboneNamesARuntimeBackboneTypeTheRegistryCanBuild(string backbone)
    {
        var descriptor = ComponentCatalog.Default.FindBackbone(backbone)!;
        var type = typeof(GeoModel).Assembly.GetType(descriptor.RuntimeType);

        Assert.True(type is not null, $"{descriptor.Title} names {descriptor.RuntimeType}, which GeoDsl.Runtime does not have.");
        Assert.True(typeof(Runtime.Features.IBackbone).IsAssignableFrom(type), $"{descriptor.RuntimeType} is not a backbone.");
        Assert.True(ComponentRegistry.Default.Contains(ComponentKind.Backbone, backbone), $"No factory is registered for {descriptor.Title}.");
        Assert.Equal("global::" + descriptor.RuntimeType, GeneratorRuntimeTypes.Component("backbone", backbone, FeatureKind.Maps));
    }

    [Theory]
    [MemberData(nameof(SmallModels))]
    public void EveryTypedStageNamesTheTypeTheRegistryBuilds(string model) => AssertStagesMatch(Models[model]);

    [Theory]
    [MemberData(nameof(Backbones))]
    public void EveryBackboneNamesTheTypeTheRegistryBuilds(string backbone) => AssertStagesMatch(BackboneModel(backbone));

    [Fact]
    public void TheSmallModelsCoverEveryNeckDecoderAndHeadWithAKnownFeatureKind()
    {
        var covered = Models.Values.SelectMany(text => Stages(Analyze(text)).Select(s => (s.Kind, s.Name))).ToHashSet();
        var catalog = ComponentCatalog.Default;
        var expected = catalog.Necks.Select(n => ("neck", n.Name))
            .Concat(catalog.Decoders.Select(d => ("decoder", d.Name)))
            .Concat(catalog.Heads.Select(h => ("head", h.Name)))
            .Where(c => !BuiltDirectly.ContainsKey(c.Item2))
            .ToList();

        var missing = expected.Where(c => !covered.Contains(c)).ToList();
        Assert.True(missing.Count == 0, "Add a small model using: " + string.Join(", ", missing.Select(m => m.Item1 + " " + m.Item2)));
    }

    /// <summary>
    /// Necks no Prithvi model can reach (permute_dims needs channel-last maps from a Swin-style backbone; a decoder
    /// needs maps, so pooled tokens end a model only through the head): built straight from the registry.
    /// </summary>
    private static readonly Dictionary<string, (FeatureShape Input, Argument[] Arguments)> BuiltDirectly = new()
    {
        ["permute_dims"] = (
            new FeatureShape(FeatureKind.ChannelLastMaps, EquatableArray.Create(TensorShape.Of(8, 8, 32), TensorShape.Of(4, 4, 64))),
            new[] { new Argument("new_order", new ListValue(EquatableArray.Create<ArgValue>(new IntValue(0), new IntValue(3), new IntValue(1), new IntValue(2)))) }),
        ["aggregate_tokens"] = (
            new FeatureShape(FeatureKind.Tokens, EquatableArray.Create(TensorShape.Of(17, 32)), new TokenLayout(true, 1, 4, 4)),
            new[] { new Argument("pooling", new NameValue("mean")), new Argument("index", new IntValue(-1)) }),
    };

    [Theory]
    [InlineData("permute_dims")]
    [InlineData("aggregate_tokens")]
    public void NecksOutsideTheSmallModelsNameTheTypeTheRegistryBuilds(string neck)
    {
        var descriptor = ComponentCatalog.Default.FindNeck(neck)!;
        var (input, arguments) = BuiltDirectly[neck];
        var spec = Analyze(Models["TokensToPyramid"]).Spec;

        using var module = ComponentRegistry.Default.Build(ComponentKind.Neck, new ComponentBuild(descriptor, new ArgumentList(arguments.ToEquatableArray()), input, spec));

        Assert.Equal(GeneratorRuntimeTypes.Component("neck", neck, input.Kind), CSharpName(module.GetType()));
    }

    [Theory]
    [InlineData(FeatureKind.Tokens)]
    [InlineData(FeatureKind.Maps)]
    [InlineData(FeatureKind.ChannelLastMaps)]
    [InlineData(FeatureKind.Pooled)]
    public void SelectIndicesKeepsTheFeatureTypeItReceives(FeatureKind kind)
    {
        var input = new FeatureShape(kind, EquatableArray.Create(TensorShape.Of(4, 4, 8), TensorShape.Of(4, 4, 8)), kind == FeatureKind.Tokens ? new TokenLayout(false, 1, 2, 2) : null);
        var arguments = new[] { new Argument("indices", new ListValue(EquatableArray.Create<ArgValue>(new IntValue(1)))) };

        using var module = ComponentRegistry.Default.Build(ComponentKind.Neck,
            new ComponentBuild(ComponentCatalog.Default.FindNeck("select_indices")!, new ArgumentList(arguments.ToEquatableArray()), input, Analyze(Models["TokensToPyramid"]).Spec));

        Assert.Equal(GeneratorRuntimeTypes.Component("neck", "select_indices", kind), CSharpName(module.GetType()));
        Assert.Equal(GeneratorRuntimeTypes.Feature(kind), CSharpName(module.GetType().GetGenericArguments().Single()));
    }

    [Fact]
    public void TheNameComparisonSeesADifferentType()
    {
        Assert.Equal("global::GeoDsl.Runtime.Necks.SelectIndices<global::GeoDsl.Runtime.Features.MapFeatures>", CSharpName(typeof(Runtime.Necks.SelectIndices<Runtime.Features.MapFeatures>)));
        Assert.NotEqual(GeneratorRuntimeTypes.Component("neck", "select_indices", FeatureKind.Tokens), CSharpName(typeof(Runtime.Necks.SelectIndices<Runtime.Features.MapFeatures>)));
    }

    private static void AssertStagesMatch(string text)
    {
        var analysis = Analyze(text);
        torch.manual_seed(0);
        using var model = new GeoModel(analysis.Spec);
        var modules = new Dictionary<string, List<TorchSharp.torch.nn.Module>>
        {
            ["backbone"] = new() { model.Encoder },
            ["neck"] = model.Necks.ToList(),
            ["decoder"] = new() { model.Decoder },
            ["head"] = model.Head is null ? new() : new() { model.Head },
        };
        var seen = modules.Keys.ToDictionary(k => k, _ => 0);

        foreach (var stage in Stages(analysis))
        {
            var module = modules[stage.Kind][seen[stage.Kind]++];
            string? expected = GeneratorRuntimeTypes.Component(stage.Kind, stage.Name, stage.Input);
            Assert.True(expected is not null, $"RuntimeTypes has no type for {stage.Kind} '{stage.Name}'.");
            Assert.Equal(expected, CSharpName(module.GetType()));
        }

        Assert.All(modules, pair => Assert.Equal(pair.Value.Count, seen[pair.Key]));
    }

    /// <summary>The model's backbone, necks, decoder and head with the kind of features each receives.</summary>
    private static IEnumerable<(string Kind, string Name, FeatureKind Input)> Stages(ModelAnalysis analysis)
    {
        var input = FeatureKind.Maps;
        foreach (var stage in analysis.Trace.Stages)
        {
            if (stage.Kind is "backbone" or "neck" or "decoder" or "head")
            {
                yield return (stage.Kind, stage.Name, input);
            }

            input = stage.Output.Kind;
        }
    }

    private static ModelAnalysis Analyze(string text)
    {
        var file = GeoModelCompiler.Compile("small.geomodel", text);
        var errors = file.Diagnostics.Where(d => d.Severity == Composition.Diagnostics.DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The small model does not compile:\n" + string.Join("\n", errors));
        return Assert.Single(file.Models);
    }

    /// <summary>A CLR type as generated C# names it: <c>global::Ns.Type&lt;global::Ns.Arg&gt;</c>.</summary>
    private static string CSharpName(Type type)
    {
        string name = "global::" + (type.IsGenericType ? type.FullName![..type.FullName!.IndexOf('`', StringComparison.Ordinal)] : type.FullName!).Replace('+', '.');
        return type.IsGenericType ? name + "<" + string.Join(", ", type.GetGenericArguments().Select(CSharpName)) + ">" : name;
    }
}
