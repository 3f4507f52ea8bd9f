using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Weights;

/// <summary>
/// A sharded checkpoint's index (<c>model.safetensors.index.json</c>, as written by Hugging Face
/// <c>save_pretrained</c>): a <c>weight_map</c> from tensor name to the shard file that holds it,
/// relative to the index's folder, and optional <c>metadata</c> such as <c>total_size</c>.
/// </summary>
public sealed class SafetensorsIndex
{
    /// <summary>The name Hugging Face gives the index of a sharded safetensors checkpoint.</summary>
    public const string DefaultFileName = "model.safetensors.index.json";

    private SafetensorsIndex(string indexPath, IReadOnlyDictionary<string, string> weightMap, IReadOnlyDictionary<string, string> metadata)
    {
        IndexPath = indexPath;
        WeightMap = weightMap;
        Metadata = metadata;
        ShardFiles = weightMap.Values.Distinct(StringComparer.Ordinal).OrderBy(s => s, StringComparer.Ordinal).ToArray();
    }

    public string IndexPath { get; }

    /// <summary>Tensor name → shard file name, relative to the index's folder.</summary>
    public IReadOnlyDictionary<string, string> WeightMap { get; }

    /// <summary>The index's <c>metadata</c> object; values that are not strings are kept as their JSON text (e.g. total_size "1234").</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Every shard the weight map names, each once, sorted.</summary>
    public IReadOnlyList<string> ShardFiles { get; }

    /// <summary>The folder shard names are relative to.</summary>
    public string Directory => Path.GetDirectoryName(Path.GetFullPath(IndexPath))!;

    /// <summary>Reads and checks an index file.</summary>
    /// <exception cref="SafetensorsIndexException">The index is not JSON, has no weight_map, or names a shard outside its folder.</exception>
    public static SafetensorsIndex Read(string indexPath)
    {
        ArgumentNullException.ThrowIfNull(indexPath);
        var fileName = Path.GetFileName(indexPath);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(indexPath), new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException ex)
        {
            throw new SafetensorsIndexException(indexPath, null, null,
                $"'{fileName}': the index is not valid JSON: {ex.Message.TrimEnd('.')}. Copy the index again from where the checkpoint came from.", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("weight_map", out var weightMapElement) || weightMapElement.ValueKind != JsonValueKind.Object)
            {
                throw new SafetensorsIndexException(indexPath, null, null,
                    $"'{fileName}': the index has no \"weight_map\" object mapping tensor names to shard files. " +
                    "Point to a model.safetensors.index.json as written by save_pretrained, or to a single .safetensors file.");
            }

            var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
            var indexDirectory = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
            foreach (var entry in weightMapElement.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                {
                    throw new SafetensorsIndexException(indexPath, null, entry.Name,
                        $"'{fileName}': weight_map entry for tensor '{entry.Name}' is {entry.Value.ValueKind}, not a shard file name. Fix or regenerate the index.");
                }
                var shard = entry.Value.GetString()!;
                CheckShardStaysInFolder(indexPath, indexDirectory, entry.Name, shard);
                if (!weightMap.TryAdd(entry.Name, shard))
                {
                    throw new SafetensorsIndexException(indexPath, shard, entry.Name,
                        $"'{fileName}': weight_map lists tensor '{entry.Name}' twice. Fix or regenerate the index.");
                }
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("metadata", out var metadataElement) && metadataElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in metadataElement.EnumerateObject())
                {
                    metadata[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : entry.Value.GetRawText();
                }
            }
            return new SafetensorsIndex(indexPath, weightMap, metadata);
        }
    }

    /// <summary>
    /// Reads every tensor the weight map lists, from its shard, as one state dict. All shards' headers
    /// are read and checked against the map before any tensor data is loaded.
    /// </summary>
    /// <exception cref="SafetensorsIndexException">A shard is missing, or lacks a tensor the map puts in it.</exception>
    /// <exception cref="SafetensorsFormatException">A shard breaks a rule of the safetensors format.</exception>
    public Dictionary<string, Tensor> ReadTensors()
    {
        var indexName = Path.GetFileName(IndexPath);
        var tensorsByShard = WeightMap
            .GroupBy(p => p.Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Key).OrderBy(n => n, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);

        foreach (var shard in ShardFiles)
        {
            if (!File.Exists(ShardPath(shard)))
            {
                var listed = tensorsByShard[shard];
                throw new SafetensorsIndexException(IndexPath, shard, listed[0],
                    $"'{indexName}': shard '{shard}' is not in '{Directory}', yet weight_map puts {listed.Count} tensor(s) in it " +
                    $"(e.g. '{listed[0]}'). Download every shard the index lists ({ShardFiles.Count} files) into the index's folder.");
            }
        }

        var headers = ShardFiles.ToDictionary(s => s, s => SafetensorsHeader.Read(ShardPath(s)), StringComparer.Ordinal);
        foreach (var (shard, names) in tensorsByShard)
        {
            foreach (var name in names)
            {
                if (headers[shard].Contains(name))
                {
                    continue;
                }
                var elsewhere = headers.Where(h => h.Value.Contains(name)).Select(h => h.Key).FirstOrDefault();
                var hint = elsewhere is null
                    ? "no shard of this checkpoint holds it"
                    : $"it is in '{elsewhere}' instead";
                throw new SafetensorsIndexException(IndexPath, shard, name,
                    $"'{indexName}': weight_map puts tensor '{name}' in shard '{shard}', but that shard does not hold it ({hint}). " +
                    "The index and shards come from different saves; download them again together.");
            }
        }

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var shard in ShardFiles)
            {
                var wanted = new HashSet<string>(tensorsByShard[shard], StringComparer.Ordinal);
                foreach (var (name, tensor) in SafetensorsFile.Read(ShardPath(shard), wanted.Contains))
                {
                    result.Add(name, tensor);
                }
            }
        }
        catch
        {
            foreach (var tensor in result.Values)
            {
                tensor.Dispose();
            }
            throw;
        }
        return result;
    }

    private string ShardPath(string shard) => Path.Combine(Directory, shard);

    /// <summary>Shard names come from a downloaded file; one must not make us read outside the checkpoint's folder.</summary>
    private static void CheckShardStaysInFolder(string indexPath, string indexDirectory, string tensorName, string shard)
    {
        var resolved = Path.GetFullPath(Path.Combine(indexDirectory, shard));
        var folder = Path.TrimEndingDirectorySeparator(indexDirectory) + Path.DirectorySeparatorChar;
        if (shard.Length == 0 || Path.IsPathRooted(shard) || !resolved.StartsWith(folder, StringComparison.Ordinal))
        {
            throw new SafetensorsIndexException(indexPath, shard, tensorName,
                $"'{Path.GetFileName(indexPath)}': weight_map puts tensor '{tensorName}' in '{shard}', which is not a file inside the index's folder. " +
                "Shard names must be relative file names such as 'model-00001-of-00002.safetensors'; fix or regenerate the index.");
        }
    }
}
