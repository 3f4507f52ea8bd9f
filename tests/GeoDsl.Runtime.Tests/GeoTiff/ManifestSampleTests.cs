namespace GeoDsl.Runtime.Tests.GeoTiff;

/// <summary>Every readable sample reads exactly as its manifest describes it.</summary>
public sealed class ManifestSampleTests
{
    [Theory]
    [MemberData(nameof(SampleManifest.SharedReadableFiles), MemberType = typeof(SampleManifest))]
    public void EverySharedSampleFileMatchesItsManifestEntry(string fileName) =>
        ManifestAssertions.FileMatchesManifest(SampleManifest.Shared.Entry(fileName));

    [Theory]
    [MemberData(nameof(SampleManifest.ExtraReadableFiles), MemberType = typeof(SampleManifest))]
    public void EveryExtraGdalSampleFileMatchesItsManifestEntry(string fileName) =>
        ManifestAssertions.FileMatchesManifest(SampleManifest.Extra.Entry(fileName));

    [Fact]
    public void TheSharedManifestListsEverySampleFile() => ManifestListsEveryFile(SampleManifest.Shared);

    [Fact]
    public void TheExtraManifestListsEverySampleFile() => ManifestListsEveryFile(SampleManifest.Extra);

    private static void ManifestListsEveryFile(SampleManifest manifest)
    {
        var listed = manifest.Readable.Select(e => e.FileName).Concat(manifest.Failing.Select(f => f.FileName));
        var present = Directory.GetFiles(manifest.Folder, "*.tif").Select(Path.GetFileName);
        Assert.Equal(present.OrderBy(n => n), listed.OrderBy(n => n));
    }
}
