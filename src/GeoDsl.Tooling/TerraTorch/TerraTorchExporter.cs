using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Specs;
using YamlDotNet.RepresentationModel;

namespace GeoDsl.Tooling.TerraTorch;

/// <summary>How the exported run scales out: Lightning's <c>devices</c>, <c>num_nodes</c> and <c>strategy</c>.</summary>
/// <param name="Strategy"><c>ddp</c> (a full copy per device) or <c>fsdp</c> (weights, gradients and optimizer states sharded).</param>
public sealed record TerraTorchRun(int Devices = 1, int Nodes = 1, string Strategy = "ddp")
{
    public static readonly string[] Strategies = { "ddp", "fsdp" };

    /// <summary>Null when the settings are usable, else what is wrong and how to fix it.</summary>
    public string? Problem() =>
        Devices < 1 ? $"devices must be 1 or more; got {Devices}."
        : Nodes < 1 ? $"nodes must be 1 or more; got {Nodes}."
        : Array.IndexOf(Strategies, Strategy) < 0 ? $"strategy must be ddp or fsdp; got '{Strategy}'."
        : null;
}

/// <summary>A TerraTorch/LightningCLI config and what it could not carry over.</summary>
public sealed record TerraTorchExport(string Yaml, IReadOnlyList<string> Notes);

/// <summary>
/// Writes a model as the YAML <c>terratorch fit -c</c> reads: the task with <c>model_factory: EncoderDecoderFactory</c>
/// and <c>model_args</c> under TerraTorch's names, the loss and freezing flags, LightningCLI's <c>optimizer</c> and
/// <c>lr_scheduler</c>, the trainer (devices, nodes, strategy, precision, epochs) and a data module whose paths the
/// user fills in. Arguments at the catalog's default are left out, as a user writing the file by hand would.
/// </summary>
public static class TerraTorchExporter
{
    public static TerraTorchExport Export(ModelSpec spec, TerraTorchRun run, string? sourceFile = null, ComponentCatalog? catalog = null)
    {
        catalog ??= ComponentCatalog.Default;
        var notes = new List<string>();
        var root = new YamlMappingNode();
        root.Add("seed_everything", Int(spec.Train.Seed));
        root.Add("trainer", Trainer(spec, run, notes));
        root.Add("data", Data(spec));
        root.Add("model", Model(spec, catalog, notes));
        root.Add("optimizer", ClassPath(TerraTorchNames.Optimizers[spec.Train.Optimizer.Name], Arguments(spec.Train.Optimizer.Arguments)));
        if (spec.Train.Scheduler is { } scheduler)
        {
            root.Add("lr_scheduler", Scheduler(scheduler, spec.Train, notes));
        }

        if (spec.Train.Optimizer.Name == "adamw8bit")
        {
            notes.Add("optimizer adamw8bit is bitsandbytes.optim.AdamW8bit: install bitsandbytes beside TerraTorch.");
        }

        if (spec.Train.GradientCheckpointing)
        {
            notes.Add("gradient_checkpointing has no TerraTorch model_args counterpart; it is not exported (memory per device will be higher than GeoDsl's estimate).");
        }

        if (spec.Train.Attention == AttentionImplementation.Materialized)
        {
            notes.Add("attention = materialized is not exported: PyTorch picks its attention kernel itself.");
        }

        var header = new List<string>
        {
            $"# {spec.Name}: exported by GeoDsl" + (sourceFile is null ? string.Empty : $" from {Path.GetFileName(sourceFile)}") + ". Run: terratorch fit -c <this file>",
            $"# batch_size is per device: {run.Devices} device(s) × {run.Nodes} node(s) train on {spec.Train.BatchSize * run.Devices * run.Nodes} samples per step.",
            "# Fill in the data paths under data.init_args before running.",
        };
        header.AddRange(notes.Select(n => "# Note: " + n));
        return new TerraTorchExport(string.Join("\n", header) + "\n" + Write(root), notes);
    }

