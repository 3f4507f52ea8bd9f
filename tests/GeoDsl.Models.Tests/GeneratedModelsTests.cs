using GeoDsl.Cli.Running;
using GeoDsl.Runtime.Composition;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Models.Tests;

/// <summary>
/// Every reference model in models/ as the generator emitted it: its class builds the same modules as a composition
/// from the spec at run time, with the parameter count the front end computed.
/// </summary>
public sealed class GeneratedModelsTests
{
    private static readonly string ModelsFolder = Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>Every reference file at the top of models/ (models/terratorch-wrong holds files that must fail).</summary>
    public static TheoryData<string> ReferenceFiles => new(ReferenceFileNames());

    // vlm models (models/vlm_*.geomodel) get a description class, not a GeoModel: GeneratedVlmModelsTests covers them.
    private static List<string> ReferenceFileNames() =>
        Directory.GetFiles(ModelsFolder, "*.geomodel").Select(p => Path.GetFileName(p)).Where(f => !f.StartsWith("vlm_", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();

    /// <summary>The model as <c>geodsl train</c> and <c>geodsl predict</c> read and build it from its file.</summary>
    private static LoadedModel LoadThroughCli(string file)
    {
        var error = new StringWriter();
        return ModelLoader.TryLoad(Path.Combine(ModelsFolder, file), null, "comparing", error, out _)
            ?? throw new Xunit.Sdk.XunitException($"geodsl cannot load {file}:\n{error}");
    }

    private static GeoModel CreateGenerated(string modelName) =>
        (GeoModel)Activator.CreateInstance(typeof(GeneratedModelsTests).Assembly.GetType("GeoDsl.Models.Tests." + modelName, throwOnError: true)!)!;

    [Fact]
    public void EveryReferenceFileHasAGeneratedClass()
    {
        var files = ReferenceFileNames();
        int generatedClasses = typeof(GeneratedModelsTests).Assembly.GetTypes().Count(t => t.IsSubclassOf(typeof(GeoModel)));
        Assert.Equal(generatedClasses, files.Count);
        foreach (string file in files)
        {
            string name = LoadThroughCli(file).Analysis.Spec.Name;
            Assert.NotNull(typeof(GeneratedModelsTests).Assembly.GetType("GeoDsl.Models.Tests." + name));
        }
    }

    [Theory]
    [MemberData(nameof(ReferenceFiles))]
    public void TheGeneratedClassAndTheModelTheCliBuildsHaveTheSameStateDict(string file)
    {
        var loaded = LoadThroughCli(file);
        using var generated = CreateGenerated(loaded.Analysis.Spec.Name);
        using var composed = loaded.Build();
        var expected = composed.state_dict().Select(p => p.Key + " " + string.Join("×", p.Value.shape)).ToList();
        var actual = generated.state_dict().Select(p => p.Key + " " + string.Join("×", p.Value.shape)).ToList();
        Assert.Equal(expected, actual);
        Assert.Equal(loaded.Analysis.Parameters.Total, generated.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void TheTypedForwardComputesWhatTheRunTimeCompositionComputes()
    {
        torch.manual_seed(7);
        using var generated = new WaterPrithviTiny();
        using var composed = new GeoModel(WaterPrithviTiny.Analysis.Spec);
        composed.load_state_dict(generated.state_dict());
        generated.eval();
        composed.eval();
        using var _ = no_grad();
        var pixels = randn(2, WaterPrithviTiny.Channels, 60, 70);

        var typed = generated.Predict(new WaterPrithviTiny.Input(pixels));
        var generic = composed.Predict(pixels);

        Assert.Equal(new long[] { 2, 2, 60, 70 }, typed.Output.shape);
        Assert.True(typed.Output.allclose(generic.Output, rtol: 0, atol: 1e-6));
        Assert.True(typed.Auxiliary["aux"].allclose(generic.Auxiliary["aux"], rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void GeneratedSen1Floods11ModelHasTheTerraTorchBandLayout()
    {
        Assert.Equal(6, Sen1Floods11Prithvi300.Channels);
        Assert.Equal(3, Sen1Floods11Prithvi300.Bands.NIR_NARROW);
        Assert.Equal(512, Sen1Floods11Prithvi300.Height);
        Assert.Equal(326_845_700, Sen1Floods11Prithvi300.Analysis.Parameters.Total);
    }

    [Fact]
    public void TheTypedInputRejectsAWrongLayoutNamingBoth()
    {
        var error = Assert.Throws<ArgumentException>(() => new CropsPrithvi100Temporal.Input(zeros(2, 6, 224, 224)));
        Assert.Contains("[B, 6, 3, H, W]", error.Message);
        Assert.Contains("[2, 6, 224, 224]", error.Message);
    }
}
