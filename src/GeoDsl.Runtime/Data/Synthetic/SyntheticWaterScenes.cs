using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using GeoDsl.Runtime.Data.GeoTiff;

namespace GeoDsl.Runtime.Data.Synthetic;

/// <summary>
/// Deterministic synthetic scenes for water mapping: land-cover patches (vegetation, bare soil, urban), rivers and
/// lakes (clear or turbid water), sensor noise, occasional clouds and no-data corners, in HLS-like surface
/// reflectance. Same seed, same scenes, same file bytes, on every machine. Meant for tests, demos and the
/// quickstart, where no real data can be downloaded.
/// </summary>
public static class SyntheticWaterScenes
{
    public const byte NotWater = 0;
    public const byte Water = 1;

    /// <summary>Mask value for pixels without a label (cloud, no image data); a chip data set maps it to its ignore index.</summary>
    public const byte MaskNoData = 255;

    /// <summary>HLS's fill value for pixels without data.</summary>
    public const short ImageNoData = -9999;

    /// <summary>WGS 84 / UTM zone 33N, with 30 m pixels as HLS has.</summary>
    public const int Epsg = 32633;

    public const double PixelSize = 30;

    private const string ManifestName = "synthetic-water-scenes.json";

    // Bump when the scenes a seed gives change, so folders written by an older generator are rewritten.
    private const int GeneratorVersion = 1;

    /// <summary>
    /// Writes <paramref name="count"/> scenes of <paramref name="size"/>×<paramref name="size"/> pixels as
    /// images/scene_0001.tif … and masks/scene_0001.tif … under <paramref name="folder"/>, with a small manifest of
    /// the parameters. When the folder already holds a complete set made with the same parameters, nothing is
    /// written. Scenes a previous call listed under other parameters are removed first.
    /// </summary>
    public static SyntheticSceneSet WriteTiles(string folder, int count, int size, int seed)
    {
        if (count <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "Write at least one scene.");
        }

        CheckSize(size);
        string images = Path.Combine(folder, "images");
        string masks = Path.Combine(folder, "masks");
        var names = Enumerable.Range(1, count).Select(i => $"scene_{i:D4}.tif").ToArray();
        var imagePaths = names.Select(n => Path.Combine(images, n)).ToArray();
        var maskPaths = names.Select(n => Path.Combine(masks, n)).ToArray();
        var wanted = new SceneManifest(GeneratorVersion, count, size, seed, names);
        string manifestPath = Path.Combine(folder, ManifestName);

        var existing = ReadManifest(manifestPath);
        if (existing is not null && existing.SameParameters(wanted) && imagePaths.Concat(maskPaths).All(File.Exists))
        {
            return new SyntheticSceneSet(folder, images, masks, count, size, seed, WrittenNow: false, imagePaths, maskPaths);
        }

        // Scenes of an earlier, different set would be paired by a data set over these folders: remove them.
        if (existing is not null)
        {
            foreach (string old in existing.Files.Except(names))
            {
                DeleteIfPresent(Path.Combine(images, old));
                DeleteIfPresent(Path.Combine(masks, old));
            }
        }

        // The old manifest goes first and the new one comes last, so a half-written set is never taken as complete.
        Directory.CreateDirectory(folder);
        File.Delete(manifestPath);
        for (int i = 0; i < count; i++)
        {
            var scene = Generate(size, seed, i);
            GeoTiffWriter.Write(imagePaths[i], scene.Image, GeoTiffWriteOptions.Strips());
            GeoTiffWriter.Write(maskPaths[i], scene.Mask, GeoTiffWriteOptions.Strips());
        }

