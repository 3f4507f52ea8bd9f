using System.Globalization;
using System.Linq;
using System.Text;

namespace GeoDsl.Composition.Specs;

/// <summary>
/// Writes a spec back as <c>.geomodel</c> text with every value explicit: the canonical form. Compiling it gives
/// an equal spec, which is how generated code carries its model (and how the CLI exports a normalised file).
/// </summary>
public static class ModelSpecWriter
{
    public static string Write(ModelSpec spec)
    {
        var text = new StringBuilder();
        if (spec.Namespace is { } ns)
        {
            text.Append("namespace ").Append(ns).Append('\n');
        }

        text.Append("model ").Append(spec.Name).Append(" : ").Append(spec.Task.ToString().ToLowerInvariant()).Append(" {\n");
        var input = spec.Input;
        text.Append("    input { bands = [").Append(string.Join(", ", input.Bands)).Append("], size = [")
            .Append(Int(input.Height)).Append(", ").Append(Int(input.Width)).Append("], frames = ").Append(Int(input.Frames));
        if (!input.Means.IsEmpty)
        {
            text.Append(", means = [").Append(string.Join(", ", input.Means.Select(Float))).Append(']');
        }

        if (!input.Stds.IsEmpty)
        {
            text.Append(", stds = [").Append(string.Join(", ", input.Stds.Select(Float))).Append(']');
        }

        text.Append(" }\n");
        Component(text, "backbone", spec.Backbone);
        foreach (var neck in spec.Necks)
        {
            Component(text, "neck", neck);
        }

        Component(text, "decoder", spec.Decoder);
        if (spec.Head is { } head)
        {
            Component(text, "head", head);
        }

        foreach (var auxiliary in spec.AuxiliaryHeads)
        {
            var own = auxiliary.Head.Arguments.Where(a => a.Name is not ("num_classes" or "num_outputs"));
            text.Append("    aux_head ").Append(auxiliary.Name).Append(" { decoder ").Append(auxiliary.Decoder.ToSource())
                .Append(", head { ").Append(string.Join(", ", own.Select(a => a.ToSource()))).Append(" }, weight = ")
                .Append(Float(auxiliary.LossWeight)).Append(" }\n");
        }

        var train = spec.Train;
        text.Append("    train { batch_size = ").Append(Int(train.BatchSize))
            .Append(", epochs = ").Append(Int(train.Epochs))
            .Append(", precision = ").Append(Precision(train.Precision))
            .Append(", optimizer = ").Append(train.Optimizer.ToSource())
            .Append(", loss = ").Append(train.Loss)
            .Append(", ignore_index = ").Append(Int(train.IgnoreIndex));
        if (!train.ClassWeights.IsEmpty)
        {
            text.Append(", class_weights = [").Append(string.Join(", ", train.ClassWeights.Select(Float))).Append(']');
        }

        text.Append(", freeze_backbone = ").Append(Bool(train.FreezeBackbone))
            .Append(", freeze_decoder = ").Append(Bool(train.FreezeDecoder))
            .Append(", gradient_checkpointing = ").Append(Bool(train.GradientCheckpointing))
            .Append(", seed = ").Append(Int(train.Seed));
        if (train.PeftConfig is { } peft)
        {
            text.Append(", peft_config = ").Append(peft.ToSource());
        }

        if (train.Scheduler is { } scheduler)
        {
            text.Append(", scheduler = ").Append(scheduler.ToSource());
        }

        text.Append(", attention = ").Append(Attention(train.Attention));
        TrainingLoopArguments(text, train);
        text.Append(" }\n");
        Target(text, spec.Target);
        text.Append("}\n");
        return text.ToString();
    }

