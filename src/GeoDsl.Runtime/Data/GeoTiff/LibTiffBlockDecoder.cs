using System.Globalization;
using BitMiracle.LibTiff.Classic;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>Decodes blocks with LibTiff.NET's own codecs (none, LZW, DEFLATE, PackBits and its predictors).</summary>
internal sealed class LibTiffBlockDecoder : ITiffBlockDecoder
{
    private readonly Tiff tiff;
    private readonly TiffBlockGrid grid;
    private readonly LibTiffMessages.Scope messages;
    private readonly string path;

    public LibTiffBlockDecoder(Tiff tiff, TiffBlockGrid grid, LibTiffMessages.Scope messages, string path)
    {
        this.tiff = tiff;
        this.grid = grid;
        this.messages = messages;
        this.path = path;
    }

    public void Decode(BlockPlace place, byte[] destination, int decodedSize)
    {
        int read = grid.IsTiled
            ? tiff.ReadEncodedTile(place.Index, destination, 0, decodedSize)
            : tiff.ReadEncodedStrip(place.Index, destination, 0, decodedSize);

        if (messages.HasErrors || read != decodedSize)
        {
            string cause = messages.HasErrors
                ? messages.DescribeErrors()
                : string.Create(CultureInfo.InvariantCulture, $"it decoded to {read} bytes instead of {decodedSize}");
            messages.ClearErrors();
            throw new GeoTiffException(path,
                $"GeoTIFF '{path}': {grid.Describe(place)} could not be decoded ({cause}). " +
                "The file is damaged (cut short or corrupted); fetch or export it again.");
        }
    }
}