        WriteManifest(manifestPath, wanted);
        return new SyntheticSceneSet(folder, images, masks, count, size, seed, WrittenNow: true, imagePaths, maskPaths);
    }

    /// <summary>One scene in memory: scene <paramref name="index"/> of the set a seed gives.</summary>
    public static SyntheticScene Generate(int size, int seed, int index)
    {
        CheckSize(size);
        var random = new DeterministicRandom(unchecked(seed * 1_000_003L + index));
        int pixels = size * size;

        SurfaceClass[] surface = LandCover(size, random);
        bool[] water = WaterBodies(size, random);
        float[] turbidity = SmoothNoise.Field(size, size / 3.0, 2, random);
        for (int i = 0; i < pixels; i++)
        {
            if (water[i])
            {
                surface[i] = turbidity[i] > 0.62f ? SurfaceClass.TurbidWater : SurfaceClass.ClearWater;
            }
        }

        var image = Reflectance(size, surface, random);
        var mask = new float[pixels];
        for (int i = 0; i < pixels; i++)
        {
            mask[i] = water[i] ? Water : NotWater;
        }

        AddClouds(size, image, mask, random);
        AddNoDataCorner(size, image, mask, random);

        var transform = GeoTransform.NorthUp(399960 + index * size * PixelSize, 5000040, PixelSize, PixelSize);
        var imageRaster = new GeoRaster(size, size, RasterDataType.Int16, image)
        {
            GeoTransform = transform,
            Epsg = Epsg,
            NoData = ImageNoData,
            BandDescriptions = HlsReflectance.BandNames,
        };
        var maskRaster = new GeoRaster(size, size, RasterDataType.Byte, new[] { mask })
        {
            GeoTransform = transform,
            Epsg = Epsg,
            NoData = MaskNoData,
            BandDescriptions = new[] { "WATER_MASK" },
        };
        return new SyntheticScene(imageRaster, maskRaster);
    }

    /// <summary>Patches of vegetation, bare soil and urban land from two smooth fields.</summary>
    private static SurfaceClass[] LandCover(int size, DeterministicRandom random)
    {
        float[] greenness = SmoothNoise.Field(size, size / 4.0, 3, random);
        float[] settlement = SmoothNoise.Field(size, size / 6.0, 2, random);
        float urbanThreshold = SmoothNoise.Quantile(settlement, 1 - random.NextDouble(0.03, 0.15));
        float soilThreshold = SmoothNoise.Quantile(greenness, random.NextDouble(0.15, 0.45));
        var surface = new SurfaceClass[size * size];
        for (int i = 0; i < surface.Length; i++)
        {
            surface[i] = settlement[i] >= urbanThreshold ? SurfaceClass.Urban
                : greenness[i] < soilThreshold ? SurfaceClass.BareSoil
                : SurfaceClass.Vegetation;
        }

        return surface;
    }

    /// <summary>Usually a river, then lakes until water covers a drawn target of 15–35% (never above 48%).</summary>
    private static bool[] WaterBodies(int size, DeterministicRandom random)
    {
        var water = new bool[size * size];
        double target = random.NextDouble(0.15, 0.35);
        int rivers = random.NextDouble() < 0.8 ? 1 + (random.NextDouble() < 0.3 ? 1 : 0) : 0;
        for (int r = 0; r < rivers && Fraction(water) < target; r++)
        {
            var before = (bool[])water.Clone();
            WaterShapes.DrawRiver(water, size, random);
            if (Fraction(water) > 0.48)
            {
                water = before;
            }
        }

        for (int attempt = 0; attempt < 60 && Fraction(water) < target; attempt++)
        {
            var before = (bool[])water.Clone();
            double radius = size * random.NextDouble(0.06, 0.18);
            WaterShapes.DrawLake(water, size, radius, random);
            if (Fraction(water) > 0.48)
            {
                water = before;
            }
        }

        return water;
    }

    /// <summary>
    /// Each pixel: its class's spectrum, scaled by a smooth brightness field (illumination, moisture, density),
    /// vegetation mixed with some soil where it is sparse, plus sensor noise (30 DN + 2% of the signal).
    /// </summary>
    private static float[][] Reflectance(int size, SurfaceClass[] surface, DeterministicRandom random)
    {
        int bands = HlsReflectance.BandCount;
        var means = Enum.GetValues<SurfaceClass>().ToDictionary(c => c, c => HlsReflectance.Mean(c).ToArray());
        float[] brightness = SmoothNoise.Field(size, size / 5.0, 3, random);
        float[] sparseness = SmoothNoise.Field(size, size / 8.0, 2, random);
        var image = new float[bands][];
        for (int b = 0; b < bands; b++)
        {
            image[b] = new float[size * size];
        }

        var soil = means[SurfaceClass.BareSoil];
        for (int i = 0; i < surface.Length; i++)
        {
            double[] spectrum = means[surface[i]];
            double scale = 0.85 + 0.3 * brightness[i];
            double soilShare = surface[i] == SurfaceClass.Vegetation ? 0.4 * Math.Max(0, sparseness[i] - 0.4) : 0;
            for (int b = 0; b < bands; b++)
            {
                double signal = scale * ((1 - soilShare) * spectrum[b] + soilShare * soil[b]);
                double noisy = signal + random.NextGaussian() * (30 + 0.02 * signal);
                image[b][i] = (float)Math.Round(Math.Clamp(noisy, 0, HlsReflectance.Maximum));
            }
        }

        return image;
    }

    /// <summary>In half the scenes, clouds over 3–20% of the area; pixels at least half cloud lose their label.</summary>
    private static void AddClouds(int size, float[][] image, float[] mask, DeterministicRandom random)
    {
        if (random.NextDouble() >= 0.5)
        {
            return;
        }

        float[] cloudiness = SmoothNoise.Field(size, size / 3.0, 4, random);
        float threshold = SmoothNoise.Quantile(cloudiness, 1 - random.NextDouble(0.03, 0.2));
        double[] cloud = HlsReflectance.Mean(SurfaceClass.Cloud).ToArray();
        const float Softness = 0.06f;
        for (int i = 0; i < mask.Length; i++)
        {
            float opacity = Math.Clamp((cloudiness[i] - threshold) / Softness + 0.5f, 0f, 1f);
            if (opacity <= 0)
            {
                continue;
            }

            for (int b = 0; b < image.Length; b++)
            {
                double mixed = (1 - opacity) * image[b][i] + opacity * cloud[b] * (0.9 + 0.2 * random.NextDouble());
                image[b][i] = (float)Math.Round(Math.Clamp(mixed, 0, HlsReflectance.Maximum));
            }

            if (opacity >= 0.5f)
            {
                mask[i] = MaskNoData;
            }
        }
    }

    /// <summary>In some scenes a corner without data, as at the edge of a satellite's swath.</summary>
    private static void AddNoDataCorner(int size, float[][] image, float[] mask, DeterministicRandom random)
    {
        if (random.NextDouble() >= 0.15)
        {
            return;
        }

        double reach = random.NextDouble(0.1, 0.3) * size;
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                if (x + y < reach)
                {
                    int i = y * size + x;
                    foreach (var band in image)
                    {
                        band[i] = ImageNoData;
                    }

                    mask[i] = MaskNoData;
                }
            }
        }
    }

    private static void DeleteIfPresent(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private static double Fraction(bool[] water) => water.Count(w => w) / (double)water.Length;

    private static void CheckSize(int size)
    {
        if (size < 16)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "Scenes are at least 16×16 pixels, so rivers and lakes fit.");
        }
    }

    private static SceneManifest? ReadManifest(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<SceneManifest>(File.ReadAllText(path));
        }
        catch (JsonException)
        {
            return null; // unreadable: treat the folder as incomplete and write it again
        }
    }

    private static void WriteManifest(string path, SceneManifest manifest)
    {
        string temporary = path + ".partial";
        File.WriteAllText(temporary, JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>What a folder of scenes was made with; a set is reused only when all of it matches.</summary>
    private sealed record SceneManifest(int GeneratorVersion, int Count, int Size, int Seed, IReadOnlyList<string> Files)
    {
        public bool SameParameters(SceneManifest other) =>
            GeneratorVersion == other.GeneratorVersion && Count == other.Count && Size == other.Size && Seed == other.Seed
            && Files.SequenceEqual(other.Files);
    }
}
