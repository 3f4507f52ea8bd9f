using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace GeoDsl.Runtime.Data;

/// <summary>Pairs image and mask files by their shared name, in ordinal name order so every run sees the same order.</summary>
internal static class ChipPairing
{
    private static readonly string[] Extensions = { ".tif", ".tiff" };

    public static IReadOnlyList<ChipPair> Pair(ChipDatasetOptions options)
    {
        var images = FilesByName(options.ImageFolder, options.ImageSuffix, "image");
        var masks = FilesByName(options.MaskFolder, options.MaskSuffix, "mask");

        var pairs = images.Keys.Where(masks.ContainsKey)
            .OrderBy(name => name, StringComparer.Ordinal)
            .Select(name => new ChipPair(name, images[name], masks[name]))
            .ToList();

        if (!options.IgnoreUnpairedFiles)
        {
            var lonelyImages = images.Keys.Where(n => !masks.ContainsKey(n)).OrderBy(n => n, StringComparer.Ordinal).ToList();
            if (lonelyImages.Count > 0)
            {
                string name = lonelyImages[0];
                throw new ChipDatasetException(
                    $"{lonelyImages.Count} image(s) have no mask, e.g. image '{images[name]}' needs mask " +
                    $"'{Path.Combine(options.MaskFolder, name + options.MaskSuffix + ".tif")}'{More(lonelyImages)}. " +
                    "Add the masks, fix the suffixes (ImageSuffix/MaskSuffix), or set IgnoreUnpairedFiles.",
                    images[name], Path.Combine(options.MaskFolder, name + options.MaskSuffix + ".tif"));
            }

            var lonelyMasks = masks.Keys.Where(n => !images.ContainsKey(n)).OrderBy(n => n, StringComparer.Ordinal).ToList();
            if (lonelyMasks.Count > 0)
            {
                string name = lonelyMasks[0];
                throw new ChipDatasetException(
                    $"{lonelyMasks.Count} mask(s) have no image, e.g. mask '{masks[name]}' needs image " +
                    $"'{Path.Combine(options.ImageFolder, name + options.ImageSuffix + ".tif")}'{More(lonelyMasks)}. " +
                    "Add the images, fix the suffixes (ImageSuffix/MaskSuffix), or set IgnoreUnpairedFiles.",
                    Path.Combine(options.ImageFolder, name + options.ImageSuffix + ".tif"), masks[name]);
            }
        }

        if (pairs.Count == 0)
        {
            throw new ChipDatasetException(
                $"No image in '{options.ImageFolder}' (names ending '{options.ImageSuffix}.tif') has a mask in '{options.MaskFolder}' " +
                $"(names ending '{options.MaskSuffix}.tif'): {images.Count} image(s), {masks.Count} mask(s). Check the folders and suffixes.");
        }

        return pairs;
    }

    private static Dictionary<string, string> FilesByName(string folder, string suffix, string kind)
    {
        if (!Directory.Exists(folder))
        {
            throw new ChipDatasetException($"The {kind} folder '{folder}' does not exist. Check the path (relative paths start at '{Environment.CurrentDirectory}').");
        }

        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(folder))
        {
            string extension = Path.GetExtension(file);
            if (!Extensions.Contains(extension, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            string stem = Path.GetFileNameWithoutExtension(file);
            if (!stem.EndsWith(suffix, StringComparison.Ordinal))
            {
                continue;
            }

            string name = stem.Substring(0, stem.Length - suffix.Length);
            if (byName.TryGetValue(name, out string? other))
            {
                throw new ChipDatasetException($"Two {kind} files share the name '{name}': '{other}' and '{file}'. Keep one.");
            }

            byName[name] = file;
        }

        return byName;
    }

    private static string More(IReadOnlyList<string> names) =>
        names.Count > 1 ? $" (also: {string.Join(", ", names.Skip(1).Take(4))}{(names.Count > 5 ? ", ..." : "")})" : "";
}
