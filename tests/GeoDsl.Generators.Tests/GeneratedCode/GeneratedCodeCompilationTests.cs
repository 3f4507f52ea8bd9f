using GeoDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace GeoDsl.Generators.Tests.GeneratedCode;

/// <summary>
/// The generated code compiles, beside user code that uses it, against the real GeoDsl.Runtime and TorchSharp with
/// nullable on, every warning wave and warnings as errors; and models with errors produce nothing to compile.
/// </summary>
public sealed class GeneratedCodeCompilationTests
{
    public static TheoryData<string> ReferenceModels() => new(TestSources.ReferenceModelFiles());

    /// <summary>User code that touches each public part of a generated class.</summary>
    private static string UserCodeFor(string fullName) => $$"""
        namespace UserCode
        {
            public static class Uses{{fullName.Replace(".", "_", StringComparison.Ordinal)}}
            {
                public static global::GeoDsl.Runtime.Composition.ModelOutput Run(global::TorchSharp.torch.Tensor pixels)
                {
                    var model = new global::{{fullName}}();
                    return model.Predict(new global::{{fullName}}.Input(pixels));
                }

                public static int Layout() =>
                    global::{{fullName}}.Channels * global::{{fullName}}.Frames * global::{{fullName}}.Height * global::{{fullName}}.Width
                    + global::{{fullName}}.Bands.Names.Count;

                public static long Parameters() => global::{{fullName}}.Analysis.Parameters.Total + global::{{fullName}}.CanonicalSource.Length;

                public static global::GeoDsl.Runtime.Composition.GeoModel AsGeoModel(global::{{fullName}} model) => model;
            }
        }
        """;

    /// <summary>User code that reads each public member of a vlm model's description class.</summary>
    private static string VlmUserCodeFor(string fullName) => $$"""
        namespace UserCode
        {
            public static class Uses{{fullName.Replace(".", "_", StringComparison.Ordinal)}}
            {
                public static long Sizes() =>
                    global::{{fullName}}.TotalParameters + global::{{fullName}}.TrainableParameters + global::{{fullName}}.BudgetBytes
                    + global::{{fullName}}.TrainingDeviceBytes + global::{{fullName}}.InferenceDeviceBytes + global::{{fullName}}.ContextLength
                    + global::{{fullName}}.VisualTokensPerTile + global::{{fullName}}.VisualTokensPerSample + global::{{fullName}}.CanonicalSource.Length
                    + global::{{fullName}}.Name.Length;

                public static string Parts() => string.Join(", ", global::System.Linq.Enumerable.Select(global::{{fullName}}.Parts, p => p.Path + " " + p.Component + " " + p.Output + " " + p.Parameters + " " + p.Training));

                public static int Fitting() => global::System.Linq.Enumerable.Count(global::{{fullName}}.FineTuning, m => m.FitsTarget && m.DeviceBytes > 0 && m.TrainableParameters >= 0 && m.Mode.Length + m.Train.Length > 0);
            }
        }
        """;

    [Theory]
    [MemberData(nameof(ReferenceModels))]
    public void ReferenceModelCompilesWithoutAnyDiagnosticBesideUserCode(string model)
    {
        var file = TestSources.ReferenceModel(model);
        var names = TestSources.ValidModels(file).Select(m => TestHelper.RootNamespace + "." + m.Spec.Name).ToList();
        var vlmNames = TestSources.ValidVlmModels(file).Select(m => (m.Spec.Namespace ?? TestHelper.RootNamespace) + "." + m.Spec.Name).ToList();
        Assert.NotEmpty(names.Concat(vlmNames));

        var run = TestHelper.Generate(new[] { file }, names.Select(UserCodeFor).Concat(vlmNames.Select(VlmUserCodeFor)).ToArray());

        run.AssertGeneratorRanQuietly();
        Assert.Equal(names.Count + vlmNames.Count, run.GeneratedSources.Count);
        run.AssertCompilesCleanly();
    }

    [Fact]
    public void EveryMemberAGeneratedClassDeclaresIsAReservedModelName()
    {
        var run = TestHelper.Generate(GeoModelFile.Inline("tiny.geomodel", TestSources.TinyModel));
        var type = run.Output.GetTypeByMetadataName("Snapshots.TinyWater")!;
        var declared = type.GetMembers().Where(m => !m.IsImplicitlyDeclared && m.DeclaredAccessibility != Accessibility.Private && m is not IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.PropertyGet })
            .Select(m => m.Name).Distinct().ToList();

