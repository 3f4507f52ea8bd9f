using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using GeoDsl.Composition;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Options;
using GeoDsl.Composition.Specs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GeoDsl.Tooling.TerraTorch;

/// <summary>Something in the YAML GeoDsl cannot express, at its line (1-based) in the YAML file.</summary>
public sealed record ImportNote(int Line, string Message);

/// <summary>A diagnostic of the imported model, placed on the YAML line its text came from.</summary>
public sealed record ImportDiagnostic(GeoDiagnostic Diagnostic, int YamlLine)
{
    public string ToCompilerString(string yamlPath) =>
        $"{yamlPath}({YamlLine.ToString(CultureInfo.InvariantCulture)}): {Diagnostic.Severity.ToString().ToLowerInvariant()} {Diagnostic.Id}: {Diagnostic.Message}";
}

/// <summary>The <c>.geomodel</c> text written from a TerraTorch config, what it left out, and the front end's verdict on it.</summary>
public sealed record TerraTorchImport(string GeoModel, IReadOnlyList<ImportNote> Notes, FileAnalysis Analysis, IReadOnlyList<ImportDiagnostic> Diagnostics)
{
    public bool HasErrors => Analysis.HasErrors;
}

/// <summary>The YAML could not be read at all (not YAML, or no <c>model.init_args.model_args</c>).</summary>
public sealed class TerraTorchConfigException : Exception
{
    public TerraTorchConfigException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// Reads a TerraTorch/LightningCLI config (terratorch-facts.md §5–6) into a <c>.geomodel</c> model, keeping TerraTorch's
/// values as written, so the front end judges them: a name TerraTorch would fail to resolve at run time, a
/// <c>backbone_*</c> key its backbone swallows through <c>**kwargs</c>, necks that do not fit the backbone's features
/// all come back as GeoDsl's diagnostics, placed on the YAML line. Keys GeoDsl has no place for (data paths,
/// callbacks, loggers, devices) are listed as notes with their line.
/// </summary>
public static class TerraTorchImporter
{
    private static readonly Regex BareName = new("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    // model_args keys that are not component arguments.
    private static readonly HashSet<string> InputKeys = new(StringComparer.Ordinal) { "backbone_bands", "backbone_img_size", "backbone_num_frames" };

    /// <param name="options">The budget the model is checked against (a TerraTorch config names no GPU); the defaults when null.</param>
    public static TerraTorchImport Import(string yamlPath, string yaml, string? modelName = null, CompileOptions? options = null, ComponentCatalog? catalog = null)
    {
        catalog ??= ComponentCatalog.Default;
        var root = Parse(yamlPath, yaml);
        var writer = new GeoModelWriter();
        var notes = new List<ImportNote>();

        var model = Mapping(root, "model") ?? throw new TerraTorchConfigException($"{yamlPath}: no 'model:' section; a TerraTorch config has model.class_path and model.init_args.model_args.");
        var initArgs = Mapping(model, "init_args") ?? throw new TerraTorchConfigException($"{yamlPath}({Line(model)}): 'model:' has no init_args.");
        var modelArgs = Mapping(initArgs, "model_args") ?? throw new TerraTorchConfigException($"{yamlPath}({Line(initArgs)}): model.init_args has no model_args; GeoDsl imports EncoderDecoderFactory models.");

        var task = Task(model, notes);
        if (Scalar(initArgs, "model_factory") is { } factory && factory.Value != TerraTorchNames.Factory)
        {
            notes.Add(new ImportNote(Line(factory), $"model_factory {factory.Value} is read as {TerraTorchNames.Factory}: GeoDsl composes backbone → necks → decoder → head."));
        }

        string name = modelName ?? ModelName(yamlPath);
        writer.Line(0, $"// Imported from {Path.GetFileName(yamlPath)} by geodsl import terratorch.");
        writer.Line(Line(model), $"model {name} : {task.ToString().ToLowerInvariant()} {{");

        Input(writer, modelArgs, Mapping(Mapping(root, "data"), "init_args"));
        var used = new HashSet<string>(StringComparer.Ordinal) { "backbone", "necks", "decoder", "num_classes", "peft_config" };
        used.UnionWith(InputKeys);
        Component(writer, "backbone", modelArgs, "backbone", modelArgs.Children.Where(p => Key(p).StartsWith("backbone_", StringComparison.Ordinal) && !InputKeys.Contains(Key(p))), "backbone_", used);
        Necks(writer, modelArgs);
        DecoderName(writer, modelArgs, catalog, used);
        Head(writer, task, modelArgs, used);
        AuxiliaryHeads(writer, initArgs, catalog, notes);
        Train(writer, root, initArgs, modelArgs, notes);
        writer.Line(0, "}");

        foreach (var pair in modelArgs.Children.Where(p => !used.Contains(Key(p))))
        {
            notes.Add(new ImportNote(Line(pair.Key), $"model_args.{Key(pair)} has no GeoDsl counterpart and was left out."));
        }

        Unexpressed(root, initArgs, notes);
        string text = writer.ToString();
        var analysis = GeoModelCompiler.Compile(Path.ChangeExtension(yamlPath, ".geomodel"), text, catalog, options);
        var diagnostics = analysis.Diagnostics.Select(d => new ImportDiagnostic(d, writer.YamlLineOf(d.Location.Start.Line))).ToList();
        return new TerraTorchImport(text, notes.OrderBy(n => n.Line).ToList(), analysis, diagnostics);
    }

    private static YamlMappingNode Parse(string path, string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new TerraTorchConfigException($"{path}({e.Start.Line}): not valid YAML: {e.Message}");
        }

        return stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode
            ?? throw new TerraTorchConfigException($"{path}: the document is not a mapping of LightningCLI sections (seed_everything, trainer, data, model, optimizer, lr_scheduler).");
    }

