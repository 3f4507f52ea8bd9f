namespace GeoDsl.Runtime.Tests.GeoTiff;

/// <summary>One named test per storage layout, so a failure names the layout that broke.</summary>
public sealed class LayoutTests
{
    [Fact]
    public void TiledPixelInterleavedDeflateFileWithHorizontalPredictorMatchesManifest() =>
        Shared("hls_6band_int16_deflate_tiled.tif");

    [Fact]
    public void StripedBandInterleavedLzwFileMatchesManifest() =>
        Shared("s2l1c_13band_uint16_lzw_separate.tif");

    [Fact]
    public void StripedDeflateFileWithFloatingPointPredictorMatchesManifest() =>
        Shared("s1grd_2band_float32_predictor3.tif");

    [Fact]
    public void UncompressedByteMaskInGeographicCrsMatchesManifest() =>
        Shared("mask_uint8_epsg4326.tif");

    [Fact]
    public void TiledBigTiffWithEighteenFloatBandsMatchesManifest() =>
        Shared("hls_multitemporal_3x6_float32_bigtiff.tif");

    [Fact]
    public void ZstdCompressedFileMatchesManifest() =>
        Shared("zstd_int16_unsupported_by_many_readers.tif");

    [Fact]
    public void BigEndianTiledBandInterleavedZstdInt32WithHorizontalPredictorMatchesManifest() =>
        Extra("int32_zstd_pred2_bigendian_tiled_band.tif");

    [Fact]
    public void StripedZstdFloat64WithFloatingPointPredictorAndNanNoDataMatchesManifest() =>
        Extra("float64_zstd_pred3_striped_nan_nodata.tif");

    [Fact]
    public void TiledPixelInterleavedZstdFloat32WithFloatingPointPredictorMatchesManifest() =>
        Extra("float32_zstd_pred3_tiled_pixel.tif");

    [Fact]
    public void BigEndianDeflateUInt32AboveTwoToTheThirtyOneMatchesManifest() =>
        Extra("uint32_deflate_pred2_bigendian.tif");

    [Fact]
    public void PackBitsFileMarkedPixelIsPointMatchesManifest() =>
        Extra("int16_packbits_pixel_is_point.tif");

    [Fact]
    public void RotatedGeotransformFromModelTransformationMatchesManifest() =>
        Extra("byte_rotated_geotransform.tif");

    [Fact]
    public void SparseTilesReadAsNoDataMatchManifest() =>
        Extra("uint16_sparse_tiles.tif");

    private static void Shared(string fileName) => ManifestAssertions.FileMatchesManifest(SampleManifest.Shared.Entry(fileName));

    private static void Extra(string fileName) => ManifestAssertions.FileMatchesManifest(SampleManifest.Extra.Entry(fileName));
}
