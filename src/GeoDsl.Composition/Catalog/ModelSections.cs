using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog;

/// <summary>The arguments of a model's own sections (<c>input</c>, <c>train</c>, <c>aux_head</c>), as catalog data.</summary>
public static class ModelSections
{
    public static readonly string[] SectionNames = { "input", "backbone", "neck", "decoder", "head", "aux_head", "train", "target" };

    public static IReadOnlyList<ParameterInfo> Input { get; } = new[]
    {
        ParameterInfo.Required("bands", ParameterType.ListOf(ParameterType.String, minCount: 1), "Input bands by name, in the order of the data's channels."),
        ParameterInfo.Optional("size", ParameterType.Size(1, 100_000), "Image size in pixels: one number (square) or [height, width]; default the backbone's pretraining size."),
        ParameterInfo.With("frames", ParameterType.Int(1, 1024), 1L, "Time steps per sample."),
        ParameterInfo.Optional("means", ParameterType.ListOf(ParameterType.Float()), "Per-band means for normalisation."),
        ParameterInfo.Optional("stds", ParameterType.ListOf(ParameterType.Float(1e-12)), "Per-band standard deviations for normalisation."),
    };

    public static IReadOnlyList<ParameterInfo> AuxiliaryHead { get; } = new[]
    {
        ParameterInfo.With("weight", ParameterType.Float(0, 1000), 1.0, "Weight of this head's loss in the total."),
    };

    /// <summary>Losses each task accepts; the first is the default (TerraTorch's names).</summary>
    public static IReadOnlyDictionary<ModelTask, string[]> Losses { get; } = new Dictionary<ModelTask, string[]>
    {
        [ModelTask.Segmentation] = new[] { "ce", "dice", "focal", "jaccard", "lovasz" },
        [ModelTask.Regression] = new[] { "mse", "mae", "rmse", "huber" },
        [ModelTask.Classification] = new[] { "ce", "bce", "focal" },
    };

    private static readonly ObjectChoice AdamW = new("adamw",
        ParameterInfo.With("lr", ParameterType.Float(0, 10), 1e-4, "Learning rate."),
        ParameterInfo.With("weight_decay", ParameterType.Float(0, 10), 0.05, "Decoupled weight decay."));

    public static IReadOnlyList<ParameterInfo> Train { get; } = new[]
    {
        ParameterInfo.With("batch_size", ParameterType.Int(1, 65536), 8L, "Samples per optimisation step."),
        ParameterInfo.With("epochs", ParameterType.Int(1, 100000), 10L, "Passes over the training data."),
        ParameterInfo.With("precision", ParameterType.OneOf("fp32", "fp16_mixed", "bf16_mixed", "bf16"), "fp32", "Numeric precision of training."),
        ParameterInfo.With("optimizer", ParameterType.Choice(
                AdamW,
                new ObjectChoice("adam",
                    ParameterInfo.With("lr", ParameterType.Float(0, 10), 1e-3, "Learning rate."),
                    ParameterInfo.With("weight_decay", ParameterType.Float(0, 10), 0.0, "L2 weight decay.")),
                new ObjectChoice("sgd",
                    ParameterInfo.With("lr", ParameterType.Float(0, 10), 1e-2, "Learning rate."),
                    ParameterInfo.With("momentum", ParameterType.Float(0, 1), 0.9, "Momentum."),
                    ParameterInfo.With("weight_decay", ParameterType.Float(0, 10), 0.0, "L2 weight decay."),
                    ParameterInfo.With("nesterov", ParameterType.Bool, false, "Nesterov momentum."))),
            new ObjectValue("adamw", EquatableArray<Argument>.Empty), "Optimizer and its settings, e.g. adamw { lr = 1e-4, weight_decay = 0.05 }."),
        ParameterInfo.Optional("loss", ParameterType.OneOf(Losses.Values.SelectMany(l => l).Distinct().ToArray()), "Loss function (default: ce for segmentation and classification, mse for regression)."),
        ParameterInfo.With("ignore_index", ParameterType.Int(), -1L, "Label value excluded from the loss and the metrics."),
        ParameterInfo.Optional("class_weights", ParameterType.ListOf(ParameterType.Float(0)), "Per-class loss weights."),
        ParameterInfo.With("freeze_backbone", ParameterType.Bool, false, "Train only the necks, decoder and head."),
        ParameterInfo.With("freeze_decoder", ParameterType.Bool, false, "Keep the decoder fixed."),
        ParameterInfo.With("gradient_checkpointing", ParameterType.Bool, false, "Recompute transformer blocks in the backward pass to save memory."),
        ParameterInfo.With("seed", ParameterType.Int(0, int.MaxValue), 0L, "Random seed for reproducible runs."),
    };
}