    private static ModelTask Task(YamlMappingNode model, List<ImportNote> notes)
    {
        var classPath = Scalar(model, "class_path");
        foreach (var pair in TerraTorchNames.Tasks)
        {
            if (classPath is not null && (classPath.Value == pair.Value || pair.Value.EndsWith("." + classPath.Value, StringComparison.Ordinal)))
            {
                return pair.Key;
            }
        }

        notes.Add(new ImportNote(classPath is null ? Line(model) : Line(classPath),
            $"task {classPath?.Value ?? "(none)"} is not one GeoDsl composes (SemanticSegmentationTask, PixelwiseRegressionTask, ClassificationTask); read as segmentation."));
        return ModelTask.Segmentation;
    }

    private static void Input(GeoModelWriter writer, YamlMappingNode modelArgs, YamlMappingNode? data)
    {
        var parts = new List<string>();
        int line = Line(modelArgs);
        if (modelArgs.Children.TryGetValue(new YamlScalarNode("backbone_bands"), out var bands))
        {
            parts.Add("bands = " + Source(bands));
            line = Line(bands);
        }
        else if (data is not null && data.Children.TryGetValue(new YamlScalarNode("output_bands"), out var outputBands))
        {
            parts.Add("bands = " + Source(outputBands));
            line = Line(outputBands);
        }

        if (modelArgs.Children.TryGetValue(new YamlScalarNode("backbone_img_size"), out var size))
        {
            parts.Add("size = " + Source(size));
        }

        if (modelArgs.Children.TryGetValue(new YamlScalarNode("backbone_num_frames"), out var frames))
        {
            parts.Add("frames = " + Source(frames));
        }

        foreach (string statistic in new[] { "means", "stds" })
        {
            if (data is not null && data.Children.TryGetValue(new YamlScalarNode(statistic), out var values))
            {
                parts.Add(statistic + " = " + Source(values));
            }
        }

        writer.Line(line, "    input { " + string.Join(", ", parts) + " }");
    }

    /// <summary>A component from <c>{prefix}{argument}</c> keys, the prefix stripped: TerraTorch's unknown keys become GeoDsl's unknown arguments.</summary>
    private static void Component(GeoModelWriter writer, string keyword, YamlMappingNode modelArgs, string nameKey,
        IEnumerable<KeyValuePair<YamlNode, YamlNode>> arguments, string prefix, HashSet<string> used, string? name = null)
    {
        var nameNode = Scalar(modelArgs, nameKey);
        var args = arguments.ToList();
        used.UnionWith(args.Select(Key));
        writer.Block(nameNode is null ? Line(modelArgs) : Line(nameNode), $"    {keyword} {name ?? nameNode?.Value ?? "(missing)"}",
            args.Select(p => (Line(p.Key), Key(p).Substring(prefix.Length), p.Value)));
    }

    private static void Necks(GeoModelWriter writer, YamlMappingNode modelArgs)
    {
        if (!modelArgs.Children.TryGetValue(new YamlScalarNode("necks"), out var necks) || necks is not YamlSequenceNode list)
        {
            return;
        }

        foreach (var neck in list.Children.OfType<YamlMappingNode>())
        {
            string name = Scalar(neck, "name")?.Value ?? "(missing)";
            var args = neck.Children.Where(p => Key(p) != "name").Select(p => (Line(p.Key), Key(p), p.Value));
            writer.Block(Line(neck), $"    neck {TerraTorchNames.Snake(name)}", args);
        }
    }

