using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.VisionTowers;

/// <summary>What a projector makes of one tile's tower output: tokens for the language model and its own weights.</summary>
/// <param name="TokensPerTile">Visual tokens one tile becomes in the language model's sequence.</param>
/// <param name="InFeatures">The width the projector's first layer takes (after merging).</param>
/// <param name="OutFeatures">The width it gives the language model.</param>
public sealed record ProjectorShape(int TokensPerTile, long InFeatures, long OutFeatures, long Parameters, long MergeNormWidth);

/// <summary>
/// The projectors of published VLMs, as catalog entries with their arguments and closed-form counts:
/// <list type="bullet">
/// <item><c>pixel_shuffle_mlp</c> — InternVL <c>mlp1</c>: pixel shuffle by <c>factor</c> (cls dropped, tokens ÷ f², width × f²),
/// then LayerNorm(in) → Linear(in, d_llm) → GELU → Linear(d_llm, d_llm) (backbone-facts §C2);</item>
/// <item><c>patch_merger</c> — Qwen2-VL / Qwen2.5-VL <c>PatchMerger</c>: norm(d_vit) (the tower's kind), 2×2 concatenation,
/// Linear(4d, 4d) → GELU → Linear(4d, d_llm) (§C5);</item>
/// <item><c>avg_pool_linear</c> — Gemma 3 <c>Gemma3MultiModalProjector</c>: k×k average pooling, RMSNorm(d_vit), Linear(d_vit, d_llm)
/// without bias (§C6);</item>
/// <item><c>mlp2x_gelu</c> — LLaVA-NeXT (Granite Vision): the features of <c>feature_layers</c> concatenated, Linear(n·d_vit, d_llm) → GELU
/// → Linear(d_llm, d_llm) (§C7).</item>
/// </list>
/// Every projector takes optional <c>in_features</c> / <c>out_features</c>: the widths of a pretrained projector being reused,
/// which GEO1101 checks against the tower and the language model.
/// </summary>
public static class Projectors
{
    public static readonly string[] Names = { "pixel_shuffle_mlp", "patch_merger", "avg_pool_linear", "mlp2x_gelu" };

    private static ParameterInfo InFeatures() => ParameterInfo.Optional("in_features", ParameterType.Int(1, 1 << 20),
        "The input width of a pretrained projector being reused; checked against the vision tower's merged width.");

    private static ParameterInfo OutFeatures() => ParameterInfo.Optional("out_features", ParameterType.Int(1, 1 << 20),
        "The output width of a pretrained projector being reused; checked against the language model's hidden size.");

    public static IReadOnlyList<ParameterInfo> Parameters(string name) => name switch
    {
        "pixel_shuffle_mlp" => new[] { ParameterInfo.With("factor", ParameterType.Int(1, 8), 2L, "Pixel-shuffle factor f: f×f neighbouring patches become one token f² times as wide (InternVL's downsample_ratio = 1/f)."), InFeatures(), OutFeatures() },
        "patch_merger" => new[] { ParameterInfo.With("factor", ParameterType.Int(1, 8), 2L, "Spatial merge size: f×f neighbouring patches are concatenated (Qwen2-VL's spatial_merge_size)."), InFeatures(), OutFeatures() },
        "avg_pool_linear" => new[] { ParameterInfo.With("factor", ParameterType.Int(1, 64), 4L, "Average-pooling kernel over the patch grid (Gemma 3: 64×64 → 16×16 = 256 tokens)."), InFeatures(), OutFeatures() },
        _ => new[]
        {
            ParameterInfo.With("feature_layers", ParameterType.ListOf(ParameterType.Int(-1000, 1000), minCount: 1),
                new ListValue(EquatableArray.Create<ArgValue>(new IntValue(-1))), "Tower layers whose features are concatenated (Granite Vision: [-24, -20, -12, -1])."),
            InFeatures(),
            OutFeatures(),
        },
    };

    /// <summary>Merge factor f: tokens shrink by f² (1 for <c>mlp2x_gelu</c>).</summary>
    public static int Factor(string name, ArgumentList args) => name == "mlp2x_gelu" ? 1 : args.Int("factor");

    /// <summary>
    /// The projector on a tower of width <paramref name="towerWidth"/> whose tile gives a <paramref name="grid"/>×grid patch
    /// grid (class token dropped), feeding a language model of width <paramref name="llmHidden"/>. The caller has checked
    /// that the factor divides the grid.
    /// </summary>
    public static ProjectorShape Shape(string name, ArgumentList args, long towerWidth, int grid, long llmHidden, bool rmsNorm)
    {
        int f = Factor(name, args);
        int tokens = (grid / f) * (grid / f);
        switch (name)
        {
            case "pixel_shuffle_mlp":
            {
                long input = towerWidth * f * f;
                return new ProjectorShape(tokens, input, llmHidden, (2 * input) + (input * llmHidden) + llmHidden + (llmHidden * llmHidden) + llmHidden, 0);
            }

            case "patch_merger":
            {
                long input = towerWidth * f * f;
                long norm = rmsNorm ? towerWidth : 2 * towerWidth;
                return new ProjectorShape(tokens, input, llmHidden, norm + (input * input) + input + (input * llmHidden) + llmHidden, towerWidth);
            }

            case "avg_pool_linear":
                return new ProjectorShape(tokens, towerWidth, llmHidden, towerWidth + (towerWidth * llmHidden), 0);

            default:
            {
                long input = towerWidth * args.IntList("feature_layers").Count;
                return new ProjectorShape(tokens, input, llmHidden, (input * llmHidden) + llmHidden + (llmHidden * llmHidden) + llmHidden, 0);
            }
        }
    }

    /// <summary>The projector each tower ships with, for "write it like this" messages.</summary>
    public static string Native(NativeMerge merge) => merge switch
    {
        NativeMerge.PixelShuffle => "pixel_shuffle_mlp",
        NativeMerge.PatchMerger => "patch_merger",
        NativeMerge.AveragePool => "avg_pool_linear",
        _ => "mlp2x_gelu",
    };

    public static bool IsKnown(string name) => Names.Contains(name);
}
