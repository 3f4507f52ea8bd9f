using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.LanguageModels;
using GeoDsl.Composition.Catalog.VisionTowers;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Options;
using GeoDsl.Composition.Specs;
using GeoDsl.Composition.Syntax;
using GeoDsl.Composition.Text;

namespace GeoDsl.Composition.Binding;

/// <summary>The result of binding one <c>vlm</c> model: the spec (null when the declaration has errors) and where its parts were written.</summary>
public sealed record BoundVlm(string Name, VlmSpec? Spec, SpecLocations Locations);

/// <summary>
/// Resolves a <c>model X : vlm { … }</c> declaration: the vision encoder (a VLM tower or a catalog backbone), the projector,
/// the language model, tiling, context and training modes. A language model named where an image encoder belongs (or the
/// reverse) is GEO1103/GEO1104 with the composition that would work. Shares the argument binder and the target rule with
/// <see cref="ModelBinder"/>.
/// </summary>
public sealed class VlmBinder
{
    private readonly ComponentCatalog _catalog;
    private readonly DiagnosticSink _diagnostics;
    private readonly ModelBinder _models;

    public VlmBinder(ComponentCatalog catalog, DiagnosticSink diagnostics, CompileOptions? options = null)
    {
        _catalog = catalog;
        _diagnostics = diagnostics;
        _models = new ModelBinder(catalog, diagnostics, options);
    }

    public BoundVlm Bind(ModelSyntax model, string? ns)
    {
        var locations = new SpecLocations { ModelName = model.Name.IsMissing ? model.Keyword.Span : model.Name.Span };
        var arguments = new ArgumentBinder(_diagnostics, locations);
        int errorsBefore = _diagnostics.Count;
        string name = model.Name.IsMissing ? "Model" : model.Name.Text;
        var sections = new Dictionary<string, SectionSyntax>();
        foreach (var member in model.Body.Members)
        {
            string keyword = member.Keyword.Text;
            if (member is not SectionSyntax section || !VlmSections.SectionNames.Contains(keyword))
            {
                _diagnostics.Report(DiagnosticDescriptors.UnknownSection, member.Keyword.Span, keyword, $"vlm model '{name}'",
                    Spelling.DidYouMean(keyword, VlmSections.SectionNames), string.Join(", ", VlmSections.SectionNames));
                continue;
            }

            if (sections.TryGetValue(keyword, out var first))
            {
                _diagnostics.Report(DiagnosticDescriptors.DuplicateSection, section.Keyword.Span, keyword,
                    (_diagnostics.Text.GetPosition(first.Keyword.Span.Start).Line + 1).ToString(CultureInfo.InvariantCulture));
                continue;
            }

            sections[keyword] = section;
        }

        var languageSection = sections.TryGetValue("language_model", out var l) ? l : null;
        if (languageSection is null)
        {
            _diagnostics.Report(DiagnosticDescriptors.MissingSection, locations.ModelName, $"Model '{name}'", "language_model", "language_model qwen2_5_3b");
        }

        var language = languageSection is null ? null : BindLanguageModel(languageSection, arguments, locations);
        var vision = sections.TryGetValue("vision", out var v) ? BindVision(v, arguments, locations, language) : null;
        var projector = sections.TryGetValue("projector", out var p) ? BindProjector(p, arguments, locations) : null;
        if (sections.ContainsKey("vision") != sections.ContainsKey("projector"))
        {
            // A text-only model has neither; a vision encoder needs a projector to reach the language model, and a projector a tower to project.
            bool needsProjector = sections.ContainsKey("vision");
            string example = needsProjector
                ? "projector " + (vision is { } bound && VisionTowers.Find(bound.Name) is { } tower ? Projectors.Native(tower.Merge) : "mlp2x_gelu")
                : "vision intern_vit_300m_448px";
            _diagnostics.Report(DiagnosticDescriptors.MissingSection, locations.ModelName, $"Model '{name}'", needsProjector ? "projector" : "vision", example);
        }

        var images = Settings(sections, "images", VlmSections.Images, arguments, locations);
        var text = Settings(sections, "text", VlmSections.Text, arguments, locations);
        var train = Settings(sections, "train", VlmSections.Train, arguments, locations);
        var target = _models.BindTarget(sections.TryGetValue("target", out var t) ? t : null, arguments, locations);

        bool complete = _diagnostics.Since(errorsBefore).All(d => d.Severity != DiagnosticSeverity.Error)
            && !_diagnostics.Diagnostics.Take(errorsBefore).Any(d => d.Severity == DiagnosticSeverity.Error && d.Location.Span.Start >= model.Span.Start && d.Location.Span.Start < model.Span.End);
        if (!complete || language is null || images is not { } imageArgs || text is not { } textArgs || train is not { } trainArgs || target is null
            || (sections.ContainsKey("vision") && (vision is null || projector is null)))
        {
            return new BoundVlm(name, null, locations);
        }

        int defaultTile = vision is null ? 448 : VisionTowers.Find(vision.Name)?.ImageSize ?? _catalog.FindBackbone(vision.Name)?.DefaultImageSize ?? 224;
        var tiling = new ImageTilingSpec(imageArgs.IntOrNull("tile_size") ?? defaultTile, imageArgs.Int("max_tiles"), imageArgs.Bool("thumbnail"), imageArgs.Int("per_sample"));
        var trainSpec = new VlmTrainSpec(trainArgs.Int("batch_size"), trainArgs.Int("epochs"), Precisions(trainArgs.Name("precision")), trainArgs.Object("optimizer"),
            trainArgs.Bool("gradient_checkpointing"), trainArgs.Name("attention") == "materialized" ? AttentionImplementation.Materialized : AttentionImplementation.Fused,
            trainArgs.Int("seed"), trainArgs.Object("vision"), trainArgs.Object("projector"), trainArgs.Object("language_model"));
        var bands = vision is null ? EquatableArray<string>.Empty : VisionBands(vision.Name);
        var spec = new VlmSpec(name, ns, vision, bands, projector, language, tiling, textArgs.Int("context_length"), trainSpec, target);
        return new BoundVlm(name, spec, locations);
    }

