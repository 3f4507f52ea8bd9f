using System.Text.Json;
using System.Text.RegularExpressions;

namespace GeoDsl.Cli.Tests;

/// <summary>
/// <c>geodsl describe models/vlm_internvl2_*.geomodel --gpu rtx_4090</c>: the 4090 question for every InternVL2 size, each
/// fine-tuning mode with its verdict for the card and the largest terms of its estimate.
/// </summary>
public sealed class DescribeVlmOnAnotherGpuTests
{
    // An RTX 4090 as nvidia-smi reports it: 24564 MiB (memory-facts.md, purpose paragraph).
    private const long Rtx4090Bytes = 24564L * 1024 * 1024;

    private static readonly string[] Files = { "vlm_internvl2_rtx4090.geomodel", "vlm_internvl2_large.geomodel" };

    [Fact]
    public void EveryInternVlTwoSizeGetsAnRtx4090VerdictPerModeThatMatchesItsDeviceTotal()
    {
        var seen = new List<string>();
        foreach (string file in Files)
        {
            var result = CliRunner.Run("describe", CliRunner.Reference(file), "--gpu", "rtx_4090");
            Assert.Equal(0, result.ExitCode);
            foreach (var (model, verdicts) in FineTuningTables(result.Output))
            {
                seen.Add(model);
                var described = CliRunner.Run("describe", CliRunner.Reference(file), "--model", model, "--json");
                Assert.True(described.ExitCode == 0, $"describe --model {model}: {described.Error}");
                var json = JsonDocument.Parse(described.Output).RootElement;
                var modes = json.GetProperty("vlm").GetProperty("fineTuning").EnumerateArray().ToList();
                Assert.Equal(modes.Select(m => m.GetProperty("mode").GetString()), verdicts.Select(v => v.Mode));
                foreach (var (mode, fits) in verdicts)
                {
                    long device = modes.Single(m => m.GetProperty("mode").GetString() == mode).GetProperty("deviceBytes").GetInt64();
                    Assert.True(fits == (device <= Rtx4090Bytes), $"{model}, {mode}: {device} bytes, shown as {(fits ? "fitting" : "not fitting")} an RTX 4090");
                }
            }
        }

        Assert.Equal(new[] { "InternVL2_1B", "InternVL2_2B", "InternVL2_4B", "InternVL2_8B", "InternVL2_26B", "InternVL2_40B", "InternVL2_Llama3_76B" }, seen);
    }

    [Fact]
    public void FromTwentySixBillionNoModeFitsAnRtx4090AndTheCheapestShowsWhy()
    {
        var result = CliRunner.Run("describe", CliRunner.Reference("vlm_internvl2_large.geomodel"), "--gpu", "rtx_4090");
        var tables = FineTuningTables(result.Output).ToList();
        Assert.Equal(3, tables.Count);
        Assert.All(tables, t => Assert.DoesNotContain(t.Verdicts, v => v.Fits));

        // The breakdown: each row names its largest terms, weights among them (20 B+ parameters even in 4 bits).
        Assert.Contains("weights ", result.Output, StringComparison.Ordinal);
        Assert.Contains("Fits RTX 4090", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AModelThatTargetsTheCardAlreadyGetsNoSecondColumn()
    {
        var result = CliRunner.Run("describe", CliRunner.Reference("vlm_internvl2_rtx4090.geomodel"), "--model", "InternVL2_8B", "--gpu", "rtx_4090");
        Assert.Equal(0, result.ExitCode);
        Assert.Single(result.Output.Split('\n'), l => l.Contains("Fits RTX 4090", StringComparison.Ordinal));
        Assert.Equal(1, CountOccurrences(result.Output.Split('\n').Single(l => l.Contains("Fine-tuning mode", StringComparison.Ordinal)), "Fits"));
    }

    [Fact]
    public void AnUnknownGpuIsAUsageErrorThatNamesTheKnownOnes()
    {
        var result = CliRunner.Run("describe", CliRunner.Reference("vlm_internvl2_large.geomodel"), "--gpu", "rtx_4900");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("rtx_4090", result.Error, StringComparison.Ordinal);
    }

    /// <summary>Each model's fine-tuning table from the human output: the mode and the last "Fits" column's verdict.</summary>
    private static IEnumerable<(string Model, List<(string Mode, bool Fits)> Verdicts)> FineTuningTables(string output)
    {
        string? model = null;
        List<(string, bool)>? verdicts = null;
        int fitsColumn = -1;
        // Spectre may colour the output (bold names, green/red verdicts): read the text without its escape sequences.
        foreach (string line in Regex.Replace(output, "\u001b\\[[0-9;]*m", string.Empty).Split('\n'))
        {
            if (line.StartsWith("──", StringComparison.Ordinal))
            {
                if (model is not null && verdicts is not null)
                {
                    yield return (model, verdicts);
                }

                model = line.Trim('─', ' ').Split(' ')[0];
                verdicts = new List<(string, bool)>();
                fitsColumn = -1;
                continue;
            }

            string[] cells = line.Split('│').Select(c => c.Trim()).ToArray();
            if (cells.Length < 4)
            {
                continue;
            }

            if (cells.Contains("Fine-tuning mode"))
            {
                fitsColumn = Array.FindLastIndex(cells, c => c.StartsWith("Fits RTX 4090", StringComparison.Ordinal));
            }
            else if (fitsColumn > 0 && cells[fitsColumn] is "yes" or "no")
            {
                verdicts!.Add((cells[1], cells[fitsColumn] == "yes"));
            }
        }

        if (model is not null && verdicts is not null)
        {
            yield return (model, verdicts);
        }
    }

    private static int CountOccurrences(string text, string value) => (text.Length - text.Replace(value, string.Empty, StringComparison.Ordinal).Length) / value.Length;
}
