using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using GeoDsl.Composition.Catalog;
using Xunit.Abstractions;

namespace GeoDsl.Composition.Tests.Memory;

/// <summary>
/// The estimator against every published measurement of memory-facts.md §2 the catalog can express (the mmseg
/// UPerNet ResNet and Swin rows, allocated peak, fp32), each within ±20%; and docs/memory-validation.md shows the
/// same table. Rows whose backbone is not in the catalog yet are skipped with its name.
/// </summary>
public sealed class PublishedMeasurementTests
{
    /// <summary>The goal of issue 4: every expressible row within ±20% of its published figure.</summary>
    public const double Tolerance = 0.20;

    private readonly ITestOutputHelper _output;

    public PublishedMeasurementTests(ITestOutputHelper output) => _output = output;

    // One theory per catalog requirement, so a row is skipped only while its own backbone is missing.
    [RequiresBackbonesTheory("resnet50")]
    [InlineData("M1 R-50")]
    [InlineData("M3 R-50")]
    [InlineData("M4 R-50")]
    public void UperNetResNet50RowIsPredictedWithinTwentyPercent(string row) => AssertWithinTolerance(Row(row));

    [RequiresBackbonesTheory("resnet101")]
    [InlineData("M3 R-101")]
    [InlineData("M4 R-101")]
    public void UperNetResNet101RowIsPredictedWithinTwentyPercent(string row) => AssertWithinTolerance(Row(row));

    [RequiresBackbonesTheory("swin_t")]
    [InlineData("M6 Swin-T")]
    public void UperNetSwinTinyRowIsPredictedWithinTwentyPercent(string row) => AssertWithinTolerance(Row(row));

    [RequiresBackbonesTheory("swin_s")]
    [InlineData("M6 Swin-S")]
    public void UperNetSwinSmallRowIsPredictedWithinTwentyPercent(string row) => AssertWithinTolerance(Row(row));

    [RequiresBackbonesTheory("swin_b")]
    [InlineData("M6 Swin-B")]
    [InlineData("M6 Swin-B w12")]
    public void UperNetSwinBaseRowIsPredictedWithinTwentyPercent(string row) => AssertWithinTolerance(Row(row));

    [Fact]
    public void EveryPublishedRowHasATest()
    {
        var tested = typeof(PublishedMeasurementTests).GetMethods()
            .SelectMany(m => m.GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>())
            .SelectMany(a => a.GetData(null!).Select(d => (string)d[0]));

        Assert.Equal(PublishedMeasurements.All.Select(r => r.Id).OrderBy(i => i, StringComparer.Ordinal), tested.OrderBy(i => i, StringComparer.Ordinal));
    }

    private static PublishedMeasurement Row(string id) => PublishedMeasurements.All.Single(r => r.Id == id);

    [Fact]
    public void TheClassCountAloneMovesThePeakAsMmsegMeasured()
    {
        // M1 vs M3: the same UPerNet R-50 and crop with 150 instead of 21 classes, 8.1 vs 6.4 GB: the loss buffers of
        // both heads at full resolution. The estimate must move the same way, by 1.7 GB ± 50%.
        var ade = PublishedMeasurements.ResNetRows[0];
        var voc = PublishedMeasurements.ResNetRows[1];
        if (ade.MissingBackbones.Any())
        {
            return; // The row tests report the missing entry.
        }

        double difference = ade.PredictedGiB() - voc.PredictedGiB();
        Assert.InRange(difference, 1.7 * 0.5, 1.7 * 1.5);
    }

    [Fact]
    public void TheTerraTorchTutorialsFrozenPrithvi300UNetFitsTheColabT4ItTargets()
    {
        // memory-facts.md §2 V4: IBM/terratorch examples/tutorial/prithvi_v2_eo_300_tl_unet_sen1floods11.ipynb trains this on
        // a Colab T4 (16 GB): 16-mixed, AdamW, batch 8, 512², frozen backbone. No peak was published, only that it runs.
        const string tutorial = """
            model Tutorial : segmentation {
                input { bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2], size = 512 }
                backbone prithvi_eo_v2_300_tl { pretrained = true }
                neck select_indices { indices = [5, 11, 17, 23] }
                neck reshape_tokens_to_image
                neck learned_interpolate_to_pyramidal
                decoder unet { channels = [512, 256, 128, 64] }
                head segmentation { num_classes = 2, dropout = 0.1 }
                train { batch_size = 8, precision = fp16_mixed, optimizer = adamw { lr = 0.0001 }, freeze_backbone = true, loss = dice }
                target t4
            }
            """;

        var file = GeoModelCompiler.Compile("tutorial.geomodel", tutorial);

        Assert.Empty(file.Diagnostics);
        Assert.True(file.Models[0].Memory.Fits);
    }

