using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Options;

namespace GeoDsl.Composition.Tests;

/// <summary>
/// The generator and the analyzers compile the same files in one build; the second compile of a file comes from
/// <see cref="RecentFileAnalyses"/>, and only when nothing that decides the result differs.
/// </summary>
public sealed class RecentFileAnalysesTests
{
    // Each test uses paths of its own: other test classes compile at the same time into the same process-wide cache.
    private static string PathFor(string test) => "/recent/" + test + ".geomodel";

    [Fact]
    public void The_same_text_at_the_same_path_under_equal_options_is_compiled_once()
    {
        string path = PathFor(nameof(The_same_text_at_the_same_path_under_equal_options_is_compiled_once));
        var first = GeoModelCompiler.Compile(path, TestModels.Segmentation());
        var second = GeoModelCompiler.Compile(path, TestModels.Segmentation(), options: new CompileOptions());

        Assert.Same(first, second);
        Assert.Single(first.Models);
    }

    [Fact]
    public void Another_text_path_or_option_is_compiled_again_and_gets_its_own_result()
    {
        string path = PathFor(nameof(Another_text_path_or_option_is_compiled_again_and_gets_its_own_result));
        string text = TestModels.Segmentation();
        var original = GeoModelCompiler.Compile(path, text);

        var edited = GeoModelCompiler.Compile(path, TestModels.Segmentation(head: "head segmentation { num_classes = 5 }"));
        var moved = GeoModelCompiler.Compile(path + ".copy", text);
        var smallerCard = GeoModelCompiler.Compile(path, text, options: new CompileOptions { GpuMemoryGiB = 0.01 });

        Assert.NotSame(original, edited);
        Assert.NotSame(original, moved);
        Assert.Equal(path + ".copy", moved.Path);
        Assert.DoesNotContain(original.Diagnostics, d => d.Id == "GEO2001");
        Assert.Contains(smallerCard.Diagnostics, d => d.Id == "GEO2001");
    }

    [Fact]
    public void A_result_from_the_cache_equals_a_fresh_compile()
    {
        string path = PathFor(nameof(A_result_from_the_cache_equals_a_fresh_compile));
        string text = TestModels.Segmentation(head: "head segmentation { num_clases = 2 }");
        var cached = GeoModelCompiler.Compile(path, text);
        cached = GeoModelCompiler.Compile(path, text);

        // An explicit catalog always compiles: the same result, another instance.
        var fresh = GeoModelCompiler.Compile(path, text, ComponentCatalog.Default);

        Assert.NotSame(cached, fresh);
        Assert.Equal(fresh, cached);
        Assert.Contains(cached.Diagnostics, d => d.Id == "GEO0012");
    }

    [Fact]
    public void The_oldest_file_is_forgotten_once_the_cache_holds_its_capacity()
    {
        string path = PathFor(nameof(The_oldest_file_is_forgotten_once_the_cache_holds_its_capacity));
        string Version(int i) => TestModels.Segmentation(head: $"head segmentation {{ num_classes = {i + 2} }}");
        var oldest = GeoModelCompiler.Compile(path, Version(0));
        var newest = oldest;
        for (int i = 1; i <= RecentFileAnalyses.Capacity; i++)
        {
            newest = GeoModelCompiler.Compile(path, Version(i));
        }

        Assert.True(RecentFileAnalyses.Count <= RecentFileAnalyses.Capacity);
        Assert.NotSame(oldest, GeoModelCompiler.Compile(path, Version(0)));
        Assert.Same(newest, GeoModelCompiler.Compile(path, Version(RecentFileAnalyses.Capacity)));
    }
}
