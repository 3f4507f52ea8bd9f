using GeoDsl.Runtime.Data;
using GeoDsl.Runtime.Data.GeoTiff;
using GeoDsl.Runtime.Tests.GeoTiff;

namespace GeoDsl.Runtime.Tests.Datasets;

/// <summary>The GDAL-written samples (Int16, UInt16, Float32, multi-temporal BigTIFF) become chips with the manifest's values, or are refused naming the file.</summary>
public sealed class SampleChipTests
{
    [Theory]
    // file, bands (by name, in model order), frames, a manifest probe (band, row, col, value) and where it lands [C, T, H, W].
    [InlineData("hls_6band_int16_deflate_tiled.tif", new[] { "NIR_NARROW", "RED" }, 1, 3, 128, 85, 2903.0, 0, 0)]
    [InlineData("s2l1c_13band_uint16_lzw_separate.tif", new[] { "B04", "B07", "B02" }, 1, 6, 40, 33, 7870.0, 1, 0)]
    [InlineData("s1grd_2band_float32_predictor3.tif", new[] { "VH", "VV" }, 1, 1, 32, 32, -12.022791862487793, 0, 0)]
    [InlineData("hls_multitemporal_3x6_float32_bigtiff.tif",
        new[] { "BLUE_t0", "GREEN_t0", "RED_t0", "NIR_NARROW_t0", "BLUE_t1", "GREEN_t1", "RED_t1", "NIR_NARROW_t1", "BLUE_t2", "GREEN_t2", "RED_t2", "NIR_NARROW_t2" },
        3, 9, 24, 16, 0.16981668770313263, 3, 1)]
    public void SampleImagesBecomeChipsWithTheManifestsValues(string fileName, string[] bands, int frames, int probeBand, int row, int col, double value, int channel, int frame)
    {
        var entry = SampleManifest.Shared.Entry(fileName);
        Assert.Contains(entry.PixelProbes, p => p.Band == probeBand && p.Row == row && p.Col == col && p.Value == value);
        using var folders = new ChipFolders();
        File.Copy(entry.FilePath, Path.Combine(folders.Images, "chip.tif"));
        GeoTiffWriter.Write(Path.Combine(folders.Masks, "chip.tif"), new GeoRaster(entry.Width, entry.Height, RasterDataType.Byte, new[] { new float[entry.Width * entry.Height] }));

        var dataset = new GeoTiffChipDataset(new ChipDatasetOptions(folders.Images, folders.Masks) { Bands = BandSelection.ByName(bands), Frames = frames });
        using var batch = dataset.Batches(1).Single();

        long[] expectedShape = frames > 1
            ? new long[] { 1, bands.Length / frames, frames, entry.Height, entry.Width }
            : new long[] { 1, bands.Length, entry.Height, entry.Width };
        Assert.Equal(expectedShape, batch.Images.shape);
        var image = batch.Images.data<float>().ToArray();
        int at = ((channel * frames + frame) * entry.Height + row) * entry.Width + col;
        Assert.Equal((float)value, image[at]);
    }

    [Fact]
    public void TruncatedSampleIsRefusedNamingTheChipAndTheFile()
    {
        var truncated = SampleManifest.Shared.Failing.Single(f => f.FileName == "truncated_hls_6band.tif");
        using var folders = new ChipFolders();
        File.Copy(truncated.FilePath, Path.Combine(folders.Images, "cut.tif"));
        GeoTiffWriter.Write(Path.Combine(folders.Masks, "cut.tif"), new GeoRaster(256, 256, RasterDataType.Byte, new[] { new float[256 * 256] }));
        var dataset = new GeoTiffChipDataset(new ChipDatasetOptions(folders.Images, folders.Masks));

        var error = Assert.Throws<ChipDatasetException>(() => dataset[0]);

        Assert.Contains("cut.tif", error.Message);
        Assert.Contains("truncated", error.Message);
        Assert.EndsWith("cut.tif", error.ImagePath);
    }
}