    private static void DecoderName(GeoModelWriter writer, YamlMappingNode modelArgs, ComponentCatalog catalog, HashSet<string> used)
    {
        string terraTorch = Scalar(modelArgs, "decoder")?.Value ?? "(missing)";
        string name = GeoDslDecoder(terraTorch, catalog);
        Component(writer, "decoder", modelArgs, "decoder", modelArgs.Children.Where(p => Key(p).StartsWith("decoder_", StringComparison.Ordinal)), "decoder_", used, name);
    }

    private static string GeoDslDecoder(string terraTorch, ComponentCatalog catalog) =>
        catalog.Decoders.FirstOrDefault(d => d.TerraTorchName == terraTorch)?.Name ?? TerraTorchNames.Snake(terraTorch);

    private static void Head(GeoModelWriter writer, ModelTask task, YamlMappingNode modelArgs, HashSet<string> used)
    {
        var args = modelArgs.Children.Where(p => Key(p).StartsWith("head_", StringComparison.Ordinal)).Select(p => (Line(p.Key), Key(p).Substring(5), p.Value)).ToList();
        used.UnionWith(args.Select(a => "head_" + a.Item2));
        int line = Line(modelArgs);
        if (modelArgs.Children.TryGetValue(new YamlScalarNode("num_classes"), out var classes))
        {
            args.Insert(0, (Line(classes), "num_classes", classes));
            line = Line(classes);
        }

        writer.Block(line, $"    head {TerraTorchNames.Heads[task]}", args);
    }

    private static void AuxiliaryHeads(GeoModelWriter writer, YamlMappingNode initArgs, ComponentCatalog catalog, List<ImportNote> notes)
    {
        if (!initArgs.Children.TryGetValue(new YamlScalarNode("aux_heads"), out var heads) || heads is not YamlSequenceNode list)
        {
            return;
        }

        var weights = Mapping(initArgs, "aux_loss");
        foreach (var head in list.Children.OfType<YamlMappingNode>())
        {
            string name = Scalar(head, "name")?.Value ?? "(missing)";
            string decoder = GeoDslDecoder(Scalar(head, "decoder")?.Value ?? "(missing)", catalog);
            var args = Mapping(head, "decoder_args")?.Children.ToList() ?? new List<KeyValuePair<YamlNode, YamlNode>>();
            string decoderArgs = Arguments(args.Where(p => Key(p).StartsWith("decoder_", StringComparison.Ordinal)).Select(p => (Key(p).Substring(8), p.Value)));
            string headArgs = Arguments(args.Where(p => Key(p).StartsWith("head_", StringComparison.Ordinal)).Select(p => (Key(p).Substring(5), p.Value)));
            foreach (var other in args.Where(p => !Key(p).StartsWith("decoder_", StringComparison.Ordinal) && !Key(p).StartsWith("head_", StringComparison.Ordinal)))
            {
                notes.Add(new ImportNote(Line(other.Key), $"aux head {name}: decoder_args.{Key(other)} has no GeoDsl counterpart and was left out."));
            }

            string weight = weights is not null && weights.Children.TryGetValue(new YamlScalarNode(name), out var w) ? ", weight = " + Source(w) : string.Empty;
            writer.Line(Line(head), $"    aux_head {name} {{ decoder {decoder}{decoderArgs}" + (headArgs.Length > 0 ? $", head{headArgs}" : string.Empty) + weight + " }");
        }
    }

