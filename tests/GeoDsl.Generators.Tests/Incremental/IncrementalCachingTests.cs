using GeoDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GeoDsl.Generators.Tests.Incremental;

/// <summary>
/// The generator's cache at work: with 20 model files, an edit to one recomputes only that file's steps; a re-run
/// on nothing new recomputes nothing; and no cached value holds compiler state.
/// </summary>
public sealed class IncrementalCachingTests
{
    private const int FileCount = 20;

    /// <summary>The steps that run once per <c>.geomodel</c> file (or per model in it).</summary>
    private static readonly string[] FileSteps = { TrackingNames.GeoModelFiles, TrackingNames.CompiledFiles, TrackingNames.FileTargets };

    private static readonly IncrementalStepRunReason[] Reused = { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged };

    private static readonly IncrementalStepRunReason[] Recomputed = { IncrementalStepRunReason.Modified, IncrementalStepRunReason.New };

    private static readonly IReadOnlyList<GeoModelFile> Files = TestSources.Variants(FileCount);

    private static TrackedDriver TrackTwentyFilesAndAnAttributedClass() =>
        TestHelper.Track(Files, TestSources.AttributedBiomassRegressor);

    /// <summary>The same with a vlm file and an attributed vlm class, so every step of the generator has outputs to check.</summary>
    private static TrackedDriver TrackEveryKindOfInput() =>
        TestHelper.Track(Files.Append(TestSources.ReferenceModel("vlm_earthmind_4b.geomodel")).ToList(), TestSources.AttributedBiomassRegressor, TestSources.AttributedEarthVlm);

    [Fact]
    public void TheFirstRunTracksEveryStepForEveryFile()
    {
        var driver = TrackTwentyFilesAndAnAttributedClass();

        foreach (string step in FileSteps)
        {
            var outputs = driver.Outputs(step);
            Assert.Equal(Files.Select(f => f.FileName).OrderBy(n => n, StringComparer.Ordinal), outputs.Select(o => o.File).Distinct().OrderBy(n => n, StringComparer.Ordinal));
            Assert.All(outputs, o => Assert.Equal(IncrementalStepRunReason.New, o.Reason));
        }

        Assert.Single(driver.Outputs(TrackingNames.AttributedTargets));
        Assert.Single(driver.Outputs(TrackingNames.RootNamespace));
        Assert.Equal(FileCount + 1, driver.GeneratedSources.Count);
    }

    [Fact]
    public void EditingOneFileRecomputesOnlyThatFile()
    {
        var edited = Files[6];
        var first = TrackTwentyFilesAndAnAttributedClass();
        var driver = first.Edit(edited.FileName, text => text.Replace("_V07", "_V07_Renamed", StringComparison.Ordinal));

        foreach (string step in FileSteps)
        {
            var outputs = driver.Outputs(step);
            Assert.Contains(outputs, o => o.File == edited.FileName);
            AssertReasons(outputs.Where(o => o.File == edited.FileName), Recomputed);
            AssertReasons(outputs.Where(o => o.File != edited.FileName), Reused);
            Assert.Equal(FileCount - 1, outputs.Where(o => o.File != edited.FileName).Select(o => o.File).Distinct().Count());
        }

        AssertReasons(driver.Outputs(TrackingNames.RootNamespace), Reused);
        AssertReasons(driver.Outputs(TrackingNames.AttributedTargets), Reused);

        var sources = driver.SourceOutputs();
        AssertReasons(sources.Where(o => o.File == edited.FileName), Recomputed);
        AssertReasons(sources.Where(o => o.File != edited.FileName), Reused);
        var renamed = driver.GeneratedSources.Keys.Except(first.GeneratedSources.Keys).ToList();
        Assert.Single(renamed);
        Assert.EndsWith("_V07_Renamed.g.cs", renamed[0], StringComparison.Ordinal);
        Assert.Equal(FileCount + 1, driver.GeneratedSources.Count);
    }

