using System.Threading.Tasks;
using GeoDsl.Runtime.Data.GeoTiff;

namespace GeoDsl.Runtime.Tests.GeoTiff;

/// <summary>Files GeoDsl cannot read give an exception naming the file, the place and the fix; never partial data.</summary>
public sealed class DamagedAndUnsupportedFileTests
{
    [Fact]
    public void TruncatedFileFailsWithAMessageNamingTheFileAndTheMissingTile()
    {
        var truncated = SampleManifest.Shared.Failing.Single(f => f.FileName == "truncated_hls_6band.tif");
        Assert.Equal(truncated.FileBytes, new FileInfo(truncated.FilePath).Length);

        var error = Assert.Throws<GeoTiffException>(() => GeoTiffReader.Read(truncated.FilePath));

        Assert.Contains("truncated_hls_6band.tif", error.Message);
        Assert.Contains("truncated", error.Message);
        Assert.Contains("tile", error.Message);
        Assert.Equal(truncated.FilePath, error.FilePath);
    }

    [Fact]
    public void TruncatedFileStillGivesItsHeader()
    {
        // The header is intact; only pixel data is missing. Reading the header alone must work.
        var truncated = SampleManifest.Shared.Failing.Single(f => f.FileName == "truncated_hls_6band.tif");
        var info = GeoTiffReader.ReadInfo(truncated.FilePath);
        Assert.Equal(6, info.BandCount);
    }

    [Theory]
    [MemberData(nameof(SampleManifest.ExtraRefusedFiles), MemberType = typeof(SampleManifest))]
    public void UnsupportedLayoutFailsNamingTheFilePropertyAndValue(string fileName)
    {
        var refused = SampleManifest.Extra.Failing.Single(f => f.FileName == fileName);

        var error = Assert.Throws<GeoTiffException>(() => GeoTiffReader.Read(refused.FilePath));

        Assert.Contains(fileName, error.Message);
        foreach (string part in refused.MessageContains)
        {
            Assert.Contains(part, error.Message);
        }
    }

    [Fact]
    public void MissingFileFailsNamingThePath()
    {
        string path = Path.Combine(Path.GetTempPath(), "geodsl-no-such-file.tif");
        var error = Assert.Throws<GeoTiffException>(() => GeoTiffReader.Read(path));
        Assert.Contains("geodsl-no-such-file.tif", error.Message);
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void FileThatIsNotATiffFailsNamingTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"geodsl-not-a-tiff-{Guid.NewGuid():N}.tif");
        File.WriteAllText(path, "this is a text file, not an image");
        try
        {
            var error = Assert.Throws<GeoTiffException>(() => GeoTiffReader.Read(path));
            Assert.Contains(Path.GetFileName(path), error.Message);
            Assert.Contains("not a readable TIFF", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ParallelReadsKeepEachFilesErrorsApart()
    {
        // LibTiff.NET has one process-wide error handler; errors must reach the read that caused them, not another thread's.
        string good = SampleManifest.Shared.Entry("s2l1c_13band_uint16_lzw_separate.tif").FilePath;
        string bad = Path.Combine(Path.GetTempPath(), $"geodsl-not-a-tiff-{Guid.NewGuid():N}.tif");
        File.WriteAllBytes(bad, new byte[] { (byte)'I', (byte)'I', 42, 0, 255, 255, 255, 127 });
        try
        {
            var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
            Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            {
                if (i % 2 == 0)
                {
                    var raster = GeoTiffReader.Read(good);
                    if (raster.BandCount != 13)
                    {
                        failures.Add($"read {i} gave {raster.BandCount} bands");
                    }
                }
                else
                {
                    var error = Assert.Throws<GeoTiffException>(() => GeoTiffReader.Read(bad));
                    if (!error.Message.Contains(Path.GetFileName(bad)))
                    {
                        failures.Add(error.Message);
                    }
                }
            });
            Assert.Empty(failures);
        }
        finally
        {
            File.Delete(bad);
        }
    }
}
