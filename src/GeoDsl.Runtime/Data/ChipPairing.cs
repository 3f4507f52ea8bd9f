using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace GeoDsl.Runtime.Data;

/// <summary>
/// Pairs image and mask files by their shared name (or as a list file says), keeps the chips a split file names, and
/// orders them by name (ordinal) so every run sees the same order.
/// </summary>
internal static class ChipPairing
{
    private static readonly string[] Extensions = { ".tif", ".tiff" };

    public static IReadOnlyList<ChipPair> Pair(ChipDatasetOptions options)
    {
        var pairs = options.PairListFile is { } list ? FromList(list) : ByName(options);
        return options.SplitFile is { } split ? KeepSplit(pairs, split, options) : pairs;
    }

    private static IReadOnlyList<ChipPair> ByName(ChipDatasetOptions options)
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

    /// <summary>Pairs from a list file: "image, mask" per line, relative to the list's folder; every problem names the file and line.</summary>
    private static IReadOnlyList<ChipPair> FromList(string listFile)
    {
        if (!File.Exists(listFile))
        {
            throw new ChipDatasetException($"The pair list '{listFile}' does not exist. Check the path (relative paths start at '{Environment.CurrentDirectory}').");
        }

        string folder = Path.GetDirectoryName(Path.GetFullPath(listFile))!;
        var pairs = new List<ChipPair>();
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        string[] lines = File.ReadAllLines(listFile);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            string[] fields = line.Split(line.Contains('\t') ? '\t' : ',').Select(f => f.Trim()).ToArray();
            if (fields.Length != 2 || fields.Any(f => f.Length == 0))
            {
                throw new ChipDatasetException(
                    $"Pair list '{listFile}' line {i + 1} reads \"{line}\"; each line holds an image and a mask path separated by a comma or a tab, e.g. \"images/a.tif, masks/a.tif\".");
            }

            string image = Path.GetFullPath(Path.Combine(folder, fields[0]));
            string mask = Path.GetFullPath(Path.Combine(folder, fields[1]));
            foreach (var (path, kind) in new[] { (image, "image"), (mask, "mask") })
            {
                if (!File.Exists(path))
                {
                    throw new ChipDatasetException($"Pair list '{listFile}' line {i + 1} names {kind} '{path}', which does not exist. Fix the line or add the file.",
                        image, mask);
                }
            }

            string name = Path.GetFileNameWithoutExtension(image);
            if (names.TryGetValue(name, out int other))
            {
                throw new ChipDatasetException($"Pair list '{listFile}' lines {other} and {i + 1} both name a chip '{name}'; chips are told apart by image name. Keep one.");
            }

            names[name] = i + 1;
            pairs.Add(new ChipPair(name, image, mask));
        }

        if (pairs.Count == 0)
        {
            throw new ChipDatasetException($"Pair list '{listFile}' names no pair; add lines \"image.tif, mask.tif\".");
        }

        return pairs.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Only the chips a split file names, every one of which must exist.</summary>
    private static IReadOnlyList<ChipPair> KeepSplit(IReadOnlyList<ChipPair> pairs, string splitFile, ChipDatasetOptions options)
    {
        if (!File.Exists(splitFile))
        {
            throw new ChipDatasetException($"The split file '{splitFile}' does not exist. Check the path (relative paths start at '{Environment.CurrentDirectory}').");
        }

        var byName = pairs.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var kept = new List<ChipPair>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string[] lines = File.ReadAllLines(splitFile);
        for (int i = 0; i < lines.Length; i++)
        {
            string entry = lines[i].Trim();
            if (entry.Length == 0 || entry.StartsWith('#'))
            {
                continue;
            }

            string name = Extensions.Any(e => entry.EndsWith(e, StringComparison.OrdinalIgnoreCase)) ? Path.GetFileNameWithoutExtension(entry) : entry;
            if (options.ImageSuffix.Length > 0 && name.EndsWith(options.ImageSuffix, StringComparison.Ordinal) && !byName.ContainsKey(name))
            {
                name = name.Substring(0, name.Length - options.ImageSuffix.Length);
            }

            if (!byName.TryGetValue(name, out var pair))
            {
                throw new ChipDatasetException(
                    $"Split file '{splitFile}' line {i + 1} names chip '{entry}', which has no image and mask pair " +
                    $"({pairs.Count} chips found, e.g. {string.Join(", ", pairs.Take(3).Select(p => p.Name))}). Fix the name or add its files.");
            }

            if (seen.Add(name))
            {
                kept.Add(pair);
            }
        }

        if (kept.Count == 0)
        {
            throw new ChipDatasetException($"Split file '{splitFile}' names no chip; list one chip name per line.");
        }

        return kept.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
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
