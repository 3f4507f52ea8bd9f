using System.IO;
using GeoDsl.Runtime.Data.GeoTiff;
using GeoDsl.Runtime.Data.Synthetic;

namespace GeoDsl.Quickstart;

/// <summary>
/// A synthetic scene much larger than the model's 64×64 input, with its water mask, written once as tiled GeoTIFFs
/// into the cache folder: what the quickstart predicts by tiled inference, as one would a satellite scene.
/// </summary>
internal sealed record QuickstartScene(string ImagePath, string MaskPath, int Size)
{
    public const int SceneSize = 256;
    public const int SceneSeed = 3;

    public static QuickstartScene Prepare(string cacheFolder)
    {
        string folder = Path.Combine(cacheFolder, "scene");
        string image = Path.Combine(folder, $"scene_{SceneSize}_seed{SceneSeed}.tif");
        string mask = Path.Combine(folder, $"scene_{SceneSize}_seed{SceneSeed}_mask.tif");
        // Scenes are a pure function of size and seed, and the writer renames complete files into place, so a file
        // that exists is the scene itself.
        if (!File.Exists(image) || !File.Exists(mask))
        {
            var scene = SyntheticWaterScenes.Generate(SceneSize, SceneSeed, index: 0);
            GeoTiffWriter.Write(image, scene.Image, GeoTiffWriteOptions.Tiles(64, 64));
            GeoTiffWriter.Write(mask, scene.Mask, GeoTiffWriteOptions.Tiles(64, 64));
        }

        return new QuickstartScene(image, mask, SceneSize);
    }
}