    /// <summary>The bands a catalog backbone encodes as a VLM's vision encoder: its pretraining bands, else RGB (the towers take RGB).</summary>
    public EquatableArray<string> VisionBands(string visionName) =>
        (_catalog.FindBackbone(visionName) is { PretrainedBands.Count: > 0 } backbone ? backbone.PretrainedBands : new[] { "RED", "GREEN", "BLUE" }).ToEquatableArray();

    private static Precision Precisions(string written) => written switch
    {
        "fp16_mixed" => Precision.Fp16Mixed,
        "bf16_mixed" => Precision.Bf16Mixed,
        "bf16" => Precision.Bf16,
        _ => Precision.Fp32,
    };

    private ArgumentList? Settings(Dictionary<string, SectionSyntax> sections, string keyword, IReadOnlyList<ParameterInfo> parameters, ArgumentBinder arguments, SpecLocations locations)
    {
        var section = sections.TryGetValue(keyword, out var s) ? s : null;
        if (section is not null)
        {
            locations.SetComponent(keyword, section.Keyword.Span);
            if (section.Name is { } stray)
            {
                _diagnostics.Report(DiagnosticDescriptors.UnexpectedToken, stray.Span, $"'{stray.Text}'", $"'{{' after '{keyword}'");
                return null;
            }
        }

        var bound = arguments.Bind(parameters, section?.Body?.Members ?? Array.Empty<MemberSyntax>(), keyword, keyword, section?.Keyword.Span ?? locations.ModelName);
        return bound is { } args ? new ArgumentList(args) : null;
    }

    private ComponentSpec? BindLanguageModel(SectionSyntax section, ArgumentBinder arguments, SpecLocations locations)
    {
        if (section.Name is not { } nameToken)
        {
            _diagnostics.Report(DiagnosticDescriptors.SectionNeedsName, section.Keyword.Span, "language_model", "qwen2_5_3b");
            return null;
        }

        locations.SetComponent("language_model", nameToken.Span);
        string name = nameToken.Text;
        if (LanguageModels.Find(name) is null)
        {
            if (DescribeImageEncoder(name) is { } encoder)
            {
                _diagnostics.Report(DiagnosticDescriptors.ImageEncoderAsLanguageModel, nameToken.Span, name, encoder,
                    $"'vision {name}', 'projector {ProjectorFor(name)}', 'language_model qwen2_5_3b'");
            }
            else
            {
                _diagnostics.Report(DiagnosticDescriptors.UnknownComponent, nameToken.Span, "language model", name,
                    Spelling.DidYouMean(name, VlmSections.LanguageModelNames.ToList()), string.Join(", ", VlmSections.LanguageModelNames));
            }

            return null;
        }

        var bound = arguments.Bind(VlmSections.LanguageModel, section.Body?.Members ?? Array.Empty<MemberSyntax>(), $"language model '{name}'", "language_model", nameToken.Span);
        return bound is { } args ? new ComponentSpec(name, args) : null;
    }

