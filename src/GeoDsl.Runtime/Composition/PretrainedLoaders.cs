using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Backbones;
using GeoDsl.Runtime.Backbones.Clay;
using GeoDsl.Runtime.Backbones.ConvNeXt;
using GeoDsl.Runtime.Backbones.Dofa;
using GeoDsl.Runtime.Backbones.ResNet;
using GeoDsl.Runtime.Backbones.SatMae;
using GeoDsl.Runtime.Backbones.ScaleMae;
using GeoDsl.Runtime.Backbones.Ssl4eo;
using GeoDsl.Runtime.Backbones.Swin;
using GeoDsl.Runtime.Backbones.TerraMind;
using GeoDsl.Runtime.Backbones.VisionTransformer;
using GeoDsl.Runtime.Weights;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Composition;

/// <summary>What a checkpoint loader needs besides the encoder: the file, the model's bands, the bands the published
/// weights were trained on (the catalog entry's) and how bands the weights lack start.</summary>
public sealed record PretrainedLoad(string Path, IReadOnlyList<string> ModelBands, IReadOnlyList<string> PretrainedBands, NewBandInitialization NewBands);

/// <summary>
/// Which checkpoint loader reads published weights into which encoder type: a table, one row per runtime backbone
/// type. Loaders whose weights are conditioned on wavelengths (Clay, DOFA) or split per group (SatMAE multispectral)
/// take no band list: their first layers are not per band.
/// </summary>
public static class PretrainedLoaders
{
    private static readonly IReadOnlyDictionary<Type, Func<nn.Module, PretrainedLoad, LoadReport>> Loaders = new Dictionary<Type, Func<nn.Module, PretrainedLoad, LoadReport>>
    {
        [typeof(PrithviViT)] = (m, r) => PrithviCheckpoint.Load((PrithviViT)m, r.Path, r.ModelBands, r.PretrainedBands, r.NewBands),
        [typeof(TerraMindViT)] = (m, r) => TerraMindCheckpoint.Load((TerraMindViT)m, r.Path, r.ModelBands, r.NewBands),
        [typeof(ClayEncoder)] = (m, r) => ClayCheckpoint.Load((ClayEncoder)m, r.Path),
        [typeof(DofaViT)] = (m, r) => DofaCheckpoint.Load((DofaViT)m, r.Path),
        [typeof(SatMaeGroupChannelViT)] = (m, r) => SatMaeCheckpoint.Load((SatMaeGroupChannelViT)m, r.Path),
        [typeof(SatMaeTemporalViT)] = (m, r) => SatMaeCheckpoint.Load((SatMaeTemporalViT)m, r.Path, r.ModelBands, r.PretrainedBands, r.NewBands),
        [typeof(ScaleMaeViT)] = (m, r) => ScaleMaeCheckpoint.Load((ScaleMaeViT)m, r.Path, r.ModelBands, r.PretrainedBands, r.NewBands),
        [typeof(Ssl4eoViT)] = (m, r) => Ssl4eoCheckpoint.Load((Ssl4eoViT)m, r.Path, r.ModelBands, r.PretrainedBands, r.NewBands),
        [typeof(ResNetEncoder)] = (m, r) => ResNetCheckpoint.Load((ResNetEncoder)m, r.Path, r.ModelBands, r.PretrainedBands, r.NewBands),
        [typeof(TorchvisionViT)] = (m, r) => TorchvisionViTCheckpoint.Load((TorchvisionViT)m, r.Path, r.ModelBands, r.PretrainedBands, r.NewBands),
        [typeof(TorchvisionConvNeXt)] = (m, r) => TorchvisionConvNeXtCheckpoint.Load((TorchvisionConvNeXt)m, r.Path, r.ModelBands, r.PretrainedBands, r.NewBands),
        [typeof(SwinTransformer)] = (m, r) => SwinCheckpoint.Load((SwinTransformer)m, r.Path, r.ModelBands, r.PretrainedBands, r.NewBands),
        [typeof(SatlasSwinTransformer)] = (m, r) => SwinCheckpoint.Load((SatlasSwinTransformer)m, r.Path, r.ModelBands, r.PretrainedBands, r.NewBands),
        [typeof(PrithviSwinTransformer)] = (m, r) => PrithviSwinCheckpoint.Load((PrithviSwinTransformer)m, r.Path, r.ModelBands, r.PretrainedBands, r.NewBands),
    };

    /// <summary>The encoder types published weights can be loaded into.</summary>
    public static IEnumerable<Type> EncoderTypes => Loaders.Keys;

    /// <summary>Loads <paramref name="request"/>'s file into <paramref name="encoder"/> (or the backbone a temporal wrapper runs per frame).</summary>
    public static LoadReport Load(nn.Module encoder, PretrainedLoad request, string backboneName)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(request);
        var target = encoder is ITemporalWrapper wrapper ? wrapper.FrameEncoder : encoder;
        if (!Loaders.TryGetValue(target.GetType(), out var load))
        {
            throw new NotSupportedException(
                $"Backbone '{backboneName}' ({target.GetType().Name}) has no checkpoint loader; the encoders with one are " +
                string.Join(", ", Loaders.Keys.Select(t => t.Name).Order(StringComparer.Ordinal)) + ".");
        }

        return load(target, request);
    }
}
