using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using GeoDsl.Composition.Catalog;

namespace GeoDsl.Runtime.HuggingFace;

/// <summary>What <c>geodsl import hf</c> makes of a config: the <c>.geomodel</c> text and the notes to read before using it.</summary>
public sealed record HuggingFaceImportResult(string ModelText, HuggingFaceBackbone Backbone, IReadOnlyList<string> Bands);

/// <summary>Options of an import: the model's name and task size, and the input bands when the config's num_channels is not 3 (RGB).</summary>
public sealed record HuggingFaceImportOptions
{
    /// <summary>The model name; by default from the config's folder, e.g. <c>vit_base_patch16_224</c> → <c>VitBasePatch16224</c>.</summary>
    public string? ModelName { get; init; }

    /// <summary>The input bands, one per num_channels; null means RGB for a 3-channel config.</summary>
    public IReadOnlyList<string>? Bands { get; init; }

    public int NumClasses { get; init; } = 2;

    /// <summary>The GPU the model is checked against (<c>target</c>).</summary>
    public string Target { get; init; } = "rtx_4090";
}

/// <summary>
/// Turns a Hugging Face <c>config.json</c> into a <c>.geomodel</c> model: the catalog backbone with the same architecture
/// (and the overrides that make it so), then a segmentation decoder and head to start from. The text compiles with
/// the front end; weights load with <see cref="HuggingFaceWeights"/>.
/// </summary>
public static class HuggingFaceImport
{
    public static HuggingFaceImportResult Import(HuggingFaceConfig config, HuggingFaceImportOptions? options = null)
    {
        options ??= new HuggingFaceImportOptions();
        var architecture = HuggingFaceArchitectures.For(config);
        var backbone = architecture.Backbone(config);
        int channels = config.Int("num_channels", 3);
        var bands = options.Bands ?? (channels == 3
            ? new[] { "RED", "GREEN", "BLUE" }
            : throw config.Unsupported("num_channels", $"is {channels}: give the {channels} input bands in order (geodsl import hf … --bands B1,B2,…)"));
        if (bands.Count != channels)
        {
            throw config.Unsupported("num_channels", $"is {channels} but {bands.Count} bands were given ({string.Join(", ", bands)}); give one band per channel");
        }

        string name = options.ModelName ?? ModelName(config.Path);
        int size = config.Has("image_size") ? config.Int("image_size") : 224;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"// Imported from {System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(config.Path)))}/config.json (Hugging Face model_type \"{config.ModelType}\").");
        foreach (string note in backbone.Notes)
        {
            text.AppendLine("// Note: " + note);
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"model {name} : segmentation {{");
        text.AppendLine(CultureInfo.InvariantCulture, $"    input {{ bands = [{string.Join(", ", bands)}], size = {size} }}");
        text.AppendLine(backbone.Arguments.Count == 0
            ? $"    backbone {backbone.CatalogName}"
            : $"    backbone {backbone.CatalogName} {{ {string.Join(", ", backbone.Arguments)} }}");
        foreach (string line in backbone.TailLines)
        {
            text.AppendLine("    " + line);
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"    head segmentation {{ num_classes = {options.NumClasses} }}");
        text.AppendLine(CultureInfo.InvariantCulture, $"    target {options.Target}");
        text.AppendLine("}");
        return new HuggingFaceImportResult(text.ToString(), backbone, bands.ToList());
    }

    /// <summary>A model name from the config's folder (the Hugging Face repository name): letters and digits, PascalCase.</summary>
    public static string ModelName(string configPath)
    {
        string folder = System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(configPath))) ?? "Imported";
        var words = Regex.Split(folder, "[^A-Za-z0-9]+").Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w.Substring(1));
        string name = string.Concat(words);
        return name.Length == 0 || char.IsDigit(name[0]) ? "Imported" + name : name;
    }
}
