using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace GeoDsl.Build.Tests;

/// <summary>
/// The per-build model report, and the cache that lets a rebuild with unchanged models write it without compiling
/// them again: a hit only when every input is the same, and the same report either way.
/// </summary>
public sealed class ModelReportTaskTests : IDisposable
{
    private const string Model = """
        model WaterMapper : segmentation {
            input {
                bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2]
                size  = 64
            }
            backbone prithvi_eo_tiny
            neck select_indices { indices = [0, 1, 2, 3] }
            neck reshape_tokens_to_image
            neck learned_interpolate_to_pyramidal
            decoder unet { channels = [64, 32, 16, 16] }
            head segmentation { num_classes = 2 }
        }
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("geodsl-report-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string ModelFile => Path.Combine(_folder, "WaterMapper.geomodel");

    private string Json => Path.Combine(_folder, "obj", "models.json");

    private (WriteGeoModelReport Task, RecordingEngine Engine) Report(string? gpu = null, bool cache = true)
    {
        var engine = new RecordingEngine();
        var task = new WriteGeoModelReport
        {
            BuildEngine = engine,
            Models = new ITaskItem[] { new TaskItem(ModelFile) },
            JsonPath = Json,
            MarkdownPath = Path.Combine(_folder, "obj", "models.md"),
            Title = "Consumer: GeoDsl models",
            TargetGpu = gpu,
            CacheDirectory = cache ? Path.Combine(_folder, "obj", "cache") : null,
        };
        return (task, engine);
    }

    private static bool FromCache(RecordingEngine engine) => engine.Messages.Any(m => m.Contains("unchanged file(s)"));

    [Fact]
    public void A_rebuild_with_unchanged_models_writes_the_same_report_from_the_cache()
    {
        File.WriteAllText(ModelFile, Model);
        var (first, firstEngine) = Report();
        Assert.True(first.Execute());
        string computed = File.ReadAllText(Json);
        Assert.False(FromCache(firstEngine));
        Assert.Contains("\"WaterMapper\"", computed);

        // As after `dotnet clean`: the reports are gone, the cache beside them is not.
        File.Delete(Json);
        var (second, secondEngine) = Report();
        Assert.True(second.Execute());

        Assert.True(FromCache(secondEngine));
        Assert.Equal(computed, File.ReadAllText(Json));
    }

    [Fact]
    public void An_edited_model_or_another_budget_setting_is_compiled_again()
    {
        File.WriteAllText(ModelFile, Model);
        Assert.True(Report().Task.Execute());
        string twoClasses = File.ReadAllText(Json);

        File.WriteAllText(ModelFile, Model.Replace("num_classes = 2", "num_classes = 7"));
        var (edited, editedEngine) = Report();
        Assert.True(edited.Execute());
        Assert.False(FromCache(editedEngine));
        Assert.NotEqual(twoClasses, File.ReadAllText(Json));

        var (otherGpu, otherGpuEngine) = Report(gpu: "t4");
        Assert.True(otherGpu.Execute());
        Assert.False(FromCache(otherGpuEngine));
    }

    [Fact]
    public void A_damaged_cache_is_a_miss_and_is_replaced()
    {
        File.WriteAllText(ModelFile, Model);
        Assert.True(Report().Task.Execute());
        string computed = File.ReadAllText(Json);
        File.WriteAllText(Path.Combine(_folder, "obj", "cache", "key"), "half a key");
        File.WriteAllText(Path.Combine(_folder, "obj", "cache", "models.json"), "{ \"truncated");

        var (again, engine) = Report();
        Assert.True(again.Execute());
        Assert.False(FromCache(engine));
        Assert.Equal(computed, File.ReadAllText(Json));

        var (third, thirdEngine) = Report();
        Assert.True(third.Execute());
        Assert.True(FromCache(thirdEngine));
    }

    [Fact]
    public void Without_a_cache_folder_every_run_compiles()
    {
        File.WriteAllText(ModelFile, Model);
        Assert.True(Report(cache: false).Task.Execute());
        var (again, engine) = Report(cache: false);
        Assert.True(again.Execute());
        Assert.False(FromCache(engine));
        Assert.False(Directory.Exists(Path.Combine(_folder, "obj", "cache")));
    }
}
