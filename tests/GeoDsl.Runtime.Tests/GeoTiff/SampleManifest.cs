using System.Text.Json;

namespace GeoDsl.Runtime.Tests.GeoTiff;

/// <summary>
/// A manifest.json beside GDAL-written sample GeoTIFFs: what each file holds, or the error it must give.
/// Field names are the manifest's own (snake_case). "Shared" is the project's sample set (copied from
/// shared/data/geotiff-samples); "Extra" holds further GDAL-made edge cases (see extra/make_extra_samples.py).
/// </summary>
public sealed record SampleManifestEntry(
    string Folder,
    string FileName,
    int Width,
    int Height,
    int Bands,
    string DataType,
    IReadOnlyList<string> CreationOptions,
    int? Epsg,
    double[] GeoTransform,
    double? NoData,
    IReadOnlyList<string>? BandDescriptions,
    double[] BandSumsExcludingNoData,
    long[] NoDataPixelsPerBand,
    IReadOnlyList<PixelProbe> PixelProbes,
    long FileBytes)
{
    public string FilePath => Path.Combine(Folder, FileName);

    /// <summary>A creation option's value ("TILED" → "YES"), or null when the file was written without it.</summary>
    public string? Option(string name) =>
        CreationOptions.Select(o => o.Split('=', 2)).Where(p => p[0] == name).Select(p => p[1]).FirstOrDefault();

    public override string ToString() => FileName;
}

public sealed record PixelProbe(int Band, int Row, int Col, double Value);

public sealed record ExpectedFailure(string Folder, string FileName, string Expectation, IReadOnlyList<string> MessageContains, long FileBytes)
{
    public string FilePath => Path.Combine(Folder, FileName);

    public override string ToString() => FileName;
}

public sealed class SampleManifest
{
    private SampleManifest(string folder)
    {
        Folder = folder;
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
        foreach (var file in document.RootElement.EnumerateObject())
        {
            var e = file.Value;
            long bytes = e.GetProperty("file_bytes").GetInt64();
            if (e.TryGetProperty("expect", out var expect))
            {
                var contains = e.TryGetProperty("message_contains", out var c)
                    ? c.EnumerateArray().Select(s => s.GetString()!).ToArray()
                    : Array.Empty<string>();
                Failing.Add(new ExpectedFailure(folder, file.Name, expect.GetString()!, contains, bytes));
                continue;
            }

            Readable.Add(new SampleManifestEntry(
                folder,
                file.Name,
                e.GetProperty("width").GetInt32(),
                e.GetProperty("height").GetInt32(),
                e.GetProperty("bands").GetInt32(),
                e.GetProperty("dtype").GetString()!,
                e.GetProperty("creation_options").EnumerateArray().Select(o => o.GetString()!).ToArray(),
                e.GetProperty("epsg").ValueKind == JsonValueKind.Null ? null : e.GetProperty("epsg").GetInt32(),
                e.GetProperty("geotransform").EnumerateArray().Select(Number).ToArray(),
                e.GetProperty("nodata").ValueKind == JsonValueKind.Null ? null : Number(e.GetProperty("nodata")),
                e.GetProperty("band_descriptions").ValueKind == JsonValueKind.Null
                    ? null
                    : e.GetProperty("band_descriptions").EnumerateArray().Select(d => d.GetString()!).ToArray(),
                e.GetProperty("band_sums_excluding_nodata").EnumerateArray().Select(Number).ToArray(),
                e.GetProperty("nodata_pixels_per_band").EnumerateArray().Select(v => v.GetInt64()).ToArray(),
                e.GetProperty("pixel_probes").EnumerateArray().Select(p => new PixelProbe(
                    p.GetProperty("band").GetInt32(),
                    p.GetProperty("row").GetInt32(),
                    p.GetProperty("col").GetInt32(),
                    Number(p.GetProperty("value")))).ToArray(),
                bytes));
        }
    }

    public static SampleManifest Shared { get; } = new(Path.Combine(AppContext.BaseDirectory, "Data", "geotiff-samples"));

    public static SampleManifest Extra { get; } = new(Path.Combine(AppContext.BaseDirectory, "Data", "geotiff-samples", "extra"));

    public string Folder { get; }

    public List<SampleManifestEntry> Readable { get; } = new();

    public List<ExpectedFailure> Failing { get; } = new();

    public SampleManifestEntry Entry(string fileName) => Readable.Single(e => e.FileName == fileName);

    public static IEnumerable<object[]> SharedReadableFiles() => Shared.Readable.Select(e => new object[] { e.FileName });

    public static IEnumerable<object[]> ExtraReadableFiles() => Extra.Readable.Select(e => new object[] { e.FileName });

    public static IEnumerable<object[]> ExtraRefusedFiles() => Extra.Failing.Select(e => new object[] { e.FileName });

    /// <summary>JSON has no NaN; the extra manifest writes it as the string "nan".</summary>
    private static double Number(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && value.GetString() == "nan" ? double.NaN : value.GetDouble();
}
