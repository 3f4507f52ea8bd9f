using System;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// Fills one block's bytes (machine byte order) from a raster's bands: the inverse of <see cref="BlockScatter"/>.
/// Parts of edge tiles outside the image are written as zeros. The raster may hold only some rows of the image, from
/// image row <c>firstRow</c> on (a block row of a streamed file).
/// </summary>
internal sealed class BlockGather
{
    private readonly GeoRaster raster;
    private readonly TiffBlockGrid grid;
    private readonly int firstRow;

    public BlockGather(GeoRaster raster, TiffBlockGrid grid, int firstRow)
    {
        this.raster = raster;
        this.grid = grid;
        this.firstRow = firstRow;
    }

    public void Gather(BlockPlace place, Span<byte> block)
    {
        block.Clear();
        int samplesPerPixel = grid.SamplesPerBlockPixel;
        int bytesPerSample = grid.BytesPerSample;
        int firstBand = grid.PlaneCount == 1 ? 0 : place.Plane;
        int bandCount = grid.PlaneCount == 1 ? raster.BandCount : 1;
        for (int b = 0; b < bandCount; b++)
        {
            int band = firstBand + b;
            ReadOnlySpan<float> floats = raster.Band(band);
            ReadOnlySpan<double> exact = raster.ExactBandOrEmpty(band);
            for (int row = 0; row < place.ValidRows; row++)
            {
                int source = (place.Row0 - firstRow + row) * grid.ImageWidth + place.Column0;
                int sampleIndex = row * grid.BlockWidth * samplesPerPixel + b;
                for (int col = 0; col < place.ValidColumns; col++, sampleIndex += samplesPerPixel)
                {
                    Span<byte> target = block.Slice(sampleIndex * bytesPerSample, bytesPerSample);
                    double value = exact.IsEmpty ? floats[source + col] : exact[source + col];
                    Write(target, value, floats[source + col]);
                }
            }
        }
    }

    private void Write(Span<byte> target, double value, float single)
    {
        // Values were checked to fit the type when the raster was made.
        switch (raster.DataType)
        {
            case RasterDataType.Byte: target[0] = (byte)value; break;
            case RasterDataType.Int16: BitConverter.TryWriteBytes(target, (short)value); break;
            case RasterDataType.UInt16: BitConverter.TryWriteBytes(target, (ushort)value); break;
            case RasterDataType.Int32: BitConverter.TryWriteBytes(target, (int)value); break;
            case RasterDataType.UInt32: BitConverter.TryWriteBytes(target, (uint)value); break;
            case RasterDataType.Float32: BitConverter.TryWriteBytes(target, single); break;
            case RasterDataType.Float64: BitConverter.TryWriteBytes(target, value); break;
            default: throw new ArgumentOutOfRangeException(nameof(raster), raster.DataType, "Unknown raster data type.");
        }
    }
}
