namespace GeoDsl.Runtime.Tests.GeoTiff;

/// <summary>One named test per storage layout the samples cover, so a failure names the layout that broke.</summary>
public sealed class LayoutTests
{
    [Fact]
    public void TiledPixelInterleavedDeflateFileWithHorizontalPredictorMatchesManifest() =>
        ManifestAssertions.FileMatchesManifest("hls_6band_int16_deflate_tiled.tif");

    [Fact]
    public void StripedBandInterleavedLzwFileMatchesManifest() =>
        ManifestAssertions.FileMatchesManifest("s2l1c_13band_uint16_lzw_separate.tif");

    [Fact]
    public void StripedDeflateFileWithFloatingPointPredictorMatchesManifest() =>
        ManifestAssertions.FileMatchesManifest("s1grd_2band_float32_predictor3.tif");

    [Fact]
    public void UncompressedByteMaskInGeographicCrsMatchesManifest() =>
        ManifestAssertions.FileMatchesManifest("mask_uint8_epsg4326.tif");

    [Fact]
    public void TiledBigTiffWithEighteenFloatBandsMatchesManifest() =>
        ManifestAssertions.FileMatchesManifest("hls_multitemporal_3x6_float32_bigtiff.tif");

    [Fact]
    public void ZstdCompressedFileMatchesManifest() =>
        ManifestAssertions.FileMatchesManifest("zstd_int16_unsupported_by_many_readers.tif");
}