    [Fact]
    public void RunningAgainOnTheSameInputsReusesEveryOutput()
    {
        var first = TrackTwentyFilesAndAnAttributedClass();
        var second = first.RunOn(first.Compilation);

        var all = AllTrackedOutputs(second).ToList();
        Assert.NotEmpty(all);
        Assert.All(all, o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.Equal(first.GeneratedSources, second.GeneratedSources);
    }

    [Fact]
    public void RunningAgainOnACloneOfTheCompilationRecomputesNothing()
    {
        var first = TrackTwentyFilesAndAnAttributedClass();
        var second = first.RunOn(first.Compilation.Clone());

        AssertReasons(AllTrackedOutputs(second), Reused);
        Assert.Equal(first.GeneratedSources, second.GeneratedSources);
    }

    [Fact]
    public void AddingAnUnrelatedCSharpFileRegeneratesNothing()
    {
        var first = TrackTwentyFilesAndAnAttributedClass();
        var tree = CSharpSyntaxTree.ParseText("namespace UserCode { public static class Unrelated { } }", References.ParseOptions, path: "Unrelated.cs");

        var second = first.RunOn(first.Compilation.AddSyntaxTrees(tree));

        AssertReasons(AllTrackedOutputs(second), Reused);
    }

    [Fact]
    public void EditingOnlyACommentDoesNotRegenerateTheModel()
    {
        var edited = Files[0];
        var driver = TrackTwentyFilesAndAnAttributedClass().Edit(edited.FileName, text => "// A new first line.\n" + text);

        Assert.Equal(IncrementalStepRunReason.Modified, driver.Outputs(TrackingNames.GeoModelFiles).Single(o => o.File == edited.FileName).Reason);
        AssertReasons(driver.Outputs(TrackingNames.FileTargets), Reused);
        AssertReasons(driver.SourceOutputs(), Reused);
    }

    [Fact]
    public void EditingTheAttributedClassBodyDoesNotRegenerateItsModel()
    {
        var first = TrackTwentyFilesAndAnAttributedClass();
        var tree = first.Compilation.SyntaxTrees.Single();
        string text = tree.GetText().ToString().Replace("{\n}", "{\n    private int _counter;\n}", StringComparison.Ordinal);
        Assert.Contains("_counter", text, StringComparison.Ordinal);

        var second = first.RunOn(first.Compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(text))));

        var attributed = second.Outputs(TrackingNames.AttributedTargets);
        Assert.Single(attributed);
        AssertReasons(attributed, Reused);
        AssertReasons(second.SourceOutputs(), Reused);
    }

    [Fact]
    public void NoCachedValueHoldsSymbolsSyntaxOrCompilations()
    {
        var first = TrackEveryKindOfInput();
        var second = first.Edit(Files[3].FileName, text => text.Replace("_V04", "_V04_Renamed", StringComparison.Ordinal));

        // The generator's own steps; Roslyn's internal ones (ForAttributeWithMetadataName's) hold syntax trees by design.
        foreach (var driver in new[] { first, second })
        {
            var steps = driver.Result.TrackedSteps.Where(s => StepNames.Contains(s.Key)).ToList();
            Assert.Equal(StepNames.Count, steps.Count);
            foreach (var (name, runs) in steps)
            {
                foreach (var run in runs)
                {
                    for (int i = 0; i < run.Outputs.Length; i++)
                    {
                        var problems = ModelGraph.FindCompilerState(run.Outputs[i].Value, $"{name}[{i}]");
                        Assert.True(problems.Count == 0, "Cached step outputs hold compiler state:\n" + string.Join("\n", problems));
                    }
                }
            }
        }
    }

    [Fact]
    public void TheGraphWalkFindsCompilerStateHiddenInRecordsArraysAndEquatableArrays()
    {
        var symbol = TestHelper.CreateCompilation(new[] { "class C { }" }).GetTypeByMetadataName("C")!;
        var nested = new { Outer = Composition.Helpers.EquatableArray.Create<object>("fine", new object[] { Location.None }), Inner = (1, symbol) };

        var found = ModelGraph.FindCompilerState(nested);

        Assert.Equal(2, found.Count);
        Assert.Contains(found, f => f.Contains("Location", StringComparison.Ordinal));
        Assert.Contains(found, f => f.Contains("ISymbol", StringComparison.Ordinal));
        Assert.Empty(ModelGraph.FindCompilerState(TestSources.ValidModels(Files[0])));
    }

    [Fact]
    public void EveryTrackingNameIsAStepOfTheGenerator()
    {
        var driver = TrackEveryKindOfInput();

        Assert.Equal(StepNames.OrderBy(n => n, StringComparer.Ordinal), driver.Result.TrackedSteps.Keys.Where(StepNames.Contains).OrderBy(n => n, StringComparer.Ordinal));
    }

    /// <summary>The outputs of the generator's own named steps (not Roslyn's internal ones) and of its AddSource steps.</summary>
    private static IEnumerable<StepOutput> AllTrackedOutputs(TrackedDriver driver) =>
        StepNames.SelectMany(driver.Outputs).Concat(driver.SourceOutputs());

    private static IReadOnlyList<string> StepNames { get; } = typeof(TrackingNames).GetFields().Select(f => (string)f.GetRawConstantValue()!).ToList();

    private static void AssertReasons(IEnumerable<StepOutput> outputs, IncrementalStepRunReason[] allowed)
    {
        var wrong = outputs.Where(o => !allowed.Contains(o.Reason)).ToList();
        Assert.True(wrong.Count == 0, $"Expected only {string.Join(" or ", allowed)}, got:\n" + string.Join("\n", wrong));
    }
}
