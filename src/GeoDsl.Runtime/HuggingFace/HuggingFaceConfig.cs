using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace GeoDsl.Runtime.HuggingFace;

/// <summary>
/// A Hugging Face <c>config.json</c>, read with System.Text.Json, with typed access to its fields by Hugging Face's
/// names (<c>hidden_size</c>, <c>depths</c>, …). Every error names the file, the field and what it should hold.
/// </summary>
public sealed class HuggingFaceConfig
{
    private readonly Dictionary<string, JsonElement> _fields;

    private HuggingFaceConfig(string path, Dictionary<string, JsonElement> fields)
    {
        Path = path;
        _fields = fields;
        ModelType = fields.TryGetValue("model_type", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()!
            : throw new HuggingFaceConfigException(path, "has no \"model_type\"; a Hugging Face config names its architecture there (e.g. \"vit\")");
    }

    public string Path { get; }

    /// <summary><c>model_type</c>: vit, swin, swinv2, convnext, resnet, ….</summary>
    public string ModelType { get; }

    /// <summary>Reads <paramref name="path"/> (a <c>config.json</c>, or the folder holding one).</summary>
    /// <exception cref="HuggingFaceConfigException">The file is missing, not JSON, or not an object with <c>model_type</c>.</exception>
    public static HuggingFaceConfig Read(string path)
    {
        string file = Directory.Exists(path) ? System.IO.Path.Combine(path, "config.json") : path;
        if (!File.Exists(file))
        {
            throw new HuggingFaceConfigException(file, "does not exist; pass the model's config.json or the folder holding it");
        }

        return Parse(File.ReadAllText(file), file);
    }

    public static HuggingFaceConfig Parse(string json, string path = "config.json")
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new HuggingFaceConfigException(path, "is not a JSON object");
            }

            return new HuggingFaceConfig(path, document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()));
        }
        catch (JsonException e)
        {
            throw new HuggingFaceConfigException(path, $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}");
        }
    }

    public bool Has(string field) => _fields.TryGetValue(field, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>An integer field; <paramref name="fallback"/> when absent (Hugging Face's own default for it), an error when absent without one.</summary>
    public int Int(string field, int? fallback = null)
    {
        if (!_fields.TryGetValue(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback ?? throw Missing(field, "an integer");
        }

        // image_size may be [h, w] in some configs; GeoDsl's catalog takes one square size.
        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2 && value[0].TryGetInt32(out int h) && value[1].TryGetInt32(out int w) && h == w)
        {
            return h;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int result) ? result : throw Wrong(field, "an integer", value);
    }

    public double Double(string field, double fallback) =>
        !_fields.TryGetValue(field, out var value) || value.ValueKind == JsonValueKind.Null ? fallback
        : value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw Wrong(field, "a number", value);

    public bool Bool(string field, bool fallback) =>
        !_fields.TryGetValue(field, out var value) || value.ValueKind == JsonValueKind.Null ? fallback
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw Wrong(field, "true or false", value);

    public string String(string field, string fallback) =>
        !_fields.TryGetValue(field, out var value) || value.ValueKind == JsonValueKind.Null ? fallback
        : value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Wrong(field, "a string", value);

    public IReadOnlyList<int> IntList(string field)
    {
        if (!_fields.TryGetValue(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw Missing(field, "a list of integers");
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out _)))
        {
            throw Wrong(field, "a list of integers", value);
        }

        return value.EnumerateArray().Select(v => v.GetInt32()).ToList();
    }

    /// <summary>An error about <paramref name="field"/>'s value, for architecture rules to throw.</summary>
    public HuggingFaceConfigException Unsupported(string field, string problem) =>
        new(Path, $"field \"{field}\" {problem}");

    private HuggingFaceConfigException Missing(string field, string what) => new(Path, $"has no \"{field}\"; a {ModelType} config needs {what} there");

    private HuggingFaceConfigException Wrong(string field, string what, JsonElement value) =>
        new(Path, $"field \"{field}\" must be {what}; it is {value.GetRawText()}");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{ModelType} config {Path}");
}

/// <summary>A config.json that cannot be read or imported; the message names the file and the field.</summary>
public sealed class HuggingFaceConfigException : Exception
{
    public HuggingFaceConfigException(string path, string problem)
        : base($"{path} {problem}.")
    {
        ConfigPath = path;
    }

    public string ConfigPath { get; }
}
