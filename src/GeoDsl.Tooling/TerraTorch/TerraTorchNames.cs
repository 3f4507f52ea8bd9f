using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Tooling.TerraTorch;

/// <summary>
/// How GeoDsl's names map onto TerraTorch's (terratorch-facts.md §5–6): <c>model_args</c> keys carry the stage as a
/// prefix (<c>backbone_drop_path</c>, <c>decoder_channels</c>, <c>head_dropout</c>), necks are PascalCase class names,
/// decoders and heads use the class names the catalog records, tasks and optimizers their Python classes.
/// Export and import both read these tables, so the two directions cannot disagree.
/// </summary>
public static class TerraTorchNames
{
    public const string Factory = "EncoderDecoderFactory";

    public static IReadOnlyDictionary<ModelTask, string> Tasks { get; } = new Dictionary<ModelTask, string>
    {
        [ModelTask.Segmentation] = "terratorch.tasks.SemanticSegmentationTask",
        [ModelTask.Regression] = "terratorch.tasks.PixelwiseRegressionTask",
        [ModelTask.Classification] = "terratorch.tasks.ClassificationTask",
    };

    public static IReadOnlyDictionary<ModelTask, string> DataModules { get; } = new Dictionary<ModelTask, string>
    {
        [ModelTask.Segmentation] = "terratorch.datamodules.GenericNonGeoSegmentationDataModule",
        [ModelTask.Regression] = "terratorch.datamodules.GenericNonGeoPixelwiseRegressionDataModule",
        [ModelTask.Classification] = "terratorch.datamodules.GenericNonGeoClassificationDataModule",
    };

    /// <summary>GeoDsl's head per task (TerraTorch picks the head from the task).</summary>
    public static IReadOnlyDictionary<ModelTask, string> Heads { get; } = new Dictionary<ModelTask, string>
    {
        [ModelTask.Segmentation] = "segmentation",
        [ModelTask.Regression] = "regression",
        [ModelTask.Classification] = "classification",
    };

    public static IReadOnlyDictionary<string, string> Optimizers { get; } = new Dictionary<string, string>
    {
        ["adamw"] = "torch.optim.AdamW",
        ["adam"] = "torch.optim.Adam",
        ["sgd"] = "torch.optim.SGD",
        ["adamw8bit"] = "bitsandbytes.optim.AdamW8bit",
    };

    /// <summary>torch.optim.lr_scheduler classes and GeoDsl's argument name → theirs.</summary>
    public static IReadOnlyDictionary<string, string> Schedulers { get; } = new Dictionary<string, string>
    {
        ["cosine"] = "torch.optim.lr_scheduler.CosineAnnealingLR",
        ["step"] = "torch.optim.lr_scheduler.StepLR",
        ["plateau"] = "torch.optim.lr_scheduler.ReduceLROnPlateau",
        ["onecycle"] = "torch.optim.lr_scheduler.OneCycleLR",
    };

    /// <summary>Lightning's <c>trainer.precision</c> values.</summary>
    public static IReadOnlyDictionary<Precision, string> Precisions { get; } = new Dictionary<Precision, string>
    {
        [Precision.Fp32] = "32-true",
        [Precision.Fp16Mixed] = "16-mixed",
        [Precision.Bf16Mixed] = "bf16-mixed",
        [Precision.Bf16] = "bf16-true",
    };

    /// <summary>Lightning also accepts these spellings of the same precisions.</summary>
    public static IReadOnlyDictionary<string, Precision> PrecisionAliases { get; } = new Dictionary<string, Precision>(StringComparer.OrdinalIgnoreCase)
    {
        ["32"] = Precision.Fp32,
        ["16"] = Precision.Fp16Mixed,
        ["bf16"] = Precision.Bf16Mixed,
    };

    /// <summary>GeoDsl's LoRA targets (timm roles) → PEFT module names after TerraTorch's <c>replace_qkv: qkv</c> split.</summary>
    public static IReadOnlyDictionary<string, string[]> LoraModules { get; } = new Dictionary<string, string[]>
    {
        ["qkv"] = new[] { "qkv.q_linear", "qkv.k_linear", "qkv.v_linear" },
        ["proj"] = new[] { "attn.proj" },
        ["fc1"] = new[] { "mlp.fc1" },
        ["fc2"] = new[] { "mlp.fc2" },
    };

    /// <summary><c>select_indices</c> → <c>SelectIndices</c>.</summary>
    public static string Pascal(string snake) =>
        string.Concat(snake.Split('_').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p.Substring(1)));

    /// <summary><c>SelectIndices</c> → <c>select_indices</c>; <c>UNetDecoder</c> → <c>u_net_decoder</c> (callers try the catalog's names first).</summary>
    public static string Snake(string pascal)
    {
        var text = new StringBuilder();
        for (int i = 0; i < pascal.Length; i++)
        {
            char c = pascal[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(pascal[i - 1]) || (i + 1 < pascal.Length && char.IsLower(pascal[i + 1]))))
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }

    /// <summary>A float as YAML 1.1 readers (PyYAML, jsonargparse) take it: always with a dot, so <c>1e-4</c> is not read as a string.</summary>
    public static string Float(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        int exponent = text.IndexOfAny(new[] { 'E', 'e' });
        if (exponent < 0)
        {
            return text.Contains(".") || text.Contains("Infinity") || text.Contains("NaN") ? text : text + ".0";
        }

        string mantissa = text.Substring(0, exponent);
        return (mantissa.Contains(".") ? mantissa : mantissa + ".0") + "e" + text.Substring(exponent + 1).Replace("+", string.Empty);
    }
}
