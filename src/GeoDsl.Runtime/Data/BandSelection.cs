using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Data.GeoTiff;

namespace GeoDsl.Runtime.Data;

/// <summary>Which bands of an image to use, and in which order: all, by description (name) or by index.</summary>
public sealed class BandSelection
{
    private BandSelection(IReadOnlyList<string>? names, IReadOnlyList<int>? indices)
    {
        Names = names;
        Indices = indices;
    }

    /// <summary>Every band, in file order.</summary>
    public static BandSelection All { get; } = new(null, null);

    /// <summary>Bands by their descriptions (GDAL band descriptions), in the order given.</summary>
    public static BandSelection ByName(params string[] names)
    {
        if (names.Length == 0)
        {
            throw new ArgumentException("Name at least one band.", nameof(names));
        }

        return new BandSelection(names.ToArray(), null);
    }

    /// <summary>Bands by zero-based index, in the order given.</summary>
    public static BandSelection ByIndex(params int[] indices)
    {
        if (indices.Length == 0)
        {
            throw new ArgumentException("Give at least one band index.", nameof(indices));
        }

        if (indices.Any(i => i < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(indices), indices.First(i => i < 0), "Band indices start at 0.");
        }

        return new BandSelection(null, indices.ToArray());
    }

    public IReadOnlyList<string>? Names { get; }

    public IReadOnlyList<int>? Indices { get; }

    public bool IsAll => Names is null && Indices is null;

    /// <summary>The number of bands selected, or null for "all" (known only from a file).</summary>
    public int? Count => Names?.Count ?? Indices?.Count;

    /// <summary>The file's band indices for this selection; throws a <see cref="GeoTiffException"/> naming the file if a band is missing.</summary>
    public int[] Resolve(GeoRasterInfo info)
    {
        if (Names is not null)
        {
            return Names.Select(info.BandIndex).ToArray();
        }

        if (Indices is not null)
        {
            foreach (int index in Indices.Where(i => i >= info.BandCount))
            {
                throw new GeoTiffException(info.FilePath,
                    $"Band {index} was asked of GeoTIFF '{info.FilePath}', which has {info.BandCount} band(s), 0 to {info.BandCount - 1}.");
            }

            return Indices.ToArray();
        }

        return Enumerable.Range(0, info.BandCount).ToArray();
    }

    public override string ToString() =>
        Names is not null ? "bands " + string.Join(", ", Names)
        : Indices is not null ? "band indices " + string.Join(", ", Indices)
        : "all bands";
}
