using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Composition.Diagnostics;

namespace GeoDsl.Composition.Tests.Catalog.Dofa;

/// <summary>
/// DOFA takes any bands given their central wavelengths in µm, from the band table (Sentinel-1 at DOFA's 5.405) or the
/// 'wavelengths' argument; a band with none is a front-end error that names it, where TerraTorch raises a KeyError at
/// build time.
/// </summary>
public sealed class DofaWavelengthTests
{
    private static DofaBackbone Base => (DofaBackbone)ComponentCatalog.Default.FindBackbone("dofa_base_patch16_224")!;

    [Fact]
    public void TheReadmeSentinelTwoBandsResolveToItsWavelengths()
    {
        var spec = TestModels.Single(DofaModels.Compile()).Spec;

        Assert.Equal(new[] { 0.665, 0.56, 0.49, 0.705, 0.74, 0.783, 0.842, 1.61, 2.19 }, Base.Resolve(spec.Input, spec.Backbone.Args).Wavelengths);
    }

    [Fact]
    public void SentinelOneUsesDofasRadarWavelength()
    {
        var spec = TestModels.Single(DofaModels.Compile(bands: "VV, VH")).Spec;

        Assert.Equal(new[] { 5.405, 5.405 }, Base.Resolve(spec.Input, spec.Backbone.Args).Wavelengths);
    }

    [Fact]
    public void AnyBandCountGivesTheSameTokensAndTheSameParameterCount()
    {
        var two = TestModels.Single(DofaModels.Compile(bands: "VV, VH"));
        var nine = TestModels.Single(DofaModels.Compile());

        Assert.Equal(nine.Trace.Stages[0].Output, two.Trace.Stages[0].Output);
        Assert.Equal(nine.Trace.Stages[0].Parameters, two.Trace.Stages[0].Parameters);
    }

    [Fact]
    public void ABandWithoutAWavelengthIsAnErrorNamingTheBand()
    {
        var error = DofaModels.SingleError(DofaModels.Compile(bands: "RED, GREEN, ELEVATION"));

        Assert.Equal(DiagnosticDescriptors.BandWithoutWavelength.Id, error.Id);
        Assert.StartsWith("backbone 'dofa_base_patch16_224' needs each band's central wavelength, since DOFA generates", error.Message);
        Assert.Contains("but ELEVATION has none", error.Message);
        Assert.Contains("3 in all", error.Message);
    }

    [Fact]
    public void TheWavelengthsArgumentReplacesTheTable()
    {
        var spec = TestModels.Single(DofaModels.Compile(bands: "RED, ELEVATION", arguments: "wavelengths = [0.665, 11.0]")).Spec;

        Assert.Equal(new[] { 0.665, 11.0 }, Base.Resolve(spec.Input, spec.Backbone.Args).Wavelengths);
    }

    [Fact]
    public void WavelengthsOfTheWrongCountAreReported()
    {
        var error = DofaModels.SingleError(DofaModels.Compile(bands: "VV, VH", arguments: "wavelengths = [5.405, 5.405, 5.405]"));

        Assert.StartsWith("'wavelengths' of backbone 'dofa_base_patch16_224' must be a list of 2 wavelengths in µm", error.Message);
    }

    [Fact]
    public void AZeroWavelengthIsOutOfTheArgumentsRange()
    {
        var file = DofaModels.Compile(bands: "VV", arguments: "wavelengths = [0]");

        Assert.Contains(file.Diagnostics, d => d.Severity == DiagnosticSeverity.Error && d.Message.Contains("wavelengths", StringComparison.Ordinal));
    }
}
