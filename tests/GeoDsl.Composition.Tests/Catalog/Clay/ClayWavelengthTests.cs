using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Shapes;

namespace GeoDsl.Composition.Tests.Catalog.Clay;

/// <summary>
/// Clay generates each band's patch weights from its central wavelength, so any bands work, but every band needs a
/// wavelength: Clay's own (configs/metadata.yaml) where it was trained with one, else the band table, else the
/// 'wavelengths' argument.
/// </summary>
public sealed class ClayWavelengthTests
{
    private static ClayBackbone Backbone(string name) => (ClayBackbone)ComponentCatalog.Default.FindBackbone(name)!;

    [Fact]
    public void SentinelTwoBandsTakeTheWavelengthsClayWasTrainedWith()
    {
        var spec = TestModels.Single(ClayModels.Compile("clay_v1_base")).Spec;
        var arch = Backbone("clay_v1_base").Resolve(spec.Input, spec.Backbone.Args);

        Assert.Equal(new[] { 0.493, 0.56, 0.665, 0.704, 0.74, 0.783, 0.842, 0.865, 1.61, 2.19 }, arch.Wavelengths);
    }

    [Fact]
    public void SentinelOneTakesClaysRadarValuesNotDofas()
    {
        var spec = TestModels.Single(ClayModels.Compile("clay_v1_5_large", bands: "VV, VH")).Spec;
        var arch = Backbone("clay_v1_5_large").Resolve(spec.Input, spec.Backbone.Args);

        Assert.Equal(new[] { 3.5, 4.0 }, arch.Wavelengths);
    }

    [Fact]
    public void AnyBandCountGivesTheSameTokensAndTheSameParameterCount()
    {
        var three = TestModels.Single(ClayModels.Compile("clay_v1_base", bands: "RED, GREEN, BLUE"));
        var ten = TestModels.Single(ClayModels.Compile("clay_v1_base"));

        Assert.Equal(ten.Trace.Stages[0].Output, three.Trace.Stages[0].Output);
        Assert.Equal(ten.Trace.Stages[0].Parameters, three.Trace.Stages[0].Parameters);
    }

    [Fact]
    public void ABandWithoutAWavelengthIsAnErrorNamingTheBand()
    {
        var error = ClayModels.SingleError(ClayModels.Compile("clay_v1_base", bands: "RED, ELEVATION"));

        Assert.Equal(DiagnosticDescriptors.BandWithoutWavelength.Id, error.Id);
        Assert.StartsWith("backbone 'clay_v1_base' needs each band's central wavelength", error.Message);
        Assert.Contains("but ELEVATION has none in GeoDsl's table", error.Message);
        Assert.EndsWith("give 'wavelengths' (µm, one per band, 2 in all) or drop it", error.Message);
    }

    [Fact]
    public void TheWavelengthsArgumentSuppliesOneForEveryBand()
    {
        var analysis = TestModels.Single(ClayModels.Compile("clay_v1_base", bands: "RED, ELEVATION", arguments: "wavelengths = [0.665, 12.5]"));
        var arch = Backbone("clay_v1_base").Resolve(analysis.Spec.Input, analysis.Spec.Backbone.Args);

        Assert.Equal(new[] { 0.665, 12.5 }, arch.Wavelengths);
        Assert.Equal(FeatureKind.Tokens, analysis.Trace.Stages[0].Output.Kind);
    }

    [Fact]
    public void WavelengthsOfTheWrongCountAreReportedWithTheBandsNamed()
    {
        var error = ClayModels.SingleError(ClayModels.Compile("clay_v1_base", bands: "RED, GREEN", arguments: "wavelengths = [0.665]"));

        Assert.StartsWith("'wavelengths' of backbone 'clay_v1_base' must be a list of 2 wavelengths in µm, one per input band (RED, GREEN)", error.Message);
        Assert.EndsWith("got 1 value(s)", error.Message);
    }
}
