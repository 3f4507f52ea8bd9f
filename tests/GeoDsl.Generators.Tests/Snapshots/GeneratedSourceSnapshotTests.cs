using GeoDsl.Generators.Tests.Infrastructure;

namespace GeoDsl.Generators.Tests.Snapshots;

/// <summary>
/// The generated source of every reference model and of a few attributed classes, compared with the files under
/// <c>Baselines/</c>. After an intended change to the emitter, regenerate them with <c>GEODSL_UPDATE_BASELINES=1</c>.
/// </summary>
public sealed class GeneratedSourceSnapshotTests
{
    public static TheoryData<string> ReferenceModels() => new(TestSources.ReferenceModelFiles());

    /// <summary>The attributed inputs, by snapshot name.</summary>
    private static readonly Dictionary<string, string> AttributedInputs = new()
    {
        ["Attributed.TinyFloodMapper"] = TestSources.AttributedFloodMapper,
        ["Attributed.BiomassRegressor"] = TestSources.AttributedBiomassRegressor,
        ["Attributed.SceneClassifier"] = TestSources.AttributedSceneClassifier,
        ["Attributed.EarthVlm"] = TestSources.AttributedEarthVlm,
    };

    public static TheoryData<string> AttributedSnapshots() => new(AttributedInputs.Keys);

    private static string ModelSnapshotName(string relativePath) => "Model." + Path.ChangeExtension(relativePath, null).Replace('/', '.');

    [Theory]
    [MemberData(nameof(ReferenceModels))]
    public void ReferenceModelGeneratesItsBaselineSource(string model)
    {
        var file = TestSources.ReferenceModel(model);
        var run = TestHelper.Snapshot(ModelSnapshotName(model), new[] { file });
        Assert.Equal(TestSources.ValidModels(file).Count + TestSources.ValidVlmModels(file).Count, run.GeneratedSources.Count);
    }

    [Theory]
    [MemberData(nameof(AttributedSnapshots))]
    public void AttributedClassGeneratesItsBaselineSource(string snapshot)
    {
        var run = TestHelper.Snapshot(snapshot, Array.Empty<GeoModelFile>(), AttributedInputs[snapshot]);
        Assert.Single(run.GeneratedSources);
    }

    [Fact]
    public void EveryBaselineFolderBelongsToASnapshotTest()
    {
        var expected = TestSources.ReferenceModelFiles().Select(ModelSnapshotName).Concat(AttributedInputs.Keys).ToHashSet(StringComparer.Ordinal);
        var orphans = Baselines.Tests().Where(t => !expected.Contains(t)).ToList();
        if (Baselines.Updating)
        {
            orphans.ForEach(Baselines.DeleteFolder);
            return;
        }

        Assert.True(orphans.Count == 0, $"Baselines without a snapshot test (a model was removed or renamed?): {string.Join(", ", orphans)}. " +
            $"Run the tests with {Baselines.UpdateVariable}=1 to delete them.");
    }

    [Fact]
    public void BaselinesHideTheGeneratorVersionAndLineEndings()
    {
        string generated = "[global::System.CodeDom.Compiler.GeneratedCode(\"GeoDsl.Generators\", \"" + Emit.ModelClassEmitter.GeneratorVersion + "\")]\r\nclass C\r\n{\r\n}\r\n\r\n";
        Assert.Equal("[global::System.CodeDom.Compiler.GeneratedCode(\"GeoDsl.Generators\", \"%VERSION%\")]\nclass C\n{\n}\n", Baselines.Normalise(generated));
    }

    [Fact]
    public void ABaselineThatDiffersFromTheGeneratedSourceFailsTheSnapshot()
    {
        if (Baselines.Updating)
        {
            return;
        }

        string model = TestSources.ReferenceModelFiles()[0];
        var generated = TestHelper.Generate(TestSources.ReferenceModel(model)).GeneratedSources;
        var changed = generated.ToDictionary(p => p.Key, p => p.Value.Replace("public const int Channels", "public const int Bands"));
        var renamed = generated.ToDictionary(p => "Other." + p.Key, p => p.Value);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Baselines.Verify(ModelSnapshotName(model), changed));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Baselines.Verify(ModelSnapshotName(model), renamed));
    }
}