    /// <summary>A vlm model with every value explicit (<c>model X : vlm { … }</c>); compiling it gives an equal <see cref="VlmSpec"/>.</summary>
    public static string Write(VlmSpec spec)
    {
        var text = new StringBuilder();
        if (spec.Namespace is { } ns)
        {
            text.Append("namespace ").Append(ns).Append('\n');
        }

        text.Append("model ").Append(spec.Name).Append(" : ").Append(Catalog.VlmSections.Kind).Append(" {\n");
        if (spec.Vision is { } vision)
        {
            Component(text, "vision", vision);
        }

        if (spec.Projector is { } projector)
        {
            Component(text, "projector", projector);
        }

        Component(text, "language_model", spec.LanguageModel);
        if (spec.Vision is not null)
        {
            var images = spec.Images;
            text.Append("    images { tile_size = ").Append(Int(images.TileSize)).Append(", max_tiles = ").Append(Int(images.MaxTiles))
                .Append(", thumbnail = ").Append(Bool(images.Thumbnail)).Append(", per_sample = ").Append(Int(images.ImagesPerSample)).Append(" }\n");
        }

        text.Append("    text { context_length = ").Append(Int(spec.ContextLength)).Append(" }\n");
        var train = spec.Train;
        text.Append("    train { batch_size = ").Append(Int(train.BatchSize))
            .Append(", epochs = ").Append(Int(train.Epochs))
            .Append(", precision = ").Append(Precision(train.Precision))
            .Append(", optimizer = ").Append(train.Optimizer.ToSource())
            .Append(", gradient_checkpointing = ").Append(Bool(train.GradientCheckpointing))
            .Append(", seed = ").Append(Int(train.Seed))
            .Append(", attention = ").Append(Attention(train.Attention))
            .Append(", vision = ").Append(train.Vision.ToSource())
            .Append(", projector = ").Append(train.Projector.ToSource())
            .Append(", language_model = ").Append(train.LanguageModel.ToSource()).Append(" }\n");
        Target(text, spec.Target);
        text.Append("}\n");
        return text.ToString();
    }

    public static string Precision(Precision precision) => precision switch
    {
        Specs.Precision.Fp16Mixed => "fp16_mixed",
        Specs.Precision.Bf16Mixed => "bf16_mixed",
        Specs.Precision.Bf16 => "bf16",
        _ => "fp32",
    };

    /// <summary><c>target rtx_4090</c>, <c>target { memory_gib = 20 }</c> or <c>target rtx_4090 { memory_gib = 20 }</c>.</summary>
    private static void Target(StringBuilder text, TargetSpec target)
    {
        text.Append("    target");
        if (target.Gpu != Catalog.Gpus.CustomName)
        {
            text.Append(' ').Append(target.Gpu);
        }

        if (target.MemoryGiB is { } gib)
        {
            text.Append(" { memory_gib = ").Append(Float(gib)).Append(" }");
        }

        text.Append('\n');
    }

    private static void Component(StringBuilder text, string keyword, ComponentSpec component) =>
        text.Append("    ").Append(keyword).Append(' ').Append(component.ToSource()).Append('\n');

    // Written only when they differ from the defaults, so the text of models that do not use them stays as it was.
    private static void TrainingLoopArguments(StringBuilder text, TrainSpec train)
    {
        if (train.AccumulateGradBatches != 1)
        {
            text.Append(", accumulate_grad_batches = ").Append(Int(train.AccumulateGradBatches));
        }

        if (train.GradientClipValue != 0)
        {
            text.Append(", gradient_clip_val = ").Append(Float(train.GradientClipValue));
        }

        if (train.EarlyStoppingPatience != 0)
        {
            text.Append(", early_stopping_patience = ").Append(Int(train.EarlyStoppingPatience));
        }

        var rates = train.StageLearningRates;
        foreach (var (name, rate) in new[] { ("backbone_lr", rates?.Backbone), ("neck_lr", rates?.Neck), ("decoder_lr", rates?.Decoder), ("head_lr", rates?.Head) })
        {
            if (rate is double value)
            {
                text.Append(", ").Append(name).Append(" = ").Append(Float(value));
            }
        }
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Float(double value) => new FloatValue(value).ToSource();

    private static string Attention(AttentionImplementation attention) => attention == AttentionImplementation.Materialized ? "materialized" : "fused";

    private static string Bool(bool value) => value ? "true" : "false";
}