    [Fact]
    public void TheDocumentedTableIsTheEstimatorsTable()
    {
        string path = Path.Combine(RepositoryRoot(), "docs", "memory-validation.md");
        string table = Table();
        if (Environment.GetEnvironmentVariable("GEODSL_UPDATE_BASELINES") == "1")
        {
            string page = File.ReadAllText(path);
            File.WriteAllText(path, ReplaceTable(page, table, Begin, End));
        }

        string documented = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        _output.WriteLine(table);
        Assert.True(documented.Contains(table, StringComparison.Ordinal),
            "docs/memory-validation.md does not show the estimator's current table; regenerate it with GEODSL_UPDATE_BASELINES=1:\n" + table);
    }

    /// <summary>The markdown table between the page's markers: one row per measurement, skipped rows named.</summary>
    public static string Table()
    {
        var text = new StringBuilder();
        text.Append(Begin).Append('\n');
        text.Append("| Row | Configuration | Published (GB, alloc) | Predicted (GiB, alloc) | Predicted / published | of which cuDNN workspace (GiB) | Assumes | Source |\n");
        text.Append("|---|---|---|---|---|---|---|---|\n");
        foreach (var row in PublishedMeasurements.All)
        {
            string published = row.PublishedGiB.ToString("0.00", CultureInfo.InvariantCulture);
            string predicted;
            string ratio;
            string workspace;
            if (row.MissingBackbones.Any())
            {
                predicted = "not yet: " + string.Join(", ", row.MissingBackbones) + " is not in the catalog";
                ratio = "—";
                workspace = "—";
            }
            else
            {
                double value = row.PredictedGiB();
                predicted = value.ToString("0.00", CultureInfo.InvariantCulture);
                ratio = (value / row.PublishedGiB).ToString("0.00", CultureInfo.InvariantCulture);
                workspace = row.ConvolutionWorkspaceGiB().ToString("0.00", CultureInfo.InvariantCulture);
            }

            text.Append($"| {row.Id} | {row.Configuration} | {published} | {predicted} | {ratio} | {workspace} | {row.Assumes} | {row.Source} |\n");
        }

        text.Append(End).Append('\n');
        return text.ToString();
    }

    private const string Begin = "<!-- validation table: generated by PublishedMeasurementTests; GEODSL_UPDATE_BASELINES=1 rewrites it -->";
    private const string End = "<!-- end of validation table -->";

    private void AssertWithinTolerance(PublishedMeasurement row)
    {
        double predicted = row.PredictedGiB();
        double ratio = predicted / row.PublishedGiB;
        _output.WriteLine($"{row.Id}: predicted {predicted:0.00} GiB, published {row.PublishedGiB:0.00} GB, ratio {ratio:0.00}");
        Assert.InRange(ratio, 1 - Tolerance, 1 + Tolerance);
    }

    /// <summary>The page with the table between <paramref name="begin"/> and <paramref name="end"/> replaced (appended when the markers are missing).</summary>
    internal static string ReplaceTable(string page, string table, string begin, string end)
    {
        int start = page.IndexOf(begin, StringComparison.Ordinal);
        int stop = page.IndexOf(end, StringComparison.Ordinal);
        return start < 0 || stop < start ? page.TrimEnd() + "\n\n" + table : page.Substring(0, start) + table + page.Substring(stop + end.Length + 1);
    }

    /// <summary>The repository this test was compiled from (its build output may live elsewhere, see GEODSL_ARTIFACTS).</summary>
    internal static string RepositoryRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", ".."));
}

/// <summary>A theory skipped, with the names, while any of the catalog entries it needs is missing.</summary>
public sealed class RequiresBackbonesTheoryAttribute : TheoryAttribute
{
    public RequiresBackbonesTheoryAttribute(params string[] backbones)
    {
        var missing = backbones.Where(b => ComponentCatalog.Default.FindBackbone(b) is null).ToList();
        if (missing.Count > 0)
        {
            Skip = "Needs backbone(s) not in the catalog yet: " + string.Join(", ", missing);
        }
    }
}
