using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>One modality of a model's input: which embedding it feeds and which input bands (channels) it takes.</summary>
/// <param name="Name">The modality as written (S2L1C, S1GRD, …).</param>
/// <param name="Key">Its embedding's state-dict key (untok_sen2l1c@224, …).</param>
/// <param name="Bands">The model's bands for it, in channel order: a run of the input's bands.</param>
public sealed record TerraMindModalityInput(string Name, string Key, EquatableArray<string> Bands)
{
    public int Channels => Bands.Count;
}

/// <summary>A TerraMind encoder resolved for one model: every number the runtime needs to build it.</summary>
/// <param name="ImgSize">The square image size the fixed position table is built for (TerraTorch's <c>img_size</c>); other
/// input sizes interpolate it bicubically.</param>
/// <param name="ImageHeight">The padded input height.</param>
/// <param name="ImageWidth">The padded input width.</param>
public sealed record TerraMindArchitecture(
    EquatableArray<TerraMindModalityInput> Modalities,
    int Dim,
    int Depth,
    int Heads,
    double MlpRatio,
    bool GatedMlp,
    bool QkvBias,
    bool ProjBias,
    bool MlpBias,
    int Patch,
    int ImgSize,
    int ImageHeight,
    int ImageWidth,
    string MergeMethod,
    double DropPathRate)
{
    /// <summary>The feed-forward width: int(D·ratio), and for SwiGLU int(2·that/3) (tm_utils.py <c>GatedMlp</c>): 2048 for base, 2730 for large.</summary>
    public int MlpHidden => GatedMlp ? (int)(2.0 * (int)(Dim * MlpRatio) / 3.0) : (int)(Dim * MlpRatio);

    public int Rows => ImageHeight / Patch;

    public int Columns => ImageWidth / Patch;

    /// <summary>Tokens per modality.</summary>
    public int TokensPerModality => Rows * Columns;

    /// <summary>Tokens the transformer attends over: every modality's, concatenated.</summary>
    public int SequenceLength => Modalities.Count * TokensPerModality;

    /// <summary>Width of each output: D, or D per modality side by side for <c>concat</c>.</summary>
    public int OutputWidth => MergeMethod == "concat" ? Dim * Modalities.Count : Dim;

    public int InChannels => Modalities.Sum(m => m.Channels);
}

/// <summary>
/// TerraMind v1 as a raw-data ViT encoder (TerraTorch <c>TerraMindViT</c>, terratorch/models/backbones/terramind/model/
/// terramind_vit.py, with encoder_embeddings.py and tm_utils.py): one linear patch embedding per image modality (no bias,
/// plus a learned modality embedding and a fixed 2D sin-cos position table), the modalities' tokens concatenated, pre-norm
/// blocks, a final norm on the last block, and no class token. Every block's tokens are outputs, merged over the image
/// modalities: <c>mean</c> (default) or <c>max</c> → [B, h·w, D], <c>concat</c> → [B, h·w, D·M].
/// </summary>
/// <remarks>
/// <para>Input: the model's bands are the modalities' bands, modality by modality, in the order of <c>modalities</c>;
/// at run time the pixel tensor carries them as one [B, C, H, W] tensor with the channels concatenated in that order, and
/// the encoder splits it. Which bands belong to which modality is found by walking the bands: a band stays with the
/// current modality while that modality has it among its pretrained bands. <c>modality_channels</c> gives the split
/// explicitly instead (needed when modalities share band names, and for bands a modality was not pretrained on).</para>
/// <para><c>merge_method = dict</c> (one token list per modality) is rejected in a model: no neck or decoder takes a
/// dictionary, and flattening it into one list would silently change what feature indices mean. Code that wants it calls
/// <c>TerraMindViT.EncodePerModality</c>.</para>
/// </remarks>
public sealed class TerraMindBackbone : BackboneDescriptor
{
    private const int PatchSize = 16;

    private static readonly string[] MergeMethods = { "mean", "max", "concat", "dict" };

    public TerraMindBackbone(TerraMindVariant variant)
        : base(variant.Name, Summarise(variant), BuildParameters(variant))
    {
        Variant = variant;
    }

