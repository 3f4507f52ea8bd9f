using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Data;
using GeoDsl.Runtime.Data.GeoTiff;

namespace GeoDsl.Cli.Running;

/// <summary>
/// Which bands of a GeoTIFF feed a model: the model's bands by GDAL band description when the file names them all,
/// otherwise every band in file order when the count is what the model takes (channels × frames), frame by frame.
/// </summary>
internal static class ModelInputBands
{
    public static BandSelection For(InputSpec input, GeoRasterInfo image)
    {
        int wanted = input.Channels * input.Frames;
        if (input.Frames == 1 && input.Bands.All(band => image.TryBandIndex(band) is not null))
        {
            return BandSelection.ByName(input.Bands.ToArray());
        }

        if (image.BandCount == wanted)
        {
            return BandSelection.All;
        }

        string described = image.BandDescriptions.Any(d => d is not null)
            ? " (" + string.Join(", ", image.BandDescriptions.Select((d, i) => d ?? "#" + i.ToString(CultureInfo.InvariantCulture))) + ")"
            : "";
        string frames = input.Frames > 1 ? $" × {input.Frames} frames, frame by frame" : "";
        throw new CommandInputException(
            $"'{image.FilePath}' has {image.BandCount} band(s){described}, but the model takes {wanted}: {string.Join(", ", input.Bands)}{frames}. " +
            $"Give the image exactly those {wanted} bands in that order" + (input.Frames == 1 ? ", or name them in its GDAL band descriptions." : "."));
    }

    /// <summary>The model's declared <c>means</c>/<c>stds</c>, or null when its input block has none.</summary>
    public static BandNormalization? DeclaredNormalization(InputSpec input) =>
        input.Means.Count > 0 ? new BandNormalization(input.Means.ToArray(), input.Stds.ToArray()) : null;
}
