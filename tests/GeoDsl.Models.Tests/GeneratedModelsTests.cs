using GeoDsl.Composition;
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
    public static TheoryData<string> ReferenceModels => new()
    {
        nameof(Sen1Floods11Prithvi300),
        nameof(Sen1Floods11Prithvi100Fcn),
        nameof(BurnScarsPrithvi300Tl),
        nameof(CropsPrithvi100Temporal),
        nameof(LandCoverPrithvi600),
        nameof(BiomassPrithvi300),
        nameof(WaterPrithviTiny),
        nameof(TerraMindBaseS2S1),
        nameof(ClayV1Sen1Floods11),
        nameof(SatlasSwinBSen1Floods11),
        nameof(Ssl4eoResNet50EuroSat),
    };

    private static GeoModel Create(string name) => (GeoModel)Activator.CreateInstance(typeof(GeneratedModelsTests).Assembly.GetType("GeoDsl.Models.Tests." + name, throwOnError: true)!)!;

    private static ModelAnalysis AnalysisOf(string name) =>
        (ModelAnalysis)typeof(GeneratedModelsTests).Assembly.GetType("GeoDsl.Models.Tests." + name)!.GetProperty("Analysis")!.GetValue(null)!;

    [Fact]
    public void EveryReferenceFileHasAGeneratedClass()
    {
        // vlm models (models/vlm_*.geomodel) get a description class, not a GeoModel: GeneratedVlmModelsTests covers them.
        int files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "models"), "*.geomodel").Count(f => !Path.GetFileName(f).StartsWith("vlm_", StringComparison.Ordinal));
        Assert.Equal(files, ReferenceModels.Count);
    }

    [Theory]
    [MemberData(nameof(ReferenceModels))]
    public void GeneratedClassAndRuntimeCompositionHaveTheSameStateDict(string name)
    {
        using var generated = Create(name);
        using var composed = new GeoModel(AnalysisOf(name).Spec);
        var expected = composed.state_dict().Select(p => p.Key + " " + string.Join("×", p.Value.shape)).ToList();
        var actual = generated.state_dict().Select(p => p.Key + " " + string.Join("×", p.Value.shape)).ToList();
        Assert.Equal(expected, actual);
        Assert.Equal(AnalysisOf(name).Parameters.Total, generated.parameters().Sum(p => p.numel()));
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