    public TerraMindVariant Variant { get; }

    /// <summary>The default modality's (S2L2A) pretrained bands; <see cref="PretrainedBandsOf"/> gives any modality's.</summary>
    public override IReadOnlyList<string> PretrainedBands => PretrainedBandsOf("S2L2A");

    /// <summary>TerraMind splits the bands into modalities in their pretrained order (BandsDoNotMatchModalities checks it).</summary>
    public override bool SelectsPretrainedBandsByName => false;

    public override int DefaultImageSize => 224;

    public override string RuntimeType => "GeoDsl.Runtime.Backbones.TerraMind.TerraMindViT";

    /// <summary>TerraTorch pads to twice the patch (16) before the encoder.</summary>
    public override int PaddingMultiple(ArgumentList args) => 2 * PatchSize;

    /// <summary>The bands the published weights of <paramref name="modality"/> were trained on, in order.</summary>
    public static IReadOnlyList<string> PretrainedBandsOf(string modality) =>
        TerraMindVariants.FindModality(modality)?.Bands ?? throw new ArgumentException($"TerraMind has no modality '{modality}'.", nameof(modality));

    /// <summary>The encoder's numbers for this input and these arguments; null when the bands cannot be split into the modalities.</summary>
    public TerraMindArchitecture? Resolve(InputSpec input, ArgumentList args)
    {
        var modalities = AssignBands(input.Bands, args.NameList("modalities"), args.IntListOrNull("modality_channels"), out _, out _);
        return modalities is { } split ? Resolve(input, args, split) : null;
    }

    public override FeatureShape? Infer(InputSpec input, ArgumentList args, ShapeContext context)
    {
        var names = args.NameList("modalities");
        for (int i = 0; i < names.Count; i++)
        {
            var modality = TerraMindVariants.FindModality(names[i])!;
            if (modality.Tokenized)
            {
                context.ReportAt(Binding.SpecLocations.Item("modalities", i), DiagnosticDescriptors.ArgumentOutOfRange, "modalities", Title,
                    "image modalities (" + Spelling.OneOf(TerraMindVariants.ImageModalityNames) + ")",
                    $"{modality.Name}, which TerraMind v1 takes only as FSQ tokens from its tokenizer; GeoDsl does not run TerraMind's tokenizers, so drop {modality.Name}");
                return null;
            }

            int first = names.ToList().FindIndex(n => TerraMindVariants.FindModality(n)!.Key == modality.Key);
            if (first < i)
            {
                string same = names[first] == names[i] ? string.Empty : $" ({names[first]} and {names[i]} are the same embedding, {modality.Key})";
                context.ReportAt(Binding.SpecLocations.Item("modalities", i), DiagnosticDescriptors.ArgumentOutOfRange, "modalities", Title,
                    "each modality once", $"{names[i]} a second time{same}");
                return null;
            }
        }

        var counts = args.IntListOrNull("modality_channels");
        var assigned = AssignBands(input.Bands, names, counts, out string? expected, out string? got);
        if (assigned is null)
        {
            string argument = counts is null ? "modalities" : "modality_channels";
            context.ReportAt(argument, DiagnosticDescriptors.BandsDoNotMatchModalities, Title, Text(input.Bands.Count), expected!, got!);
            return null;
        }

        var arch = Resolve(input, args, assigned.Value);
        if (arch.MergeMethod == "dict")
        {
            context.ReportAt("merge_method", DiagnosticDescriptors.ArgumentOutOfRange, "merge_method", Title,
                "mean, max or concat in a model: 'dict' gives one token list per modality and block, which no neck or decoder takes " +
                "(concat keeps every modality's tokens side by side; code can call TerraMindViT.EncodePerModality)", "dict");
            return null;
        }

        if (arch.Dim % arch.Heads != 0)
        {
            context.ReportAt("num_heads", DiagnosticDescriptors.ArgumentOutOfRange, "num_heads", Title,
                $"a divisor of dim {Text(arch.Dim)}", Text(arch.Heads));
            return null;
        }

        if (arch.Dim % 4 != 0)
        {
            // The 2D sin-cos table splits D into sin/cos of the two grid axes (tm_utils.py build_2d_sincos_posemb).
            context.ReportAt("dim", DiagnosticDescriptors.ArgumentOutOfRange, "dim", Title,
                "a multiple of 4 (the 2D sin-cos position table splits it into four quarters)", Text(arch.Dim));
            return null;
        }

        if (arch.ImgSize % PatchSize != 0)
        {
            context.ReportAt("img_size", DiagnosticDescriptors.ArgumentOutOfRange, "img_size", Title,
                $"a multiple of the patch size {PatchSize}", Text(arch.ImgSize));
            return null;
        }

        if (input.Frames != 1)
        {
            context.Report(DiagnosticDescriptors.ArgumentOutOfRange, "frames", Title,
                "1: TerraMind encodes one image per modality (run it per frame with temporal pooling)", Text(input.Frames));
            return null;
        }

        int multiple = PaddingMultiple(args);
        if (input.Height % multiple != 0 || input.Width % multiple != 0)
        {
            string up = SizeText(arch.ImageHeight, arch.ImageWidth);
            string down = SizeText(RoundDown(input.Height, multiple), RoundDown(input.Width, multiple));
            context.Report(DiagnosticDescriptors.SizeNotMultipleOfPatch, SizeText(input.Height, input.Width), Text(multiple),
                Text(PatchSize), up, up == down ? $"Use {up}." : $"Use {down} or {up}.");
        }

        var layout = new TokenLayout(HasClsToken: false, Frames: 1, Rows: arch.Rows, Columns: arch.Columns);
        var tokens = TensorShape.Of(arch.TokensPerModality, arch.OutputWidth);
        return new FeatureShape(FeatureKind.Tokens, Enumerable.Repeat(tokens, arch.Depth).ToEquatableArray(), layout);
    }

