using System;
using System.Collections.Generic;
using System.IO;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Weights;

/// <summary>Loading and saving a module's weights as safetensors in one call.</summary>
public static class ModuleWeightsExtensions
{
    /// <summary>
    /// Loads a checkpoint (a .safetensors file, a sharded <c>*.index.json</c>, or a folder with either)
    /// into <paramref name="module"/> with <see cref="StateDictLoader.Load"/>; strict unless
    /// <paramref name="options"/> says otherwise. The tensors read from disk are released afterwards.
    /// </summary>
    public static LoadReport LoadSafetensors(this nn.Module module, string path, LoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        var resolved = SafetensorsCheckpoint.Resolve(path);
        var tensors = SafetensorsCheckpoint.Read(resolved);
        try
        {
            return StateDictLoader.Load(module, tensors, options, Path.GetFileName(resolved));
        }
        finally
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>Writes the module's state dict (parameters and buffers) to <paramref name="path"/> with <see cref="SafetensorsFile.Write"/>.</summary>
    public static void SaveSafetensors(this nn.Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        SafetensorsFile.Write(path, module.state_dict(), metadata);
    }
}
