using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Catalog.Backbones;

namespace GeoDsl.Runtime.Backbones.TerraMind;

/// <summary>One image modality of a TerraMind encoder: its name, its embedding key and its input channels.</summary>
/// <param name="Name">As the model names it (S2L1C, S1GRD, …); the key of <see cref="TerraMindViT.EncodePerModality"/>.</param>
/// <param name="Key">The embedding's key under <c>encoder_embeddings</c> (untok_sen2l1c@224, …).</param>
/// <param name="Channels">Input channels (bands) of this modality.</param>
public sealed record TerraMindModalityOptions(string Name, string Key, int Channels)
{
    /// <summary>A catalog modality with all its pretrained bands.</summary>
    public static TerraMindModalityOptions Pretrained(string name)
    {
        var modality = TerraMindVariants.FindModality(name) ?? throw new ArgumentException($"TerraMind has no modality '{name}'.", nameof(name));
        return new TerraMindModalityOptions(modality.Name, modality.Key, modality.Channels);
    }
}

/// <summary>
/// The architecture of a <see cref="TerraMindViT"/>, named after <c>TerraMindViT.__init__</c>'s arguments
/// (terratorch/models/backbones/terramind/model/terramind_vit.py); the defaults are that constructor's.
/// </summary>
public sealed record TerraMindViTOptions
{
    /// <summary>Image modalities in input-channel order.</summary>
    public IReadOnlyList<TerraMindModalityOptions> Modalities { get; init; } = new[] { TerraMindModalityOptions.Pretrained("S2L2A") };

    public int Dim { get; init; } = 768;

    public int EncoderDepth { get; init; } = 12;

    public int NumHeads { get; init; } = 12;

    public double MlpRatio { get; init; } = 4.0;

    public bool QkvBias { get; init; } = true;

    public bool ProjBias { get; init; } = true;

    public bool MlpBias { get; init; } = true;

    /// <summary>SwiGLU (SiLU gate, fc1/fc2/fc3) instead of a GELU MLP.</summary>
    public bool GatedMlp { get; init; }

    /// <summary>Patch size of every modality (MODALITY_INFO gives 16 to all of them).</summary>
    public int PatchSize { get; init; } = 16;

    /// <summary>The square image size the fixed position tables are built for.</summary>
    public int ImgSize { get; init; } = 224;

    /// <summary>mean, max or concat (what <see cref="TerraMindViT.forward"/> returns); dict is <see cref="TerraMindViT.EncodePerModality"/>.</summary>
    public string MergeMethod { get; init; } = "mean";

    /// <summary>Stochastic depth of the last block; block i gets rate·i/(depth−1).</summary>
    public double DropPathRate { get; init; }

    /// <summary>LayerNorm epsilon: TerraTorch registers TerraMind with <c>partial(LayerNorm, eps=1e-6, bias=False)</c>.</summary>
    public double NormEps { get; init; } = 1e-6;

    /// <summary>The feed-forward width: int(D·ratio), for SwiGLU int(2·that/3) (tm_utils.py <c>GatedMlp</c>).</summary>
    public int MlpHidden => GatedMlp ? (int)(2.0 * (int)(Dim * MlpRatio) / 3.0) : (int)(Dim * MlpRatio);

    public int InChannels => Modalities.Sum(m => m.Channels);

    /// <summary>The registered configuration of <paramref name="variant"/> for these modalities.</summary>
    public static TerraMindViTOptions For(TerraMindVariant variant, IReadOnlyList<TerraMindModalityOptions> modalities) => new()
    {
        Modalities = modalities,
        Dim = variant.Dim,
        EncoderDepth = variant.Depth,
        NumHeads = variant.Heads,
        QkvBias = variant.Biases,
        ProjBias = variant.Biases,
        MlpBias = variant.Biases,
        GatedMlp = variant.GatedMlp,
    };

    /// <summary>The registered configuration of the catalog entry <paramref name="name"/> (e.g. terramind_v1_base).</summary>
    public static TerraMindViTOptions For(string name, params string[] modalities) =>
        For(TerraMindVariants.All.FirstOrDefault(v => v.Name == name) ?? throw new ArgumentException($"No TerraMind variant '{name}'.", nameof(name)),
            modalities.Select(TerraMindModalityOptions.Pretrained).ToArray());

    /// <summary>Throws when the options cannot build an encoder.</summary>
    public void Validate()
    {
        if (Modalities.Count == 0)
        {
            throw new ArgumentException("A TerraMind encoder needs at least one modality.");
        }

        var duplicate = Modalities.GroupBy(m => m.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Modalities {string.Join(" and ", duplicate.Select(m => m.Name))} share the embedding {duplicate.Key}; give each once.");
        }

        if (Modalities.Any(m => m.Channels < 1 || m.Key.Contains('.', StringComparison.Ordinal)))
        {
            throw new ArgumentException("Every modality needs at least one channel and a key without '.'.");
        }

        if (Dim < 4 || Dim % 4 != 0 || NumHeads < 1 || Dim % NumHeads != 0)
        {
            throw new ArgumentException($"dim {Dim} must be a positive multiple of 4 (2D sin-cos table) and of num_heads {NumHeads}.");
        }

        if (EncoderDepth < 1 || PatchSize < 1 || ImgSize < PatchSize || ImgSize % PatchSize != 0)
        {
            throw new ArgumentException($"encoder_depth {EncoderDepth} must be ≥ 1 and img_size {ImgSize} a positive multiple of the patch {PatchSize}.");
        }

        if (MergeMethod is not ("mean" or "max" or "concat"))
        {
            throw new ArgumentException($"merge_method must be mean, max or concat; got '{MergeMethod}' (per-modality outputs: EncodePerModality).");
        }

        if (DropPathRate < 0 || DropPathRate >= 1)
        {
            throw new ArgumentException($"drop_path_rate must be in [0, 1); got {DropPathRate}.");
        }
    }
}