    /// <summary>YamlDotNet's emitter, without the document end marker it adds.</summary>
    public static string Write(YamlNode root)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        string text = writer.ToString().Replace("\r\n", "\n");
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text.Substring(0, text.Length - 4) : text;
    }

    private static YamlMappingNode Trainer(ModelSpec spec, TerraTorchRun run, List<string> notes)
    {
        var trainer = new YamlMappingNode
        {
            { "accelerator", "auto" },
            { "strategy", run.Strategy },
            { "devices", Int(run.Devices) },
            { "num_nodes", Int(run.Nodes) },
            { "precision", TerraTorchNames.Precisions[spec.Train.Precision] },
            { "max_epochs", Int(spec.Train.Epochs) },
        };
        if (run.Strategy == "fsdp" && spec.Train.PeftConfig is not null)
        {
            notes.Add("FSDP with LoRA needs use_orig_params; prefer ddp for LoRA runs, whose adapters are small.");
        }

        return trainer;
    }

    private static YamlMappingNode Data(ModelSpec spec)
    {
        var args = new YamlMappingNode
        {
            { "batch_size", Int(spec.Train.BatchSize) },
            { "num_workers", Int(4) },
            { "train_data_root", "path/to/train/images" },
            { "train_label_data_root", "path/to/train/labels" },
            { "val_data_root", "path/to/val/images" },
            { "val_label_data_root", "path/to/val/labels" },
            { "test_data_root", "path/to/test/images" },
            { "test_label_data_root", "path/to/test/labels" },
            { "dataset_bands", Flow(spec.Input.Bands.Select(b => new YamlScalarNode(b))) },
            { "output_bands", Flow(spec.Input.Bands.Select(b => new YamlScalarNode(b))) },
        };
        if (!spec.Input.Means.IsEmpty)
        {
            args.Add("means", Flow(spec.Input.Means.Select(Float)));
        }

        if (!spec.Input.Stds.IsEmpty)
        {
            args.Add("stds", Flow(spec.Input.Stds.Select(Float)));
        }

        if (spec.Head is { } head && head.Args.Has("num_classes") && spec.Task != ModelTask.Regression)
        {
            args.Add("num_classes", Int(head.Args.Int("num_classes")));
        }

        return ClassPath(TerraTorchNames.DataModules[spec.Task], args);
    }

    private static YamlMappingNode Model(ModelSpec spec, ComponentCatalog catalog, List<string> notes)
    {
        var modelArgs = new YamlMappingNode { { "backbone", spec.Backbone.Name } };
        var backbone = catalog.FindBackbone(spec.Backbone.Name);
        foreach (var argument in NonDefault(spec.Backbone.Arguments, backbone))
        {
            modelArgs.Add("backbone_" + argument.Name, Value(argument.Value));
        }

        modelArgs.Add("backbone_bands", Flow(spec.Input.Bands.Select(b => new YamlScalarNode(b))));
        modelArgs.Add("backbone_img_size", spec.Input.Height == spec.Input.Width
            ? Int(spec.Input.Height)
            : Flow(new[] { Int(spec.Input.Height), Int(spec.Input.Width) }));
        if (spec.Input.Frames > 1)
        {
            modelArgs.Add("backbone_num_frames", Int(spec.Input.Frames));
        }

        var necks = new YamlSequenceNode();
        foreach (var neck in spec.Necks)
        {
            var node = new YamlMappingNode { { "name", TerraTorchNames.Pascal(neck.Name) } };
            foreach (var argument in NonDefault(neck.Arguments, catalog.FindNeck(neck.Name)))
            {
                node.Add(argument.Name, Value(argument.Value));
            }

            necks.Add(node);
        }

        if (necks.Children.Count > 0)
        {
            modelArgs.Add("necks", necks);
        }

        var decoder = catalog.FindDecoder(spec.Decoder.Name)!;
        modelArgs.Add("decoder", decoder.TerraTorchName);
        foreach (var argument in NonDefault(spec.Decoder.Arguments, decoder))
        {
            modelArgs.Add("decoder_" + argument.Name, Value(argument.Value));
        }

        if (spec.Head is { } head)
        {
            foreach (var argument in NonDefault(head.Arguments, catalog.FindHead(head.Name)).Where(a => a.Name != "num_classes"))
            {
                modelArgs.Add("head_" + argument.Name, Value(argument.Value));
            }

            if (head.Args.Has("num_classes"))
            {
                modelArgs.Add("num_classes", Int(head.Args.Int("num_classes")));
            }
        }

        if (spec.Train.PeftConfig is { } peft)
        {
            modelArgs.Add("peft_config", Peft(peft, notes));
        }

        var task = new YamlMappingNode
        {
            { "model_factory", TerraTorchNames.Factory },
            { "model_args", modelArgs },
            { "loss", spec.Train.Loss },
            { "ignore_index", Int(spec.Train.IgnoreIndex) },
        };
        if (!spec.Train.ClassWeights.IsEmpty)
        {
            task.Add("class_weights", Flow(spec.Train.ClassWeights.Select(Float)));
        }

        if (!spec.AuxiliaryHeads.IsEmpty)
        {
            var heads = new YamlSequenceNode();
            var weights = new YamlMappingNode();
            foreach (var auxiliary in spec.AuxiliaryHeads)
            {
                var auxiliaryDecoder = catalog.FindDecoder(auxiliary.Decoder.Name)!;
                var decoderArgs = new YamlMappingNode();
                foreach (var argument in NonDefault(auxiliary.Decoder.Arguments, auxiliaryDecoder))
                {
                    decoderArgs.Add("decoder_" + argument.Name, Value(argument.Value));
                }

                foreach (var argument in NonDefault(auxiliary.Head.Arguments, catalog.FindHead(auxiliary.Head.Name)).Where(a => a.Name is not ("num_classes" or "num_outputs")))
                {
                    decoderArgs.Add("head_" + argument.Name, Value(argument.Value));
                }

                heads.Add(new YamlMappingNode { { "name", auxiliary.Name }, { "decoder", auxiliaryDecoder.TerraTorchName }, { "decoder_args", decoderArgs } });
                weights.Add(auxiliary.Name, Float(auxiliary.LossWeight));
            }

            task.Add("aux_heads", heads);
            task.Add("aux_loss", weights);
        }

        task.Add("freeze_backbone", Bool(spec.Train.FreezeBackbone));
        task.Add("freeze_decoder", Bool(spec.Train.FreezeDecoder));
        return ClassPath(TerraTorchNames.Tasks[spec.Task], task);
    }

    private static YamlMappingNode Peft(ObjectValue peft, List<string> notes)
    {
        var lora = LoraSpec.From(peft);
        if (lora.Quantized)
        {
            notes.Add("qlora: TerraTorch's peft_config has no 4-bit base; exported as LoRA on full-precision weights (more memory per device).");
        }

        var modules = lora.TargetModules.SelectMany(m => TerraTorchNames.LoraModules[m]).Select(m => new YamlScalarNode(m));
        var kwargs = new YamlMappingNode
        {
            { "r", Int(lora.Rank) },
            { "lora_alpha", Float(lora.Alpha) },
            { "lora_dropout", Float(lora.Dropout) },
            { "target_modules", Flow(modules) },
        };
        return new YamlMappingNode { { "method", "LORA" }, { "replace_qkv", "qkv" }, { "peft_config_kwargs", kwargs } };
    }

    private static YamlMappingNode Scheduler(ObjectValue scheduler, TrainSpec train, List<string> notes)
    {
        var args = new YamlMappingNode();
        var values = scheduler.Args;
        switch (scheduler.Name)
        {
            case "cosine":
                args.Add("T_max", Int(train.Epochs));
                args.Add("eta_min", Float(values.Double("eta_min")));
                if (values.Int("warmup_epochs") > 0)
                {
                    notes.Add($"cosine warmup_epochs = {values.Int("warmup_epochs")} is not exported: LightningCLI's lr_scheduler takes one scheduler (TerraTorch's SequentialLR with LinearLR does it).");
                }

                break;
            case "plateau":
                args.Add("monitor", "val/loss");
                args.Add("patience", Int(values.Int("patience")));
                args.Add("factor", Float(values.Double("factor")));
                break;
            case "onecycle":
                args.Add("max_lr", Float(values.Double("max_lr")));
                args.Add("pct_start", Float(values.Double("pct_start")));
                args.Add("div_factor", Float(values.Double("div_factor")));
                args.Add("epochs", Int(train.Epochs));
                notes.Add("onecycle: OneCycleLR also needs steps_per_epoch (batches per epoch of your data); add it under lr_scheduler.init_args.");
                break;
            default:
                foreach (var argument in scheduler.Arguments)
                {
                    args.Add(argument.Name, Value(argument.Value));
                }

                break;
        }

        return ClassPath(TerraTorchNames.Schedulers[scheduler.Name], args);
    }

    /// <summary>The arguments whose value differs from the component's default (all of them when the component is unknown).</summary>
    private static IEnumerable<Argument> NonDefault(IEnumerable<Argument> arguments, ComponentDescriptor? descriptor) =>
        arguments.Where(a => a.Value is not NoneValue && !Equals(descriptor?.FindParameter(a.Name)?.Default, a.Value));

    private static IEnumerable<Argument> Arguments(IEnumerable<Argument> arguments) => arguments.Where(a => a.Value is not NoneValue);

    private static YamlMappingNode ClassPath(string classPath, YamlMappingNode initArgs) =>
        new() { { "class_path", classPath }, { "init_args", initArgs } };

    private static YamlMappingNode ClassPath(string classPath, IEnumerable<Argument> initArgs)
    {
        var args = new YamlMappingNode();
        foreach (var argument in initArgs)
        {
            args.Add(argument.Name, Value(argument.Value));
        }

        return ClassPath(classPath, args);
    }

    /// <summary>An argument value as YAML: numbers and booleans plain, lists in flow style.</summary>
    public static YamlNode Value(ArgValue value) => value switch
    {
        IntValue i => Int(i.Value),
        FloatValue f => Float(f.Value),
        BoolValue b => Bool(b.Value),
        StringValue s => new YamlScalarNode(s.Value) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted },
        NameValue n => new YamlScalarNode(n.Value),
        ListValue l => Flow(l.Items.Select(Value)),
        ObjectValue o => ObjectNode(o),
        _ => new YamlScalarNode("null"),
    };

    private static YamlMappingNode ObjectNode(ObjectValue value)
    {
        var node = new YamlMappingNode { { "name", value.Name } };
        foreach (var argument in Arguments(value.Arguments))
        {
            node.Add(argument.Name, Value(argument.Value));
        }

        return node;
    }

    private static YamlSequenceNode Flow(IEnumerable<YamlNode> items)
    {
        var node = new YamlSequenceNode(items) { Style = YamlDotNet.Core.Events.SequenceStyle.Flow };
        return node;
    }

    private static YamlScalarNode Int(long value) => new(value.ToString(CultureInfo.InvariantCulture));

    private static YamlScalarNode Float(double value) => new(TerraTorchNames.Float(value));

    private static YamlScalarNode Bool(bool value) => new(value ? "true" : "false");
}