    private static void Train(GeoModelWriter writer, YamlMappingNode root, YamlMappingNode initArgs, YamlMappingNode modelArgs, List<ImportNote> notes)
    {
        var entries = new List<(int Line, string Text)>();
        void Add(YamlNode? node, string text)
        {
            if (node is not null)
            {
                entries.Add((Line(node), text));
            }
        }

        var data = Mapping(Mapping(root, "data"), "init_args");
        var trainer = Mapping(root, "trainer");
        Add(Node(data, "batch_size"), "batch_size = " + Source(Node(data, "batch_size")));
        Add(Node(trainer, "max_epochs"), "epochs = " + Source(Node(trainer, "max_epochs")));
        if (Scalar(trainer, "precision") is { } precision)
        {
            var match = TerraTorchNames.Precisions.FirstOrDefault(p => p.Value == precision.Value);
            Precision? value = match.Value is not null ? match.Key : TerraTorchNames.PrecisionAliases.TryGetValue(precision.Value ?? string.Empty, out var alias) ? alias : null;
            if (value is { } known)
            {
                Add(precision, "precision = " + ModelSpecWriter.Precision(known));
            }
            else
            {
                notes.Add(new ImportNote(Line(precision), $"trainer.precision {precision.Value} has no GeoDsl counterpart (fp32, fp16_mixed, bf16_mixed, bf16); training in fp32."));
            }
        }

        Optimizer(root, initArgs, Add, notes);
        Add(Node(initArgs, "loss"), "loss = " + Source(Node(initArgs, "loss")));
        foreach (string key in new[] { "ignore_index", "class_weights", "freeze_backbone", "freeze_decoder" })
        {
            Add(Node(initArgs, key), key + " = " + Source(Node(initArgs, key)));
        }

        Add(Node(root, "seed_everything"), "seed = " + Source(Node(root, "seed_everything")));
        if (Mapping(modelArgs, "peft_config") is { } peft)
        {
            Add(peft, "peft_config = " + Peft(peft, notes));
        }

        Scheduler(root, Add, notes);
        if (entries.Count == 0)
        {
            return;
        }

        writer.Line(entries[0].Line, "    train {");
        foreach (var (line, text) in entries)
        {
            writer.Line(line, "        " + text);
        }

        writer.Line(0, "    }");
    }

    private static void Optimizer(YamlMappingNode root, YamlMappingNode initArgs, Action<YamlNode?, string> add, List<ImportNote> notes)
    {
        // LightningCLI's top-level optimizer overrides the task's optimizer/optimizer_hparams/lr (§5).
        if (Mapping(root, "optimizer") is { } optimizer)
        {
            var classPath = Scalar(optimizer, "class_path");
            string? name = GeoDslName(TerraTorchNames.Optimizers, classPath?.Value);
            if (name is null)
            {
                notes.Add(new ImportNote(Line(optimizer), $"optimizer {classPath?.Value ?? "(no class_path)"} is not one GeoDsl trains with (AdamW, Adam, SGD, AdamW8bit); using adamw."));
                return;
            }

            var args = Mapping(optimizer, "init_args")?.Children.Select(p => (Key(p), p.Value)) ?? Enumerable.Empty<(string, YamlNode)>();
            add(optimizer, "optimizer = " + name + Arguments(args));
            return;
        }

        if (Scalar(initArgs, "optimizer") is { } taskOptimizer)
        {
            string? name = GeoDslName(TerraTorchNames.Optimizers, taskOptimizer.Value);
            if (name is null)
            {
                notes.Add(new ImportNote(Line(taskOptimizer), $"optimizer {taskOptimizer.Value} is not one GeoDsl trains with (AdamW, Adam, SGD); using adamw."));
                return;
            }

            var args = (Mapping(initArgs, "optimizer_hparams")?.Children.Select(p => (Key(p), p.Value)) ?? Enumerable.Empty<(string, YamlNode)>()).ToList();
            if (Node(initArgs, "lr") is { } lr)
            {
                args.Insert(0, ("lr", lr));
            }

            add(taskOptimizer, "optimizer = " + name + Arguments(args));
        }
    }

    private static void Scheduler(YamlMappingNode root, Action<YamlNode?, string> add, List<ImportNote> notes)
    {
        if (Mapping(root, "lr_scheduler") is not { } scheduler)
        {
            return;
        }

        var classPath = Scalar(scheduler, "class_path");
        string? name = GeoDslName(TerraTorchNames.Schedulers, classPath?.Value);
        var args = Mapping(scheduler, "init_args")?.Children.ToList() ?? new List<KeyValuePair<YamlNode, YamlNode>>();
        var kept = new List<(string, YamlNode)>();
        foreach (var pair in args)
        {
            string key = Key(pair);
            bool geoDsl = name switch
            {
                "cosine" => key == "eta_min",
                "step" => key is "step_size" or "gamma",
                "plateau" => key is "patience" or "factor",
                "onecycle" => key is "max_lr" or "pct_start" or "div_factor",
                _ => false,
            };
            if (geoDsl)
            {
                kept.Add((key, pair.Value));
            }
            else if (!(name == "plateau" && key == "monitor") && !(name is "cosine" && key == "T_max") && !(name == "onecycle" && key is "epochs" or "steps_per_epoch"))
            {
                notes.Add(new ImportNote(Line(pair.Key), $"lr_scheduler.init_args.{key} has no GeoDsl counterpart and was left out."));
            }
        }

        if (name is null)
        {
            notes.Add(new ImportNote(Line(scheduler), $"lr_scheduler {classPath?.Value ?? "(no class_path)"} is not one GeoDsl schedules with (CosineAnnealingLR, StepLR, ReduceLROnPlateau, OneCycleLR); constant learning rate."));
            return;
        }

        add(scheduler, "scheduler = " + name + Arguments(kept));
    }