    public override long CountParameters(InputSpec input, ArgumentList args)
    {
        var a = Resolve(input, args) ?? throw new InvalidOperationException($"{Title}: the input bands do not split into the modalities; Infer reports why.");
        return CountParameters(a);
    }

    /// <summary>
    /// Learnable parameters: per modality a bias-free projection C·16²·D and a modality embedding D, the transformer
    /// (<see cref="CountTransformerParameters"/>), and for <c>concat</c> the <c>missing_mod_token</c> D. The position
    /// tables and the LayerNorms' zero biases are buffers.
    /// </summary>
    public static long CountParameters(TerraMindArchitecture a)
    {
        long d = a.Dim;
        long embeddings = a.Modalities.Sum(m => ((long)m.Channels * a.Patch * a.Patch * d) + d);
        long missingToken = a.MergeMethod == "concat" ? d : 0;
        return embeddings + CountTransformerParameters(a) + missingToken;
    }

    /// <summary>
    /// The blocks and the final norm (backbone-facts.md §A2's "transformer" figures): per block norm1 and norm2 weights (2D),
    /// qkv 3D² (+3D), proj D² (+D), and the MLP — GELU: 2·D·H (+H + D); SwiGLU: fc1, fc3 D·G and fc2 G·D (+2G + D) —
    /// then encoder_norm D.
    /// </summary>
    public static long CountTransformerParameters(TerraMindArchitecture a)
    {
        long d = a.Dim;
        long h = a.MlpHidden;
        long attention = (3 * d * d) + (a.QkvBias ? 3 * d : 0) + (d * d) + (a.ProjBias ? d : 0);
        long mlp = a.GatedMlp
            ? (3 * d * h) + (a.MlpBias ? (2 * h) + d : 0)
            : (2 * d * h) + (a.MlpBias ? h + d : 0);
        long block = (2 * d) + attention + mlp;
        return (a.Depth * block) + d;
    }

