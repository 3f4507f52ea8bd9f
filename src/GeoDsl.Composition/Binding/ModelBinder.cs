using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Options;
using GeoDsl.Composition.Specs;
using GeoDsl.Composition.Syntax;
using GeoDsl.Composition.Text;

namespace GeoDsl.Composition.Binding;

/// <summary>The result of binding one model: the spec (null when the declaration has errors) and where its parts were written.</summary>
public sealed record BoundModel(string Name, ModelSpec? Spec, SpecLocations Locations);

/// <summary>
/// Resolves a model's syntax against the catalog: names, arguments, bands, sections. Reports each problem once
/// and keeps going, so one file shows all its mistakes. Shape rules run later, on the spec.
/// </summary>
public sealed class ModelBinder
{
    private static readonly string[] Tasks = { "segmentation", "regression", "classification" };

    private readonly ComponentCatalog _catalog;
    private readonly DiagnosticSink _diagnostics;
    private readonly TargetSpec _defaultTarget;

    /// <param name="options">The project's settings; they give the budget of models without <c>target</c> (the RTX 4090 unless set).</param>
    public ModelBinder(ComponentCatalog catalog, DiagnosticSink diagnostics, CompileOptions? options = null)
    {
        _catalog = catalog;
        _diagnostics = diagnostics;
        options ??= CompileOptions.Default;
        var card = options.TargetGpu is { } gpu ? Gpus.Find(gpu) : null;
        _defaultTarget = options.GpuMemoryGiB is { } gib ? Target(Gpus.Custom(gib, card), gib) : Target(card ?? Gpus.Default, null);
    }