    private static string Peft(YamlMappingNode peft, List<ImportNote> notes)
    {
        if (Scalar(peft, "method") is { } method && !string.Equals(method.Value, "LORA", StringComparison.OrdinalIgnoreCase))
        {
            notes.Add(new ImportNote(Line(method), $"peft_config.method {method.Value}: GeoDsl adapts with LoRA only; read as lora."));
        }

        var kwargs = Mapping(peft, "peft_config_kwargs")?.Children.ToList() ?? new List<KeyValuePair<YamlNode, YamlNode>>();
        var args = new List<string>();
        foreach (var pair in kwargs)
        {
            string key = Key(pair);
            if (key is "r" or "lora_alpha" or "lora_dropout")
            {
                args.Add(key + " = " + Source(pair.Value));
            }
            else if (key == "target_modules" && pair.Value is YamlSequenceNode modules)
            {
                var names = modules.Children.OfType<YamlScalarNode>().Select(m => m.Value ?? string.Empty).ToList();
                var roles = TerraTorchNames.LoraModules.Where(role => role.Value.Any(names.Contains)).Select(role => role.Key).ToList();
                var partial = TerraTorchNames.LoraModules.Where(role => role.Value.Any(names.Contains) && !role.Value.All(names.Contains)).ToList();
                foreach (var role in partial)
                {
                    notes.Add(new ImportNote(Line(pair.Value), $"LoRA on {string.Join(", ", role.Value.Where(names.Contains))} only: GeoDsl adapts the fused {role.Key} projection as a whole ({string.Join(", ", role.Value)})."));
                }

                foreach (string unknown in names.Where(n => !TerraTorchNames.LoraModules.Values.Any(v => v.Contains(n))))
                {
                    notes.Add(new ImportNote(Line(pair.Value), $"LoRA target {unknown} is not one GeoDsl adapts (qkv, proj, fc1, fc2); left out."));
                }

                if (roles.Count > 0)
                {
                    args.Add("target_modules = [" + string.Join(", ", roles) + "]");
                }
            }
            else
            {
                notes.Add(new ImportNote(Line(pair.Key), $"peft_config_kwargs.{key} has no GeoDsl counterpart and was left out."));
            }
        }

        return "lora" + (args.Count == 0 ? string.Empty : " { " + string.Join(", ", args) + " }");
    }

    /// <summary>Sections and keys GeoDsl has no place for, so the user knows what the .geomodel file does not carry.</summary>
    private static void Unexpressed(YamlMappingNode root, YamlMappingNode initArgs, List<ImportNote> notes)
    {
        if (Mapping(root, "trainer") is { } trainer)
        {
            foreach (var pair in trainer.Children.Where(p => Key(p) is not ("max_epochs" or "precision")))
            {
                notes.Add(new ImportNote(Line(pair.Key), $"trainer.{Key(pair)} is a Lightning setting GeoDsl does not carry (it trains on one device); export terratorch writes devices, num_nodes and strategy again."));
            }
        }

        if (Mapping(Mapping(root, "data"), "init_args") is { } data)
        {
            foreach (var pair in data.Children.Where(p => Key(p) is not ("batch_size" or "means" or "stds" or "output_bands")))
            {
                notes.Add(new ImportNote(Line(pair.Key), $"data.init_args.{Key(pair)} describes the data set, which a .geomodel file does not; GeoDsl reads chips with GeoTiffChipDataset."));
            }
        }

        var known = new HashSet<string>(StringComparer.Ordinal)
        {
            "model_factory", "model_args", "loss", "ignore_index", "class_weights", "freeze_backbone", "freeze_decoder", "aux_heads", "aux_loss",
            "optimizer", "optimizer_hparams", "lr",
        };
        foreach (var pair in initArgs.Children.Where(p => !known.Contains(Key(p))))
        {
            notes.Add(new ImportNote(Line(pair.Key), $"model.init_args.{Key(pair)} has no GeoDsl counterpart and was left out."));
        }

        foreach (var pair in root.Children.Where(p => Key(p) is not ("seed_everything" or "trainer" or "data" or "model" or "optimizer" or "lr_scheduler")))
        {
            notes.Add(new ImportNote(Line(pair.Key), $"{Key(pair)} has no GeoDsl counterpart and was left out."));
        }
    }