    public override ActivationEstimate EstimateActivations(InputSpec input, ArgumentList args, FeatureShape output, ActivationSettings settings)
    {
        var a = Resolve(input, args) ?? throw new InvalidOperationException($"{Title}: the input bands do not split into the modalities.");

        // The blocks attend over every modality's tokens, not the merged count the output shows. SwiGLU keeps four
        // hidden-width tensors (fc1 out, SiLU out, fc3 out, their product) where a GELU MLP keeps two.
        long sequence = a.SequenceLength;
        long hiddenForMemory = a.GatedMlp ? 2L * a.MlpHidden : a.MlpHidden;
        var block = TransformerActivations.Block(sequence, a.Dim, a.Heads, hiddenForMemory, settings);

        // TerraTorch clones every block's full sequence into a list, then merges each clone to the output width.
        long clones = (long)a.Depth * sequence * a.Dim * settings.StreamBytes;
        long merged = (long)a.Depth * a.TokensPerModality * a.OutputWidth * settings.StreamBytes;
        long pixels = (long)a.InChannels * a.ImageHeight * a.ImageWidth * settings.ComputeBytes;
        if (!settings.Training)
        {
            return new ActivationEstimate(0, merged + Math.Max(block.TransientBytes, clones));
        }

        long perBlock = settings.GradientCheckpointing ? sequence * a.Dim * settings.StreamBytes : block.SavedBytes;
        long recompute = settings.GradientCheckpointing ? block.SavedBytes : 0;
        return new ActivationEstimate(pixels + (a.Depth * perBlock) + merged, Math.Max(Math.Max(block.TransientBytes, recompute), clones));
    }

    /// <summary>
    /// Splits the input bands into the modalities, in order. With <paramref name="counts"/>, each modality takes that many
    /// bands. Without, a band stays with the current modality while that modality was pretrained on it, else it starts the
    /// next modality that was. Null when the bands do not split; <paramref name="expected"/> and <paramref name="got"/> then
    /// say why, for GEO0014.
    /// </summary>
    public static EquatableArray<TerraMindModalityInput>? AssignBands(IReadOnlyList<string> bands, IReadOnlyList<string> modalityNames, IReadOnlyList<int>? counts,
        out string? expected, out string? got)
    {
        expected = null;
        got = null;
        var modalities = modalityNames.Select(n => TerraMindVariants.FindModality(n)).ToList();
        if (modalities.Any(m => m is null || m.Tokenized))
        {
            expected = "image modalities (" + Spelling.OneOf(TerraMindVariants.ImageModalityNames) + ")";
            got = "a token modality";
            return null;
        }

        var result = new List<TerraMindModalityInput>();
        if (counts is not null)
        {
            if (counts.Count != modalities.Count)
            {
                expected = $"one band count per modality ({Text(modalities.Count)}: {string.Join(", ", modalityNames)})";
                got = $"{Text(counts.Count)} counts";
                return null;
            }

            if (counts.Sum() != bands.Count)
            {
                expected = $"counts that add up to the input's {Text(bands.Count)} bands";
                got = $"[{string.Join(", ", counts.Select(Text))}], which add up to {Text(counts.Sum())}";
                return null;
            }

            int offset = 0;
            for (int i = 0; i < modalities.Count; i++)
            {
                result.Add(new TerraMindModalityInput(modalities[i]!.Name, modalities[i]!.Key, bands.Skip(offset).Take(counts[i]).ToEquatableArray()));
                offset += counts[i];
            }

            return result.ToEquatableArray();
        }

        var runs = modalities.Select(_ => new List<string>()).ToList();
        int current = 0;
        for (int b = 0; b < bands.Count; b++)
        {
            string band = bands[b];
            int owner = -1;
            for (int m = current; m < modalities.Count; m++)
            {
                if (modalities[m]!.Bands.Contains(band))
                {
                    owner = m;
                    break;
                }
            }

            if (owner < 0)
            {
                string after = current < modalities.Count ? string.Join(", ", modalityNames.Skip(current)) : "the last modality";
                expected = $"modalities whose pretrained bands, in this order, cover the input bands ({Layout(modalities!)}), or set modality_channels";
                got = $"[{string.Join(", ", modalityNames)}], but input band {band} (channel {Text(b)}) is a band of none of {after}";
                return null;
            }

            current = owner;
            runs[owner].Add(band);
        }

        int empty = runs.FindIndex(r => r.Count == 0);
        if (empty >= 0)
        {
            expected = $"modalities that each receive input bands ({Layout(modalities!)}), or set modality_channels to say how many bands each takes";
            got = $"[{string.Join(", ", modalityNames)}], but {modalityNames[empty]} receives none of the input bands";
            return null;
        }

        for (int i = 0; i < modalities.Count; i++)
        {
            result.Add(new TerraMindModalityInput(modalities[i]!.Name, modalities[i]!.Key, runs[i].ToEquatableArray()));
        }

        return result.ToEquatableArray();
    }

