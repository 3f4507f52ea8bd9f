using System;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>A rectangle of pixels: its top-left column and row and its size, as GDAL's RasterIO window (xoff, yoff, xsize, ysize).</summary>
public readonly record struct RasterWindow(int Column, int Row, int Width, int Height)
{
    public int Right => Column + Width;

    public int Bottom => Row + Height;

    /// <summary>The whole of a width×height raster.</summary>
    public static RasterWindow Whole(int width, int height) => new(0, 0, width, height);

    /// <summary>Whether this window overlaps the rectangle [column, column + width) × [row, row + height).</summary>
    public bool Overlaps(int column, int row, int width, int height) =>
        column < Right && Column < column + width && row < Bottom && Row < row + height;

    /// <summary>Throws naming the file when the window is empty or reaches outside a width×height raster.</summary>
    public void CheckInside(int rasterWidth, int rasterHeight, string path)
    {
        if (Width <= 0 || Height <= 0 || Column < 0 || Row < 0 || Right > rasterWidth || Bottom > rasterHeight)
        {
            throw new GeoTiffException(path,
                $"Window {this} does not lie inside GeoTIFF '{path}', which is {rasterWidth}×{rasterHeight} (width×height); " +
                "a window is at least 1×1 and ends at or before the last column and row.");
        }
    }

    public override string ToString() => $"cols {Column}–{Right - 1}, rows {Row}–{Bottom - 1} ({Width}×{Height})";
}
