using System;
using System.Collections.Generic;
using GeoDsl.Runtime.Backbones.SatMae;
using GeoDsl.Runtime.Weights;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.Ssl4eo;

/// <summary>
/// Loads published SSL4EO ViT-S/16 weights: torchgeo's <c>ViTSmall16_Weights</c> files are timm
/// <c>vit_small_patch16_224</c> state dicts without a head (torchgeo <c>models/vit.py</c> asserts only
/// <c>head.weight</c>/<c>head.bias</c> are missing). A TerraTorch fine-tuned encoder carries them under
/// <c>vit_model.</c> (its <c>ViTEncoderWrapper</c>), which is stripped; <c>head.*</c> is ignored. The patch embedding is
/// re-selected for the model's bands from the sensor's (TerraTorch <c>select_patch_embed_weights</c>) and
/// <c>pos_embed</c> resized to the model's grid when its size differs (timm's <c>resample_abs_pos_embed</c>).
/// </summary>
public static class Ssl4eoCheckpoint
{
    public static IReadOnlyList<string> NotInTheEncoder { get; } = new[] { "head.*", "fc_norm.*" };

    /// <param name="pretrainedBands">The sensor's bands the weights were trained on (the catalog entry's <c>PretrainedBands</c>).</param>
    public static LoadReport Load(Ssl4eoViT encoder, string path, IReadOnlyList<string> modelBands, IReadOnlyList<string> pretrainedBands,
        NewBandInitialization newBands = NewBandInitialization.MeanOfPretrained)
    {
        var source = SafetensorsCheckpoint.Read(path);
        try
        {
            return Load(encoder, source, modelBands, pretrainedBands, path, newBands);
        }
        finally
        {
            foreach (var tensor in source.Values)
            {
                tensor.Dispose();
            }
        }
    }

    public static LoadReport Load(Ssl4eoViT encoder, IReadOnlyDictionary<string, Tensor> source, IReadOnlyList<string> modelBands,
        IReadOnlyList<string> pretrainedBands, string sourceName, NewBandInitialization newBands = NewBandInitialization.MeanOfPretrained)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        using var scope = NewDisposeScope();
        var prepared = MaeCheckpoints.StripPrefix(source, "vit_model.", "model.");
        MaeCheckpoints.FitPositionTable(prepared, "pos_embed", prefixTokens: 1, encoder.Options.DeclaredGrid, sourceName);
        MaeCheckpoints.ReselectBands(encoder, prepared, "patch_embed.proj.weight", modelBands, pretrainedBands, sourceName, newBands);
        return StateDictLoader.Load(encoder, prepared, new LoadOptions { IgnorePatterns = NotInTheEncoder }, sourceName);
    }
}