    private TerraMindArchitecture Resolve(InputSpec input, ArgumentList args, EquatableArray<TerraMindModalityInput> modalities)
    {
        int multiple = 2 * PatchSize;
        return new TerraMindArchitecture(
            Modalities: modalities,
            Dim: args.IntOrNull("dim") ?? Variant.Dim,
            Depth: args.IntOrNull("encoder_depth") ?? Variant.Depth,
            Heads: args.IntOrNull("num_heads") ?? Variant.Heads,
            MlpRatio: 4.0,
            GatedMlp: Variant.GatedMlp,
            QkvBias: Variant.Biases,
            ProjBias: Variant.Biases,
            MlpBias: Variant.Biases,
            Patch: PatchSize,
            ImgSize: args.Int("img_size"),
            ImageHeight: RoundUp(input.Height, multiple),
            ImageWidth: RoundUp(input.Width, multiple),
            MergeMethod: args.Name("merge_method"),
            DropPathRate: args.Double("drop_path_rate"));
    }

    private static string Layout(IEnumerable<TerraMindModality> modalities) =>
        string.Join("; ", modalities.Select(m => $"{m.Name}: {string.Join(", ", m.Bands)}"));

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private static int RoundDown(int value, int multiple) => Math.Max(multiple, value / multiple * multiple);

    private static string SizeText(int height, int width) => height == width ? Text(height) : $"{Text(height)}×{Text(width)}";

    private static string Summarise(TerraMindVariant v) =>
        $"TerraMind v1 encoder, D={Text(v.Dim)}, {Text(v.Depth)} blocks, {Text(v.Heads)} heads, " +
        (v.GatedMlp ? "SwiGLU MLP without biases" : "GELU MLP with biases") + $", patch 16, no class token; weights {v.HuggingFaceRepository} ({v.Source})";

    private static ParameterInfo[] BuildParameters(TerraMindVariant v) => new[]
    {
        ParameterInfo.With("pretrained", ParameterType.Bool, false, "Load the published weights (each modality's patch embedding re-selected for its bands)."),
        ParameterInfo.With("modalities", ParameterType.ListOf(ParameterType.OneOf(TerraMindVariants.Modalities.Select(m => m.Name).ToArray()), minCount: 1),
            new ListValue(EquatableArray.Create<ArgValue>(new NameValue("S2L2A"))),
            "Input modalities in channel order; the input bands list each modality's bands in turn (TerraTorch's backbone_modalities)."),
        ParameterInfo.Optional("modality_channels", ParameterType.ListOf(ParameterType.Int(1, 1024), minCount: 1),
            "How many input bands each modality takes (default: split by each modality's pretrained bands)."),
        ParameterInfo.With("merge_method", ParameterType.OneOf(MergeMethods), "mean", "How the modalities' tokens merge: mean, max, or concat (width D × modalities)."),
        ParameterInfo.With("img_size", ParameterType.Int(16, 8192), 224L, "Image size the fixed position table is built for; other sizes interpolate it (bicubic) as TerraTorch does."),
        ParameterInfo.With("drop_path_rate", ParameterType.Float(0, 0.99), 0.0, "Stochastic-depth rate of the last block (linear from 0), in training only."),
        ParameterInfo.Optional("dim", ParameterType.Int(4, 8192), $"Override the token width ({Text(v.Dim)}); the pretrained weights no longer apply."),
        ParameterInfo.Optional("encoder_depth", ParameterType.Int(1, 128), $"Override the number of blocks ({Text(v.Depth)})."),
        ParameterInfo.Optional("num_heads", ParameterType.Int(1, 128), $"Override the number of attention heads ({Text(v.Heads)})."),
    };
}
