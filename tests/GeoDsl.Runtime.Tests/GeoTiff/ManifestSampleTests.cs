namespace GeoDsl.Runtime.Tests.GeoTiff;

/// <summary>Every readable file in the GDAL-written samples reads exactly as manifest.json describes it.</summary>
public sealed class ManifestSampleTests
{
    [Theory]
    [MemberData(nameof(SampleManifest.ReadableFileNames), MemberType = typeof(SampleManifest))]
    public void EverySampleFileMatchesItsManifestEntry(string fileName) => ManifestAssertions.FileMatchesManifest(fileName);

    [Fact]
    public void TheManifestListsEverySampleFile()
    {
        var listed = SampleManifest.Readable.Select(e => e.FileName).Concat(SampleManifest.Failing.Select(f => f.FileName));
        var present = Directory.GetFiles(SampleManifest.Folder, "*.tif").Select(Path.GetFileName);
        Assert.Equal(present.OrderBy(n => n), listed.OrderBy(n => n));
    }
}