    private static string? GeoDslName(IReadOnlyDictionary<string, string> table, string? classPath) =>
        classPath is null ? null : table.FirstOrDefault(p => p.Value == classPath || p.Value.EndsWith("." + classPath, StringComparison.Ordinal)).Key;

    private static string Arguments(IEnumerable<(string Name, YamlNode Value)> arguments)
    {
        var list = arguments.Select(a => a.Name + " = " + Source(a.Value)).ToList();
        return list.Count == 0 ? string.Empty : " { " + string.Join(", ", list) + " }";
    }

    /// <summary>A YAML value as <c>.geomodel</c> source: numbers and names bare, other text quoted, lists in brackets.</summary>
    private static string Source(YamlNode? node) => node switch
    {
        YamlScalarNode { Style: ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted } quoted => new StringValue(quoted.Value ?? string.Empty).ToSource(),
        YamlScalarNode scalar => Scalar(scalar.Value ?? string.Empty),
        YamlSequenceNode sequence => "[" + string.Join(", ", sequence.Children.Select(Source)) + "]",
        YamlMappingNode mapping => "{ " + string.Join(", ", mapping.Children.Select(p => Key(p) + " = " + Source(p.Value))) + " }",
        _ => "none",
    };

    private static string Scalar(string value)
    {
        if (value is "True" or "true")
        {
            return "true";
        }

        if (value is "False" or "false")
        {
            return "false";
        }

        if (value is "null" or "~" or "None" or "")
        {
            return "none";
        }

        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
        {
            return value;
        }

        // YAML writes floats as 1.e-4 or 1.0e-04 (PyYAML needs the dot); .geomodel takes the shortest round-trip form.
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
        {
            return new FloatValue(number).ToSource().Replace("E", "e");
        }

        return BareName.IsMatch(value) ? value : new StringValue(value).ToSource();
    }

    private static string ModelName(string path)
    {
        string stem = Path.GetFileNameWithoutExtension(path);
        string name = TerraTorchNames.Pascal(Regex.Replace(stem, "[^A-Za-z0-9]+", "_").ToLowerInvariant());
        return name.Length == 0 || char.IsDigit(name[0]) ? "Imported" + name : name;
    }

    private static string Key(KeyValuePair<YamlNode, YamlNode> pair) => (pair.Key as YamlScalarNode)?.Value ?? string.Empty;

    private static YamlNode? Node(YamlMappingNode? mapping, string key) =>
        mapping is not null && mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static YamlMappingNode? Mapping(YamlMappingNode? mapping, string key) => Node(mapping, key) as YamlMappingNode;

    private static YamlScalarNode? Scalar(YamlMappingNode? mapping, string key) => Node(mapping, key) as YamlScalarNode;

    /// <summary>1-based, as editors and compilers count.</summary>
    private static int Line(YamlNode node) => (int)node.Start.Line;

    /// <summary>The .geomodel text and, for each of its lines, the YAML line it came from.</summary>
    private sealed class GeoModelWriter
    {
        private readonly StringBuilder _text = new();
        private readonly List<int> _yamlLines = new();

        public void Line(int yamlLine, string text)
        {
            _text.Append(text).Append('\n');
            _yamlLines.Add(yamlLine);
        }

        /// <summary>A component with one argument per line, each placed on its YAML key, so a diagnostic lands on the key it is about.</summary>
        public void Block(int yamlLine, string header, IEnumerable<(int Line, string Name, YamlNode Value)> arguments)
        {
            var list = arguments.ToList();
            if (list.Count == 0)
            {
                Line(yamlLine, header);
                return;
            }

            Line(yamlLine, header + " {");
            foreach (var (line, name, value) in list)
            {
                Line(line, "        " + name + " = " + Source(value));
            }

            Line(yamlLine, "    }");
        }

        /// <summary>The YAML line of a 0-based .geomodel line (the nearest mapped line above it for unmapped ones).</summary>
        public int YamlLineOf(int line)
        {
            for (int i = Math.Min(line, _yamlLines.Count - 1); i >= 0; i--)
            {
                if (_yamlLines[i] > 0)
                {
                    return _yamlLines[i];
                }
            }

            return 1;
        }

        public override string ToString() => _text.ToString();
    }
}
