using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Features;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.TerraMind;

/// <summary>
/// TerraMind v1 as a raw-data ViT encoder (TerraTorch <c>TerraMindViT</c>, terratorch/models/backbones/terramind/model/
/// terramind_vit.py): one <see cref="TerraMindImageEmbedding"/> per image modality under <c>encoder_embeddings.&lt;key&gt;</c>,
/// the modalities' tokens concatenated in modality order, the pre-norm blocks <c>encoder.N</c> and <c>encoder_norm</c> on
/// the last block's output; no class token. State-dict keys are the reference's (and those of the published
/// <c>TerraMind_v1_*.pt</c> files' encoder part), so <see cref="TerraMindCheckpoint"/> loads them by name.
/// </summary>
/// <remarks>
/// <para>Input: one pixel tensor [B, C, H, W] (or [B, C, 1, H, W]) whose channels are the modalities' bands concatenated in
/// the order of <see cref="TerraMindViTOptions.Modalities"/>; the encoder splits it. This is how GeoDsl carries TerraTorch's
/// dictionary input {modality: tensor} in one tensor; every modality therefore has the same H×W, as TerraTorch's
/// token merge requires too.</para>
/// <para>Output: one tensor per block, merged over the modalities as <see cref="TerraMindViTOptions.MergeMethod"/> says: mean
/// or max → [B, h·w, D], concat → [B, h·w, D·M] (modality order). TerraTorch's <c>dict</c> is
/// <see cref="EncodePerModality"/>.</para>
/// </remarks>
public sealed class TerraMindViT : Backbone<TokenFeatures>
{
    [ComponentName(Name = "encoder_embeddings")]
    private readonly ModuleDict<TerraMindImageEmbedding> encoderEmbeddings;

    // Only with concat: TerraTorch pads absent modalities with it. Every declared modality is always present in a GeoDsl
    // input tensor, so it is never used here, but it is a parameter of the reference and of its checkpoints.
    [ComponentName(Name = "missing_mod_token")]
    private Parameter? missingModToken;

    [ComponentName(Name = "encoder")]
    private readonly ModuleList<TerraMindBlock> encoder;

    [ComponentName(Name = "encoder_norm")]
    private readonly TerraMindLayerNorm encoderNorm;

    private readonly TerraMindImageEmbedding[] embeddings;
    private readonly string displayName;

    /// <param name="options">Architecture; validated here.</param>
    /// <param name="name">Name used in messages, e.g. the catalog entry <c>terramind_v1_base</c>.</param>
    /// <param name="device">Where to create weights; <c>torch.META</c> builds the structure without memory (for counting).</param>
    /// <param name="dtype">Weight element type; null = the default dtype.</param>
    public TerraMindViT(TerraMindViTOptions options, string name = "terramind_vit", Device? device = null, ScalarType? dtype = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        displayName = name;

        embeddings = options.Modalities
            .Select(m => new TerraMindImageEmbedding(m.Channels, options.Dim, options.PatchSize, options.ImgSize, device, dtype))
            .ToArray();
        encoderEmbeddings = new ModuleDict<TerraMindImageEmbedding>();
        for (int i = 0; i < embeddings.Length; i++)
        {
            encoderEmbeddings.Add((options.Modalities[i].Key, embeddings[i]));
        }

        if (options.MergeMethod == "concat")
        {
            // The reference leaves torch.Tensor(dim) uninitialised; zeros keep runs reproducible.
            missingModToken = new Parameter(torch.zeros(new long[] { options.Dim }, dtype: dtype, device: device), requires_grad: true);
            missingModToken.DetachFromDisposeScope();
        }

        var blocks = new TerraMindBlock[options.EncoderDepth];
        for (int i = 0; i < blocks.Length; i++)
        {
            // Stochastic depth grows linearly from 0 to drop_path_rate (torch.linspace(0, rate, depth)).
            double rate = blocks.Length == 1 ? 0 : options.DropPathRate * i / (blocks.Length - 1);
            blocks[i] = new TerraMindBlock(options, rate, device, dtype);
        }

        encoder = nn.ModuleList(blocks);
        encoderNorm = new TerraMindLayerNorm(options.Dim, options.NormEps, device, dtype);
        RegisterComponents();
        InitializeLikeTerraMind();
    }

    public TerraMindViTOptions Options { get; }

    /// <summary>The modalities in input-channel order, as <see cref="EncodePerModality"/> names them.</summary>
    public IReadOnlyList<string> ModalityNames => Options.Modalities.Select(m => m.Name).ToList();

    /// <summary>The patch embedding of the modality called <paramref name="name"/> (S2L1C, …) or keyed <paramref name="name"/> (untok_sen2l1c@224).</summary>
    public TerraMindImageEmbedding Embedding(string name)
    {
        int index = Options.Modalities.ToList().FindIndex(m => m.Name == name || m.Key == name);
        return index >= 0 ? embeddings[index] : throw new ArgumentException($"{displayName} has no modality '{name}'.", nameof(name));
    }

