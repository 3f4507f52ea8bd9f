using System;
using System.Collections.Generic;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Backbones.SatMae;
using GeoDsl.Runtime.Weights;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.ScaleMae;

/// <summary>
/// Loads published Scale-MAE weights, as TerraTorch's <c>load_scalemae_weights</c> prepares them
/// (<c>terratorch/models/backbones/scalemae.py</c> @24465ea): the file is an MAE checkpoint whose <c>model</c> dict holds
/// the encoder (timm names) and the pretraining decoder (<c>decoder_*</c>, <c>mask_token*</c>, <c>fpn.*</c>,
/// <c>fcn*</c>; bair-climate-initiative/scale-mae <c>models_mae.py</c>), or torchgeo's encoder-only state dict. Keys are
/// accepted bare or under <c>model.</c>; decoder and classifier keys are ignored; the patch embedding is re-selected
/// for the model's bands from RED, GREEN, BLUE. <c>pos_embed</c> is loaded when its shape matches (TerraTorch keeps it,
/// never reads it) and otherwise left as it is.
/// </summary>
public static class ScaleMaeCheckpoint
{
    public static IReadOnlyList<string> NotInTheEncoder { get; } = new[]
    {
        "decoder*", "mask_token*", "fpn.*", "fcn*", "pos_emb_projection*", "head.*", "fc_norm.*",
    };

    public static LoadReport Load(ScaleMaeViT encoder, string path, IReadOnlyList<string> modelBands, IReadOnlyList<string>? pretrainedBands = null,
        NewBandInitialization newBands = NewBandInitialization.MeanOfPretrained)
    {
        var source = SafetensorsCheckpoint.Read(path);
        try
        {
            return Load(encoder, source, modelBands, pretrainedBands ?? ScaleMaeVariants.PretrainedBands, path, newBands);
        }
        finally
        {
            foreach (var tensor in source.Values)
            {
                tensor.Dispose();
            }
        }
    }

    public static LoadReport Load(ScaleMaeViT encoder, IReadOnlyDictionary<string, Tensor> source, IReadOnlyList<string> modelBands,
        IReadOnlyList<string> pretrainedBands, string sourceName, NewBandInitialization newBands = NewBandInitialization.MeanOfPretrained)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        using var scope = NewDisposeScope();
        var prepared = MaeCheckpoints.StripPrefix(source, "model.");
        MaeCheckpoints.ReselectBands(encoder, prepared, "patch_embed.proj.weight", modelBands, pretrainedBands, sourceName, newBands);
        var options = new LoadOptions { IgnorePatterns = NotInTheEncoder, AllowShapeMismatch = new[] { "pos_embed" } };
        return StateDictLoader.Load(encoder, prepared, options, sourceName);
    }
}
