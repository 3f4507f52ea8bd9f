using GeoDsl.Generators.Tests.Infrastructure;

namespace GeoDsl.Generators.Tests.Robustness;

/// <summary>Inputs that must not break the generator for the rest of the project.</summary>
public sealed class GeneratorRobustnessTests
{
    [Fact]
    public void TheSameModelNameInTwoFilesDoesNotStopTheOtherModelsFromGenerating()
    {
        var first = GeoModelFile.Inline("a.geomodel", TestSources.TinyModel);
        var second = GeoModelFile.Inline("b.geomodel", TestSources.TinyModel);
        var other = GeoModelFile.Inline("c.geomodel", TestSources.TinyModel.Replace("model TinyWater", "model OtherWater", StringComparison.Ordinal));

        var run = TestHelper.Generate(new[] { first, second, other });

        run.AssertGeneratorRanQuietly();
        Assert.Equal(new[] { "Snapshots.OtherWater.g.cs", "Snapshots.TinyWater.g.cs" }, run.GeneratedSources.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Contains("from a.geomodel", run.GeneratedSources["Snapshots.TinyWater.g.cs"], StringComparison.Ordinal);
        run.AssertCompilesCleanly();
    }

    [Fact]
    public void AnAttributedClassWinsOverAFileModelOfTheSameName()
    {
        string attributed = TestSources.AttributedBiomassRegressor.Replace("BiomassRegressor", "TinyWater", StringComparison.Ordinal)
            .Replace("[GeoModel(\"regression\")]", "namespace Snapshots;\n\n[GeoModel(\"regression\")]", StringComparison.Ordinal);
        Assert.Contains("namespace Snapshots;", attributed, StringComparison.Ordinal);

        var run = TestHelper.Generate(GeoModelFile.Inline("a.geomodel", TestSources.TinyModel), attributed);

        run.AssertGeneratorRanQuietly();
        Assert.Contains("a regression model", Assert.Single(run.GeneratedSources).Value, StringComparison.Ordinal);
        run.AssertCompilesCleanly();
    }

    [Fact]
    public void RemovingTheDuplicateGeneratesTheOtherDeclarationAgain()
    {
        var files = new[] { GeoModelFile.Inline("a.geomodel", TestSources.TinyModel), GeoModelFile.Inline("b.geomodel", TestSources.TinyModel.Replace("size = 64", "size = 128", StringComparison.Ordinal)) };
        var driver = TestHelper.Track(files);
        Assert.Contains("64×64 px", Assert.Single(driver.GeneratedSources).Value, StringComparison.Ordinal);

        var renamed = driver.Edit("a.geomodel", text => text.Replace("model TinyWater", "model RenamedWater", StringComparison.Ordinal));

        Assert.Equal(new[] { "Snapshots.RenamedWater.g.cs", "Snapshots.TinyWater.g.cs" }, renamed.GeneratedSources.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Contains("128×128 px", renamed.GeneratedSources["Snapshots.TinyWater.g.cs"], StringComparison.Ordinal);
    }

    // The emitter escapes keywords ('@class') and suppresses CS8981 for lower-case model names.
    [Theory]
    [InlineData("class")]
    [InlineData("floods")]
    [InlineData("record")]
    public void AModelNamedLikeACSharpKeywordStillCompiles(string name)
    {
        var run = TestHelper.Generate(GeoModelFile.Inline("k.geomodel", TestSources.TinyModel.Replace("model TinyWater", "model " + name, StringComparison.Ordinal)));

        run.AssertGeneratorRanQuietly();
        Assert.Single(run.GeneratedSources);
        run.AssertCompilesCleanly();
    }
}
