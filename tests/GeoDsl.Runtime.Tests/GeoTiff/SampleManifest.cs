using System.Text.Json;

namespace GeoDsl.Runtime.Tests.GeoTiff;

/// <summary>
/// The manifest.json beside the GDAL-written sample GeoTIFFs: what each file holds, or the error it must give.
/// Field names are the manifest's own (snake_case).
/// </summary>
public sealed record SampleManifestEntry(
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
    /// <summary>A creation option's value ("TILED" → "YES"), or null when the file was written without it.</summary>
    public string? Option(string name) =>
        CreationOptions.Select(o => o.Split('=', 2)).Where(p => p[0] == name).Select(p => p[1]).FirstOrDefault();

    public override string ToString() => FileName;
}

public sealed record PixelProbe(int Band, int Row, int Col, double Value);

public sealed record ExpectedFailure(string FileName, string Expectation, long FileBytes);

public static class SampleManifest
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Data", "geotiff-samples");

    public static string PathOf(string fileName) => Path.Combine(Folder, fileName);

    public static IReadOnlyList<SampleManifestEntry> Readable => Load().Readable;

    public static IReadOnlyList<ExpectedFailure> Failing => Load().Failing;

    public static SampleManifestEntry Entry(string fileName) => Readable.Single(e => e.FileName == fileName);

    public static IEnumerable<object[]> ReadableFileNames() => Readable.Select(e => new object[] { e.FileName });

    private static (List<SampleManifestEntry> Readable, List<ExpectedFailure> Failing) Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "manifest.json")));
        var readable = new List<SampleManifestEntry>();
        var failing = new List<ExpectedFailure>();
        foreach (var file in document.RootElement.EnumerateObject())
        {
            var e = file.Value;
            long bytes = e.GetProperty("file_bytes").GetInt64();
            if (e.TryGetProperty("expect", out var expect))
            {
                failing.Add(new ExpectedFailure(file.Name, expect.GetString()!, bytes));
                continue;
            }

            readable.Add(new SampleManifestEntry(
                file.Name,
                e.GetProperty("width").GetInt32(),
                e.GetProperty("height").GetInt32(),
                e.GetProperty("bands").GetInt32(),
                e.GetProperty("dtype").GetString()!,
                e.GetProperty("creation_options").EnumerateArray().Select(o => o.GetString()!).ToArray(),
                NullableInt(e.GetProperty("epsg")),
                e.GetProperty("geotransform").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
                NullableDouble(e.GetProperty("nodata")),
                e.GetProperty("band_descriptions").ValueKind == JsonValueKind.Null
                    ? null
                    : e.GetProperty("band_descriptions").EnumerateArray().Select(d => d.GetString()!).ToArray(),
                e.GetProperty("band_sums_excluding_nodata").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
                e.GetProperty("nodata_pixels_per_band").EnumerateArray().Select(v => v.GetInt64()).ToArray(),
                e.GetProperty("pixel_probes").EnumerateArray().Select(p => new PixelProbe(
                    p.GetProperty("band").GetInt32(),
                    p.GetProperty("row").GetInt32(),
                    p.GetProperty("col").GetInt32(),
                    p.GetProperty("value").GetDouble())).ToArray(),
                bytes));
        }

        return (readable, failing);
    }

    private static int? NullableInt(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetInt32();

    private static double? NullableDouble(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetDouble();
}