    private ComponentSpec? BindVision(SectionSyntax section, ArgumentBinder arguments, SpecLocations locations, ComponentSpec? language)
    {
        if (section.Name is not { } nameToken)
        {
            _diagnostics.Report(DiagnosticDescriptors.SectionNeedsName, section.Keyword.Span, "vision", "intern_vit_300m_448px");
            return null;
        }

        locations.SetComponent("vision", nameToken.Span);
        string name = nameToken.Text;
        var members = section.Body?.Members ?? Array.Empty<MemberSyntax>();
        if (VisionTowers.Find(name) is not null)
        {
            var towerArgs = arguments.Bind(Array.Empty<ParameterInfo>(), members, $"vision '{name}'", "vision", nameToken.Span);
            return towerArgs is { } args ? new ComponentSpec(name, args) : null;
        }

        if (_catalog.FindBackbone(name) is { } backbone)
        {
            var backboneArgs = arguments.Bind(backbone.Parameters, members, backbone.Title, "vision", nameToken.Span);
            return backboneArgs is { } args ? new ComponentSpec(name, args) : null;
        }

        if (LanguageModels.Find(name) is { } model)
        {
            ReportLanguageModelAsEncoder(_diagnostics, nameToken, model, "the vision encoder", language?.Name ?? name);
            return null;
        }

        var known = VlmSections.VisionNames(_catalog).ToList();
        _diagnostics.Report(DiagnosticDescriptors.UnknownComponent, nameToken.Span, "vision encoder", name, Spelling.DidYouMean(name, known), string.Join(", ", VisionTowers.Names) + ", or any backbone ('geodsl catalog --kind backbone')");
        return null;
    }

    private ComponentSpec? BindProjector(SectionSyntax section, ArgumentBinder arguments, SpecLocations locations)
    {
        if (section.Name is not { } nameToken)
        {
            _diagnostics.Report(DiagnosticDescriptors.SectionNeedsName, section.Keyword.Span, "projector", "pixel_shuffle_mlp");
            return null;
        }

        locations.SetComponent("projector", nameToken.Span);
        if (!Projectors.IsKnown(nameToken.Text))
        {
            _diagnostics.Report(DiagnosticDescriptors.UnknownComponent, nameToken.Span, "projector", nameToken.Text, Spelling.DidYouMean(nameToken.Text, Projectors.Names), string.Join(", ", Projectors.Names));
            return null;
        }

        var bound = arguments.Bind(Projectors.Parameters(nameToken.Text), section.Body?.Members ?? Array.Empty<MemberSyntax>(), $"projector '{nameToken.Text}'", "projector", nameToken.Span);
        return bound is { } args ? new ComponentSpec(nameToken.Text, args) : null;
    }

    /// <summary>GEO1103 for a language model named where an image encoder belongs (here, or as a segmentation model's backbone).</summary>
    internal static void ReportLanguageModelAsEncoder(DiagnosticSink diagnostics, SyntaxToken nameToken, LanguageModelConfig model, string role, string languageModel) =>
        diagnostics.Report(DiagnosticDescriptors.LanguageModelAsImageEncoder, nameToken.Span, model.Name, model.Describe(), role,
            $"'vision intern_vit_300m_448px', 'projector pixel_shuffle_mlp', 'language_model {languageModel}'");

    /// <summary>What an image encoder is, in words, or null when the name is none.</summary>
    private string? DescribeImageEncoder(string name) =>
        VisionTowers.Find(name) is { } tower
            ? $"a {tower.Width}-wide ViT, {tower.Layers} blocks, patch {tower.PatchSize} at {tower.ImageSize} px"
            : _catalog.FindBackbone(name) is { } backbone ? "a backbone of the image catalog: " + backbone.Summary : null;

    private static string ProjectorFor(string visionName) => VisionTowers.Find(visionName) is { } tower ? Projectors.Native(tower.Merge) : "mlp2x_gelu";
}