        Assert.NotEmpty(declared);
        Assert.All(declared, name => Assert.True(GeoDsl.Composition.Specs.GeneratedMembers.Conflict(name) is not null,
            $"The generated member '{name}' is not in GeneratedMembers.Reserved, so a model could be named like it."));
    }

    [Fact]
    public void TheCompiledClassCarriesTheDeclaredBandLayout()
    {
        var run = TestHelper.Generate(GeoModelFile.Inline("tiny.geomodel", TestSources.TinyModel));
        run.AssertCompilesCleanly();
        var type = run.Output.GetTypeByMetadataName("Snapshots.TinyWater");

        Assert.NotNull(type);
        Assert.Equal("GeoDsl.Runtime.Composition.GeoModel", type.BaseType?.ToDisplayString());
        Assert.Equal(6, Constant(type, "Channels"));
        Assert.Equal(64, Constant(type, "Height"));
        Assert.Equal(3, Constant(type.GetTypeMembers("Bands").Single(), "NIR_NARROW"));
    }

    [Fact]
    public void AnAttributedVlmClassKeepsItsAccessibilityAndGetsTheDescriptionMembers()
    {
        // internal on the user's part: a generated 'public' part would not compile (CS0262).
        var run = TestHelper.Generate(Array.Empty<GeoModelFile>(), TestSources.AttributedEarthVlm, VlmUserCodeFor("Demo.Vlm.EarthVlm").Replace("public static class", "internal static class", StringComparison.Ordinal));

        run.AssertGeneratorRanQuietly();
        Assert.Equal(new[] { "Demo.Vlm.EarthVlm.g.cs" }, run.GeneratedSources.Keys);
        run.AssertCompilesCleanly();
    }

    [Fact]
    public void AModelWithErrorsProducesNoSourceAndNoCompilerErrors()
    {
        var run = TestHelper.Generate(GeoModelFile.Inline("broken.geomodel", TestSources.TinyModelWithTypo), "namespace UserCode { public static class Nothing { } }");

        run.AssertGeneratorRanQuietly();
        Assert.Empty(run.GeneratedSources);
        run.AssertCompilesCleanly();
    }

    [Fact]
    public void OnlyTheValidModelsOfAFileWithOneBrokenModelAreGenerated()
    {
        var file = GeoModelFile.Inline("mixed.geomodel", TestSources.TinyModel + "\n" + TestSources.TinyModelWithTypo);

        var run = TestHelper.Generate(file, UserCodeFor("Snapshots.TinyWater"));

        Assert.Equal(new[] { "Snapshots.TinyWater.g.cs" }, run.GeneratedSources.Keys);
        run.AssertCompilesCleanly();
    }

    [Fact]
    public void AModelThatOnlyWarnsIsStillGenerated()
    {
        // Batch 512 at 1024 px does not fit an RTX 4090: GEO2001 is a warning, so the class is still generated.
        string model = TestSources.TinyModel
            .Replace("size = 64", "size = 1024", StringComparison.Ordinal)
            .Replace("head segmentation { num_classes = 2 }", "head segmentation { num_classes = 2 }\n    train { batch_size = 512 }\n    target rtx_4090", StringComparison.Ordinal);
        var analysis = Composition.GeoModelCompiler.Compile("big.geomodel", model);
        Assert.Contains(analysis.Diagnostics, d => d.Id == "GEO2001");

        var run = TestHelper.Generate(GeoModelFile.Inline("big.geomodel", model), UserCodeFor("Snapshots.TinyWater"));

        Assert.Equal(new[] { "Snapshots.TinyWater.g.cs" }, run.GeneratedSources.Keys);
        run.AssertCompilesCleanly();
    }

    [Fact]
    public void AFileNamespaceTakesPrecedenceOverTheRootNamespace()
    {
        var run = TestHelper.Generate(GeoModelFile.Inline("ns.geomodel", "namespace Flood.Models\n" + TestSources.TinyModel), UserCodeFor("Flood.Models.TinyWater"));

        Assert.Equal(new[] { "Flood.Models.TinyWater.g.cs" }, run.GeneratedSources.Keys);
        run.AssertCompilesCleanly();
    }

    [Theory]
    [InlineData("Demo.Floods.TinyFloodMapper")]
    [InlineData("BiomassRegressor")]
    [InlineData("Demo.Scenes.SceneClassifier")]
    public void AnAttributedClassGetsItsPartialCounterpart(string fullName)
    {
        string source = fullName switch
        {
            "Demo.Floods.TinyFloodMapper" => TestSources.AttributedFloodMapper,
            "BiomassRegressor" => TestSources.AttributedBiomassRegressor,
            _ => TestSources.AttributedSceneClassifier,
        };

        var run = TestHelper.Generate(source, UserCodeFor(fullName).Replace("public static class", "internal static class", StringComparison.Ordinal));

        run.AssertGeneratorRanQuietly();
        Assert.Equal(new[] { fullName + ".g.cs" }, run.GeneratedSources.Keys);
        run.AssertCompilesCleanly();
        var type = run.Output.GetTypeByMetadataName(fullName);
        Assert.NotNull(type);
        Assert.Equal(2, type.DeclaringSyntaxReferences.Length);
        Assert.Equal("GeoDsl.Runtime.Composition.GeoModel", type.BaseType?.ToDisplayString());
        Assert.Contains(type.GetMembers(), m => m.Name == "Predict");
    }

    [Fact]
    public void AnAttributedClassWithErrorsGetsNoCounterpartAndCompiles()
    {
        string broken = TestSources.AttributedBiomassRegressor.Replace("\"fcn\"", "\"fnc\"", StringComparison.Ordinal);

        var run = TestHelper.Generate(broken);

        Assert.Empty(run.GeneratedSources);
        run.AssertCompilesCleanly();
    }

    [Fact]
    public void AClassWithoutGeoModelIsLeftAlone()
    {
        var run = TestHelper.Generate("""
            using GeoDsl;

            [GeoBackbone("prithvi_eo_tiny")]
            public partial class NotAModel { }
            """);

        Assert.Empty(run.GeneratedSources);
        run.AssertCompilesCleanly();
    }

    [Fact]
    public void ACompilationWithAMistakeInTheGeneratedCodeWouldFail()
    {
        // The strict options are what make the other tests meaningful: an unused variable is a warning, here an error.
        var run = TestHelper.Generate("public static class C { public static void M() { int unused = 0; } }");

        Assert.Contains(run.VisibleDiagnostics(), d => d.Id == "CS0219" && d.Severity == DiagnosticSeverity.Error);
    }

    private static int Constant(INamedTypeSymbol type, string name) =>
        (int)type.GetMembers(name).OfType<IFieldSymbol>().Single().ConstantValue!;
}
