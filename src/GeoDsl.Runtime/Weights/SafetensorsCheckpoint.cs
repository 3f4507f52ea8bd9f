using System;
using System.Collections.Generic;
using System.IO;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Weights;

/// <summary>One entry point for a checkpoint in either layout: a single .safetensors file or a sharded index.</summary>
public static class SafetensorsCheckpoint
{
    /// <summary>
    /// Reads a checkpoint as one state dict. <paramref name="path"/> may be a .safetensors file, a
    /// <c>*.index.json</c> of a sharded checkpoint, or a folder holding <c>model.safetensors.index.json</c>
    /// or <c>model.safetensors</c> (the index wins when both are there, as in Hugging Face's loader).
    /// </summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        var resolved = Resolve(path);
        return IsIndex(resolved) ? SafetensorsIndex.Read(resolved).ReadTensors() : SafetensorsFile.Read(resolved);
    }

    /// <summary>The file <see cref="Read"/> would open for <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">Nothing loadable is there.</exception>
    public static string Resolve(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path))
        {
            return path;
        }
        if (Directory.Exists(path))
        {
            var index = Path.Combine(path, SafetensorsIndex.DefaultFileName);
            if (File.Exists(index))
            {
                return index;
            }
            var single = Path.Combine(path, "model.safetensors");
            if (File.Exists(single))
            {
                return single;
            }
            throw new FileNotFoundException(
                $"'{path}' is a folder without '{SafetensorsIndex.DefaultFileName}' or 'model.safetensors'. Point to the checkpoint file itself.",
                index);
        }
        throw new FileNotFoundException($"Checkpoint '{path}' does not exist. Check the path (relative paths start at '{Environment.CurrentDirectory}').", path);
    }

    private static bool IsIndex(string path) => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
}