    /// <summary>Every block's output merged over the modalities (<see cref="TerraMindViTOptions.MergeMethod"/>).</summary>
    public override TokenFeatures forward(BackboneInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = torch.NewDisposeScope();
        var (sequences, grid) = Encode(input.Pixels);
        int modalities = Options.Modalities.Count;
        var merged = sequences.Select(x =>
        {
            var parts = Split(x, modalities, grid.Tokens);
            return Options.MergeMethod switch
            {
                "max" => torch.stack(parts, dim: 1).max(1).values,
                "concat" => torch.cat(parts, dim: -1),
                _ => torch.stack(parts, dim: 1).mean(new long[] { 1 }),
            };
        }).ToArray();

        foreach (var t in merged)
        {
            t.MoveToOuterDisposeScope();
        }

        return new TokenFeatures(merged, hasClsToken: false, grid);
    }

    /// <summary>
    /// TerraTorch's <c>merge_method='dict'</c>: every block's tokens split by modality, {modality name: [B, h·w, D] per block},
    /// in modality order. The blocks still attend across all modalities; only the output is kept apart.
    /// </summary>
    public IReadOnlyDictionary<string, TokenFeatures> EncodePerModality(BackboneInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = torch.NewDisposeScope();
        var (sequences, grid) = Encode(input.Pixels);
        int modalities = Options.Modalities.Count;
        var perModality = Enumerable.Range(0, modalities).Select(_ => new List<Tensor>()).ToArray();
        foreach (var x in sequences)
        {
            var parts = Split(x, modalities, grid.Tokens);
            for (int m = 0; m < modalities; m++)
            {
                perModality[m].Add(parts[m].contiguous().MoveToOuterDisposeScope());
            }
        }

        var result = new Dictionary<string, TokenFeatures>(StringComparer.Ordinal);
        for (int m = 0; m < modalities; m++)
        {
            result[Options.Modalities[m].Name] = new TokenFeatures(perModality[m], hasClsToken: false, grid);
        }

        return result;
    }

    /// <summary>The blocks' outputs over the concatenated sequence [B, M·h·w, D], the last one through <c>encoder_norm</c>.</summary>
    private (Tensor[] Sequences, TokenGrid Grid) Encode(Tensor pixels)
    {
        pixels = CheckPixels(pixels);
        var grid = new TokenGrid(1, (int)(pixels.shape[2] / Options.PatchSize), (int)(pixels.shape[3] / Options.PatchSize));
        var tokens = new Tensor[embeddings.Length];
        long offset = 0;
        for (int m = 0; m < embeddings.Length; m++)
        {
            int channels = Options.Modalities[m].Channels;
            tokens[m] = embeddings[m].call(pixels.narrow(1, offset, channels));
            offset += channels;
        }

        var x = torch.cat(tokens, dim: 1);
        var outputs = new Tensor[encoder.Count];
        for (int i = 0; i < encoder.Count; i++)
        {
            x = encoder[i].call(x);
            outputs[i] = i == encoder.Count - 1 ? encoderNorm.call(x) : x;
        }

        return (outputs, grid);
    }

    private static Tensor[] Split(Tensor sequence, int modalities, int tokensPerModality) =>
        Enumerable.Range(0, modalities).Select(m => sequence.narrow(1, (long)m * tokensPerModality, tokensPerModality)).ToArray();

    private Tensor CheckPixels(Tensor pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        var shape = pixels.shape;
        int p = Options.PatchSize;
        bool ok = (shape.Length == 4 || (shape.Length == 5 && shape[2] == 1))
            && shape[0] >= 1
            && shape[1] == Options.InChannels
            && shape[^2] >= p && shape[^2] % p == 0
            && shape[^1] >= p && shape[^1] % p == 0;
        if (!ok)
        {
            string layout = string.Join(" + ", Options.Modalities.Select(m => $"{m.Name} {m.Channels}"));
            throw new ArgumentException(
                $"{displayName} expects pixels [B, {Options.InChannels}, H, W] (channels: {layout}) or [B, {Options.InChannels}, 1, H, W] " +
                $"with H and W multiples of {p}; got [{string.Join(", ", shape)}].",
                nameof(pixels));
        }

        return shape.Length == 5 ? pixels.squeeze(2) : pixels;
    }

    private void InitializeLikeTerraMind()
    {
        // TerraMindViT.init_weights: a Linear named *qkv* is uniform(±√(6 / (out/3 + in))) (q, k, v as separate
        // matrices), any other Linear (patch proj included) xavier-uniform, biases zero; LayerNorm weights start at 1.
        using var guard = torch.no_grad();
        foreach (var (name, module) in named_modules())
        {
            if (module is not Linear linear)
            {
                continue;
            }

            if (name.Contains("qkv", StringComparison.Ordinal))
            {
                var weight = linear.weight!;
                double bound = Math.Sqrt(6.0 / ((weight.shape[0] / 3) + weight.shape[1]));
                nn.init.uniform_(weight, -bound, bound);
            }
            else
            {
                nn.init.xavier_uniform_(linear.weight!);
            }

            if (linear.bias is not null)
            {
                nn.init.zeros_(linear.bias);
            }
        }
    }
}