    public BoundModel Bind(ModelSyntax model, string? ns)
    {
        var locations = new SpecLocations { ModelName = model.Name.IsMissing ? model.Keyword.Span : model.Name.Span };
        var arguments = new ArgumentBinder(_diagnostics, locations);
        int errorsBefore = _diagnostics.Count;
        string name = model.Name.IsMissing ? "Model" : model.Name.Text;
        if (!model.Name.IsMissing && GeneratedMembers.Conflict(name) is { } takenBy)
        {
            _diagnostics.Report(DiagnosticDescriptors.ReservedModelName, model.Name.Span, name, takenBy);
        }

        var sections = new Dictionary<string, SectionSyntax>();
        var necks = new List<SectionSyntax>();
        var auxiliary = new List<SectionSyntax>();
        foreach (var member in model.Body.Members)
        {
            string keyword = member.Keyword.Text;
            var current = member;
            if (member is AssignmentSyntax misplaced && ModelSections.SectionNames.Contains(keyword))
            {
                // 'backbone = prithvi_eo_v2_300': a section written as a setting. Report the '=' once, then read it as
                // the section it means, so its name and arguments are still checked and no "missing backbone" follows.
                string written = misplaced.Value is LiteralSyntax { IsIdentifier: true } choice ? $"{keyword} {choice.Token.Text}" : $"{keyword} {{ … }}";
                _diagnostics.Report(DiagnosticDescriptors.UnexpectedToken, misplaced.EqualsToken.Span, "'='", $"'{written}': a section takes no '='");
                SectionSyntax? meant = misplaced.Value switch
                {
                    LiteralSyntax { IsIdentifier: true } named => new SectionSyntax(misplaced.Keyword, named.Token, null),
                    ObjectSyntax withBody => new SectionSyntax(misplaced.Keyword, withBody.Name, withBody.Body),
                    _ => null,
                };
                if (meant is null)
                {
                    continue;
                }

                current = meant;
            }

            if (current is AssignmentSyntax || !ModelSections.SectionNames.Contains(keyword))
            {
                _diagnostics.Report(DiagnosticDescriptors.UnknownSection, member.Keyword.Span, keyword, $"model '{name}'",
                    Spelling.DidYouMean(keyword, ModelSections.SectionNames), string.Join(", ", ModelSections.SectionNames));
                continue;
            }

            var section = (SectionSyntax)current;
            if (keyword == "neck")
            {
                necks.Add(section);
            }
            else if (keyword == "aux_head")
            {
                auxiliary.Add(section);
            }
            else if (sections.TryGetValue(keyword, out var first))
            {
                _diagnostics.Report(DiagnosticDescriptors.DuplicateSection, section.Keyword.Span, keyword,
                    (_diagnostics.Text.GetPosition(first.Keyword.Span.Start).Line + 1).ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                sections[keyword] = section;
            }
        }

        var task = BindTask(model, sections.TryGetValue("head", out var headSection) ? headSection : null);
        var backbone = Require(sections, "backbone", model, name, "backbone prithvi_eo_v2_300") is { } backboneSection
            ? BindComponent(ComponentKind.Backbone, backboneSection, "backbone", arguments, locations)
            : null;
        var input = Require(sections, "input", model, name, "input { bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2] }") is { } inputSection
            ? BindInput(inputSection, backbone, arguments, locations)
            : null;
        var boundNecks = necks.Select((n, i) => BindComponent(ComponentKind.Neck, n, $"neck[{i}]", arguments, locations)).ToList();
        var decoder = Require(sections, "decoder", model, name, "decoder unet { channels = [512, 256, 128, 64] }") is { } decoderSection
            ? BindComponent(ComponentKind.Decoder, decoderSection, "decoder", arguments, locations)
            : null;
        var head = headSection is null ? null : BindComponent(ComponentKind.Head, headSection, "head", arguments, locations);
        var auxiliaryHeads = BindAuxiliaryHeads(auxiliary, task, arguments, locations, head, decoder);
        var train = BindTrain(sections.TryGetValue("train", out var trainSection) ? trainSection : null, task, arguments, locations);
        if (train is not null && !TrainingOptionChecks.Check(train, backbone, input, _catalog, locations, _diagnostics))
        {
            train = null;
        }

        var target = BindTarget(sections.TryGetValue("target", out var targetSection) ? targetSection : null, arguments, locations);
        if (train is { ClassWeights.Count: > 0 } weighted && (head?.Args.IntOrNull("num_classes") ?? decoder?.Args.IntOrNull("num_classes")) is { } classes
            && weighted.ClassWeights.Count != classes)
        {
            // TerraTorch weights the loss per class: one weight for each class the model predicts.
            _diagnostics.Report(DiagnosticDescriptors.ArgumentOutOfRange, locations.Find("train", "class_weights"), "class_weights", "train",
                $"one weight per class ({classes.ToString(CultureInfo.InvariantCulture)}, the '{(head is not null ? "head" : "decoder")}' num_classes)",
                $"{weighted.ClassWeights.Count.ToString(CultureInfo.InvariantCulture)} weight(s)");
            train = null;
        }

        // A model with a syntax error inside it (reported by the lexer or parser, before binding) is checked as far
        // as it goes, but yields no spec: the generator must not emit code for a declaration the user sees an error in.
        bool complete = _diagnostics.Diagnostics.Take(errorsBefore).All(d => d.Severity != DiagnosticSeverity.Error || !Contains(model.Span, d.Location.Span))
            && _diagnostics.Since(errorsBefore).All(d => d.Severity != DiagnosticSeverity.Error);
        if (!complete || task is null || input is null || backbone is null || decoder is null || train is null || target is null
            || boundNecks.Any(n => n is null) || auxiliaryHeads is null || (headSection is not null && head is null))
        {
            return new BoundModel(name, null, locations);
        }

        var spec = new ModelSpec(name, ns, task.Value, input, backbone, boundNecks.Select(n => n!).ToEquatableArray(), decoder, head,
            auxiliaryHeads.Value, train, target);
        return new BoundModel(name, spec, locations);
    }

    /// <summary>Whether <paramref name="inner"/> starts inside <paramref name="outer"/> (a token right after it does not).</summary>
    private static bool Contains(TextSpan outer, TextSpan inner) => inner.Start >= outer.Start && (inner.Start < outer.End || inner.Start == outer.Start);

    private ModelTask? BindTask(ModelSyntax model, SectionSyntax? head)
    {
        if (model.KindToken is { IsMissing: false } kind)
        {
            int index = Array.IndexOf(Tasks, kind.Text);
            if (index >= 0)
            {
                return (ModelTask)index;
            }

            _diagnostics.Report(DiagnosticDescriptors.UnknownTask, kind.Span, kind.Text, Spelling.DidYouMean(kind.Text, Tasks.Concat(new[] { VlmSections.Kind }).ToList()), Spelling.OneOf(Tasks));
            return null;
        }

        if (model.KindToken is { IsMissing: true })
        {
            return null; // The parser reported the missing task.
        }

        // Without ': task', the head names it (its names are the task names).
        if (head?.Name is { } headName && Array.IndexOf(Tasks, headName.Text) is var fromHead and >= 0)
        {
            return (ModelTask)fromHead;
        }

        if (model.Name.IsMissing)
        {
            return null; // 'model {': the parser reported the header once; a second diagnostic for it would be noise.
        }

        _diagnostics.Report(DiagnosticDescriptors.MissingSection, model.Name.Span, $"Model '{model.Name.Text}'", "task", $"model {model.Name.Text} : segmentation {{ … }}");
        return null;
    }

    private SectionSyntax? Require(Dictionary<string, SectionSyntax> sections, string keyword, ModelSyntax model, string name, string example)
    {
        if (sections.TryGetValue(keyword, out var section))
        {
            return section;
        }

        _diagnostics.Report(DiagnosticDescriptors.MissingSection, model.Name.IsMissing ? model.Keyword.Span : model.Name.Span,
            model.Name.IsMissing ? "This model" : $"Model '{name}'", keyword, example);
        return null;
    }

    private ComponentSpec? BindComponent(ComponentKind kind, SectionSyntax section, string path, ArgumentBinder arguments, SpecLocations locations)
    {
        string kindName = kind.ToString().ToLowerInvariant();
        if (section.Name is null)
        {
            _diagnostics.Report(DiagnosticDescriptors.SectionNeedsName, section.Keyword.Span, section.Keyword.Text, ExampleName(kind));
            return null;
        }

        locations.SetComponent(path, section.Name.Span);
        var descriptor = _catalog.Find(kind, section.Name.Text);
        if (descriptor is null && kind == ComponentKind.Backbone && Catalog.LanguageModels.LanguageModels.Find(section.Name.Text) is { } languageModel)
        {
            // A language model (Granite 4.0, Qwen2.5, …) is not an image backbone: say why and show the vlm composition that uses it.
            VlmBinder.ReportLanguageModelAsEncoder(_diagnostics, section.Name, languageModel, "an image backbone", languageModel.Name);
            return null;
        }

        if (descriptor is null)
        {
            var known = _catalog.Names(kind).ToList();
            _diagnostics.Report(DiagnosticDescriptors.UnknownComponent, section.Name.Span, kindName, section.Name.Text,
                Spelling.DidYouMean(section.Name.Text, known), KnownNames(section.Name.Text, known, kindName));
            return null;
        }

        var members = section.Body?.Members ?? Array.Empty<MemberSyntax>();
        var bound = arguments.Bind(descriptor.Parameters, members, descriptor.Title, path, section.Name.Span);
        return bound is { } args ? new ComponentSpec(descriptor.Name, args) : null;
    }

    /// <summary>A typical name of each kind, for "write it like this" messages.</summary>
    private string ExampleName(ComponentKind kind)
    {
        string typical = kind switch
        {
            ComponentKind.Backbone => "prithvi_eo_v2_300",
            ComponentKind.Neck => "select_indices",
            ComponentKind.Decoder => "unet",
            _ => "segmentation",
        };
        return _catalog.Find(kind, typical) is not null ? typical : _catalog.Names(kind).OrderBy(n => n, StringComparer.Ordinal).First();
    }

    /// <summary>
    /// The known names, closest first: all of them when there are few, else the nearest ten and a pointer to the full
    /// list (the backbone catalog has dozens of entries).
    /// </summary>
    private static string KnownNames(string typed, IReadOnlyList<string> known, string kindName)
    {
        const int Shown = 10;
        if (known.Count <= Shown)
        {
            return string.Join(", ", known.OrderBy(n => n, StringComparer.Ordinal));
        }

        var nearest = known.OrderBy(n => Spelling.Distance(typed.ToLowerInvariant(), n.ToLowerInvariant())).ThenBy(n => n, StringComparer.Ordinal).Take(Shown);
        return string.Join(", ", nearest) + $", … ({known.Count} in all; 'geodsl catalog --kind {kindName}' lists them)";
    }

    private InputSpec? BindInput(SectionSyntax section, ComponentSpec? backbone, ArgumentBinder arguments, SpecLocations locations)
    {
        locations.SetComponent("input", section.Keyword.Span);
        if (section.Name is { } stray)
        {
            _diagnostics.Report(DiagnosticDescriptors.UnexpectedToken, stray.Span, $"'{stray.Text}'", "'{' after 'input'");
            return null;
        }

        var bound = arguments.Bind(ModelSections.Input, section.Body?.Members ?? Array.Empty<MemberSyntax>(), "input", "input", section.Keyword.Span);
        if (bound is not { } args)
        {
            return null;
        }

        var list = new ArgumentList(args);
        var written = list.NameList("bands");
        var bands = new List<string>();
        bool ok = true;
        var seen = new HashSet<string>();
        var bandItems = section.Body!.Members.OfType<AssignmentSyntax>().First(a => a.Keyword.Text == "bands").Value as ListSyntax;
        for (int i = 0; i < written.Count; i++)
        {
            var span = bandItems?.Items[i].Span ?? section.Keyword.Span;
            if (Bands.Find(written[i]) is not { } band)
            {
                _diagnostics.Report(DiagnosticDescriptors.UnknownBand, span, written[i], Spelling.DidYouMean(written[i], Bands.Spellings), string.Join(", ", Bands.Names));
                ok = false;
            }
            else if (!seen.Add(band.Name))
            {
                _diagnostics.Report(DiagnosticDescriptors.DuplicateBand, span, band.Name == written[i] ? band.Name : $"{written[i]} ({band.Name})");
                ok = false;
            }
            else
            {
                bands.Add(band.Name); // Aliases (B04, red) are stored under the canonical name (RED).
            }
        }

        foreach (string statistic in new[] { "means", "stds" })
        {
            var values = list.DoubleList(statistic);
            if (list.Has(statistic) && values.Count != bands.Count)
            {
                _diagnostics.Report(DiagnosticDescriptors.StatisticsCountMismatch, locations.Find("input", statistic),
                    bands.Count.ToString(CultureInfo.InvariantCulture), values.Count.ToString(CultureInfo.InvariantCulture), statistic);
                ok = false;
            }
        }

        int defaultSize = backbone is null ? 224 : _catalog.FindBackbone(backbone.Name)?.DefaultImageSize ?? 224;
        var size = list.IntListOrNull("size") ?? new[] { defaultSize, defaultSize };
        return ok
            ? new InputSpec(bands.ToEquatableArray(), size[0], size[1], list.Int("frames"), list.DoubleList("means").ToEquatableArray(), list.DoubleList("stds").ToEquatableArray())
            : null;
    }

    private EquatableArray<AuxiliaryHeadSpec>? BindAuxiliaryHeads(List<SectionSyntax> sections, ModelTask? task, ArgumentBinder arguments, SpecLocations locations,
        ComponentSpec? mainHead, ComponentSpec? mainDecoder)
    {
        var heads = new List<AuxiliaryHeadSpec>();
        bool ok = true;
        var names = new HashSet<string>();
        foreach (var section in sections)
        {
            if (section.Name is null)
            {
                _diagnostics.Report(DiagnosticDescriptors.SectionNeedsName, section.Keyword.Span, "aux_head", "aux");
                ok = false;
                continue;
            }

            string name = section.Name.Text;
            string path = $"aux_head[{name}]";
            locations.SetComponent(path, section.Name.Span);
            if (!names.Add(name))
            {
                _diagnostics.Report(DiagnosticDescriptors.DuplicateArgument, section.Name.Span, name, "the auxiliary heads");
                ok = false;
                continue;
            }

            var members = section.Body?.Members ?? Array.Empty<MemberSyntax>();
            var decoderSection = members.OfType<SectionSyntax>().FirstOrDefault(m => m.Keyword.Text == "decoder");
            var headSection = members.OfType<SectionSyntax>().FirstOrDefault(m => m.Keyword.Text == "head");
            foreach (var repeated in members.OfType<SectionSyntax>().Where(m => (m.Keyword.Text == "decoder" && !ReferenceEquals(m, decoderSection)) || (m.Keyword.Text == "head" && !ReferenceEquals(m, headSection))))
            {
                var first = repeated.Keyword.Text == "decoder" ? decoderSection! : headSection!;
                _diagnostics.Report(DiagnosticDescriptors.DuplicateSection, repeated.Keyword.Span, repeated.Keyword.Text,
                    (_diagnostics.Text.GetPosition(first.Keyword.Span.Start).Line + 1).ToString(CultureInfo.InvariantCulture));
                ok = false;
            }
            foreach (var other in members.OfType<SectionSyntax>().Where(m => m.Keyword.Text is not ("decoder" or "head")))
            {
                _diagnostics.Report(DiagnosticDescriptors.UnknownSection, other.Keyword.Span, other.Keyword.Text, $"aux_head '{name}'",
                    Spelling.DidYouMean(other.Keyword.Text, new[] { "decoder", "head" }), "decoder, head, weight");
                ok = false;
            }

            var settings = arguments.Bind(ModelSections.AuxiliaryHead, members.OfType<AssignmentSyntax>().ToList(), $"aux_head '{name}'", path, section.Name.Span);
            if (decoderSection is null)
            {
                _diagnostics.Report(DiagnosticDescriptors.MissingSection, section.Name.Span, $"aux_head '{name}'", "decoder", "decoder fcn { channels = 256, num_convs = 2 }");
                ok = false;
                continue;
            }

            var decoder = BindComponent(ComponentKind.Decoder, decoderSection, path + ".decoder", arguments, locations);
            ComponentSpec? head = null;
            if (task is { } t)
            {
                // The auxiliary head predicts what the model predicts: the task's head, with its own settings.
                var headDescriptor = _catalog.Heads.First(h => h.Task == t);
                locations.SetComponent(path + ".head", headSection?.Keyword.Span ?? section.Name.Span);
                var headArgs = arguments.Bind(headDescriptor.Parameters.Where(p => !IsOutputCount(p.Name)).ToList(),
                    headSection?.Body?.Members ?? Array.Empty<MemberSyntax>(), $"aux_head '{name}' head", path + ".head", headSection?.Keyword.Span ?? section.Name.Span);
                head = headArgs is { } h ? WithMainOutputs(headDescriptor, h, mainHead, mainDecoder, name, section.Name.Span) : null;
                if (headSection?.Name is { } headName && headName.Text != headDescriptor.Name)
                {
                    // The head of an auxiliary head is the task's; a different name would be silently ignored.
                    _diagnostics.Report(DiagnosticDescriptors.UnexpectedToken, headName.Span, $"'{headName.Text}'",
                        $"'head {{ … }}' or 'head {headDescriptor.Name} {{ … }}': an auxiliary head predicts what the model predicts");
                    head = null;
                }
            }

            if (decoder is null || head is null || settings is null)
            {
                ok = false;
                continue;
            }

            heads.Add(new AuxiliaryHeadSpec(name, decoder, head, new ArgumentList(settings.Value).Double("weight")));
        }

        return ok ? heads.ToEquatableArray() : null;
    }

    private static bool IsOutputCount(string parameter) => parameter is "num_classes" or "num_outputs";

    /// <summary>An auxiliary head predicts what the model predicts: it takes the class (or output) count of the main head.</summary>
    private ComponentSpec? WithMainOutputs(ComponentDescriptor head, EquatableArray<Argument> own, ComponentSpec? mainHead, ComponentSpec? mainDecoder, string name, TextSpan at)
    {
        var arguments = new List<Argument>();
        foreach (var parameter in head.Parameters)
        {
            if (!IsOutputCount(parameter.Name))
            {
                arguments.Add(own.First(a => a.Name == parameter.Name));
                continue;
            }

            var value = mainHead?.Args.Find(parameter.Name) ?? mainDecoder?.Args.Find("num_classes") ?? parameter.Default;
            if (value is null)
            {
                _diagnostics.Report(DiagnosticDescriptors.MissingArgument, at, $"aux_head '{name}'", parameter.Name, "it predicts what the model's head predicts; give the model a head");
                return null;
            }

            arguments.Add(new Argument(parameter.Name, value));
        }

        return new ComponentSpec(head.Name, arguments.ToEquatableArray());
    }

    private TrainSpec? BindTrain(SectionSyntax? section, ModelTask? task, ArgumentBinder arguments, SpecLocations locations)
    {
        if (section is not null)
        {
            locations.SetComponent("train", section.Keyword.Span);
        }

        var members = section?.Body?.Members ?? Array.Empty<MemberSyntax>();
        var bound = arguments.Bind(ModelSections.Train, members, "train", "train", section?.Keyword.Span ?? locations.ModelName);
        if (bound is not { } args || task is not { } t)
        {
            return null;
        }

        var list = new ArgumentList(args);
        var losses = ModelSections.Losses[t];
        string loss = list.NameOrNull("loss") ?? losses[0];
        if (!losses.Contains(loss))
        {
            _diagnostics.Report(DiagnosticDescriptors.ArgumentOutOfRange, locations.Find("train", "loss"), "loss", $"a {t.ToString().ToLowerInvariant()} model",
                "one of " + Spelling.OneOf(losses), $"'{loss}'");
            return null;
        }

        var precision = list.Name("precision") switch
        {
            "fp16_mixed" => Precision.Fp16Mixed,
            "bf16_mixed" => Precision.Bf16Mixed,
            "bf16" => Precision.Bf16,
            _ => Precision.Fp32,
        };
        return new TrainSpec(list.Int("batch_size"), list.Int("epochs"), precision, list.Object("optimizer"), loss, list.Int("ignore_index"),
            list.DoubleList("class_weights").ToEquatableArray(), list.Bool("freeze_backbone"), list.Bool("freeze_decoder"),
            list.Bool("gradient_checkpointing"), list.Int("seed"),
            PeftConfig: list.Find("peft_config") as ObjectValue,
            Scheduler: list.Find("scheduler") as ObjectValue,
            Attention: list.Name("attention") == "materialized" ? AttentionImplementation.Materialized : AttentionImplementation.Fused,
            AccumulateGradBatches: list.Int("accumulate_grad_batches"),
            GradientClipValue: list.Double("gradient_clip_val"),
            EarlyStoppingPatience: list.Int("early_stopping_patience"),
            StageLearningRates: StageRates(list));
    }

    // Null when no stage has its own rate, so a train block without them equals the defaults.
    private static StageLearningRates? StageRates(ArgumentList list)
    {
        var rates = new StageLearningRates(list.DoubleOrNull("backbone_lr"), list.DoubleOrNull("neck_lr"), list.DoubleOrNull("decoder_lr"), list.DoubleOrNull("head_lr"));
        return rates.IsEmpty ? null : rates;
    }

    /// <summary>Also binds a <c>vlm</c> model's target (one rule for budgets).</summary>
    internal TargetSpec? BindTarget(SectionSyntax? section, ArgumentBinder arguments, SpecLocations locations)
    {
        if (section is null)
        {
            return _defaultTarget;
        }

        locations.SetComponent("target", section.Name?.Span ?? section.Keyword.Span);
        var members = section.Body?.Members ?? Array.Empty<MemberSyntax>();
        if (section.Name is null && members.Count == 0)
        {
            _diagnostics.Report(DiagnosticDescriptors.SectionNeedsName, section.Keyword.Span, "target", Gpus.Default.Name);
            return null;
        }

        Gpu? card = null;
        if (section.Name is { } name)
        {
            card = Gpus.Find(name.Text);
            if (card is null)
            {
                var names = Gpus.Names.ToList();
                _diagnostics.Report(DiagnosticDescriptors.UnknownComponent, name.Span, "GPU", name.Text,
                    Spelling.DidYouMean(name.Text, names), string.Join(", ", names) + " (or 'target { memory_gib = 20 }' for a budget)");
                return null;
            }
        }

        var bound = arguments.Bind(ModelSections.Target, members, card is null ? "target" : $"target '{card.Name}'", "target", section.Name?.Span ?? section.Keyword.Span);
        if (bound is not { } args)
        {
            return null;
        }

        if (new ArgumentList(args).DoubleOrNull("memory_gib") is not { } gib)
        {
            return card is null ? null : Target(card, null);
        }

        if (card is not null && gib * 1024 > card.MemoryMiB)
        {
            // A budget can only take away from the card: more than it has would hide a model that cannot fit.
            _diagnostics.Report(DiagnosticDescriptors.ArgumentOutOfRange, locations.Find("target", "memory_gib"), "memory_gib", $"target '{card.Name}'",
                $"at most the card's {card.MemoryGiB.ToString("0.##", CultureInfo.InvariantCulture)} GiB", gib.ToString("0.###", CultureInfo.InvariantCulture));
            return null;
        }

        return Target(Gpus.Custom(gib, card), gib);
    }

    private static TargetSpec Target(Gpu gpu, double? memoryGiB) => new(gpu.Name, gpu.MemoryBytes, gpu.DisplayName, memoryGiB);
}
