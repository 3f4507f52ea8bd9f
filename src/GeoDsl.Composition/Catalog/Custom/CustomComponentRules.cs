using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Shapes;

namespace GeoDsl.Composition.Catalog.Custom;

/// <summary>One thing wrong with a declaration: the rule, the attribute property it concerns (null: the whole attribute) and the message arguments.</summary>
public sealed record CustomDeclarationProblem(DiagnosticDescriptor Descriptor, string? Property, EquatableArray<string> Arguments)
{
    public string Message => string.Format(CultureInfo.InvariantCulture, Descriptor.MessageFormat, Arguments.Cast<object>().ToArray());
}

/// <summary>
/// The consistency rules of a custom component's declaration (GEO1040–GEO1044). The analyzer reports them on the
/// attribute; the catalog leaves out a declaration that breaks one, so nothing downstream works from a contract that
/// cannot hold; the runtime throws them.
/// </summary>
public static class CustomComponentRules
{
    private static readonly Regex NamePattern = new("^[a-z][a-z0-9_]*$");

    public static IReadOnlyList<CustomDeclarationProblem> Check(CustomComponentDeclaration d, ComponentCatalog builtIn)
    {
        var problems = new List<CustomDeclarationProblem>();
        void Add(DiagnosticDescriptor rule, string? property, params string[] args) => problems.Add(new(rule, property, args.ToEquatableArray()));
        string title = d.Title;

        if (!NamePattern.IsMatch(d.Name))
        {
            Add(DiagnosticDescriptors.CustomDeclarationInvalid, null, title, "the name is not a .geomodel name", "use lower-case letters, digits and '_', starting with a letter (e.g. \"my_encoder\")");
        }
        else if (builtIn.Find(d.Kind, d.Name) is not null)
        {
            Add(DiagnosticDescriptors.CustomClassMismatch, null, title, $"the catalog already has a {d.Kind.ToString().ToLowerInvariant()} of this name", "choose another name, e.g. \"my_" + d.Name + "\"");
        }

        if (d.ClassProblem is { } classProblem)
        {
            Add(DiagnosticDescriptors.CustomClassMismatch, null, title, classProblem, FixFor(d.Kind));
        }

        FeatureKind? output = Kind(d, "Output", d.Output, required: d.Kind is ComponentKind.Backbone or ComponentKind.Neck, Add);
        FeatureKind? input = d.Kind == ComponentKind.Backbone ? null : Kind(d, "Input", d.Input, required: d.Kind == ComponentKind.Neck, Add);
        PowerOfTwo(d, "PaddingMultiple", d.PaddingMultiple, allowZero: true, Add);
        PowerOfTwo(d, "Upscale", d.Upscale, allowZero: false, Add);
        Positive(d, d.Channels, "Channels", Add);
        Positive(d, d.InputChannels, "InputChannels", Add);

        switch (d.Kind)
        {
            case ComponentKind.Backbone:
                CheckBackbone(d, output, Add);
                break;
            case ComponentKind.Decoder:
                if (input is { } decoderInput && decoderInput != FeatureKind.Maps)
                {
                    Add(DiagnosticDescriptors.CustomDeclarationInvalid, "Input", title, $"a decoder takes channel-first maps, not {FeatureShape.Describe(decoderInput)}", "remove Input or set Input = \"maps\"");
                }

                if (d.Channels.Count != 1)
                {
                    Add(DiagnosticDescriptors.CustomDeclarationInvalid, "Channels", title, $"a decoder gives one map but Channels has {d.Channels.Count} entries", "give its output width, e.g. Channels = new[] { 256 }");
                }

                break;
            case ComponentKind.Head:
                if (d.Task is not ("segmentation" or "regression" or "classification"))
                {
                    Add(DiagnosticDescriptors.CustomDeclarationInvalid, "Task", title, $"Task \"{d.Task}\" is not a task", "use \"segmentation\", \"regression\" or \"classification\"");
                }

                break;
        }

        return problems;
    }

    private static void CheckBackbone(CustomComponentDeclaration d, FeatureKind? output, System.Action<DiagnosticDescriptor, string?, string[]> add)
    {
        string title = d.Title;
        if (d.Bands.Count > 0 && d.InChannels > 0 && d.Bands.Count != d.InChannels)
        {
            add(DiagnosticDescriptors.CustomListsDisagree, "Bands", new[] { title, $"{d.Bands.Count} Bands but InChannels = {d.InChannels}", "give one band per input channel, or only one of the two" });
        }

        if (d.InChannels < 0 || d.Frames < 1 || d.DefaultSize < 1)
        {
            add(DiagnosticDescriptors.CustomDeclarationInvalid, d.Frames < 1 ? "Frames" : d.DefaultSize < 1 ? "DefaultSize" : "InChannels",
                new[] { title, $"InChannels {d.InChannels}, Frames {d.Frames}, DefaultSize {d.DefaultSize}", "InChannels is 0 (any) or more, Frames and DefaultSize at least 1" });
        }

        switch (output)
        {
            case FeatureKind.Maps or FeatureKind.ChannelLastMaps:
                if (d.Channels.IsEmpty)
                {
                    add(DiagnosticDescriptors.CustomDeclarationInvalid, "Channels", new[] { title, "map outputs need their channels", "e.g. Channels = new[] { 64, 128, 256, 512 }, Strides = new[] { 4, 8, 16, 32 }" });
                }
                else if (d.Strides.Count != d.Channels.Count)
                {
                    add(DiagnosticDescriptors.CustomListsDisagree, "Strides", new[] { title, $"channels for {d.Channels.Count} outputs but strides for {d.Strides.Count}", "give one stride per output map" });
                }

                foreach (int stride in d.Strides)
                {
                    PowerOfTwo(d, "Strides", stride, allowZero: false, add);
                }

                if (d.PaddingMultiple > 0 && d.Strides.Count > 0 && d.PaddingMultiple % d.Strides.Max() != 0)
                {
                    add(DiagnosticDescriptors.CustomDeclarationInvalid, "PaddingMultiple", new[] { title, $"PaddingMultiple {d.PaddingMultiple} is smaller than the largest stride {d.Strides.Max()}", "pad to a multiple of the largest stride, or leave PaddingMultiple out" });
                }

                if (d.TokenWidth != 0 || d.PatchSize != 0)
                {
                    add(DiagnosticDescriptors.CustomDeclarationInvalid, "TokenWidth", new[] { title, "TokenWidth and PatchSize describe token outputs, but Output is " + d.Output, "remove them or set Output = \"tokens\"" });
                }

                break;
            case FeatureKind.Tokens:
                if (d.TokenWidth <= 0 || d.PatchSize <= 0 || d.TokenOutputs < 1)
                {
                    add(DiagnosticDescriptors.CustomDeclarationInvalid, d.TokenWidth <= 0 ? "TokenWidth" : d.PatchSize <= 0 ? "PatchSize" : "TokenOutputs",
                        new[] { title, $"token outputs need TokenWidth > 0, PatchSize > 0 and TokenOutputs ≥ 1 (got {d.TokenWidth}, {d.PatchSize}, {d.TokenOutputs})", "e.g. TokenWidth = 768, PatchSize = 16" });
                }

                PowerOfTwo(d, "PatchSize", d.PatchSize, allowZero: true, add);
                if (!d.Channels.IsEmpty || !d.Strides.IsEmpty)
                {
                    add(DiagnosticDescriptors.CustomDeclarationInvalid, "Channels", new[] { title, "token outputs are described by TokenWidth and PatchSize, not Channels and Strides", "remove Channels and Strides" });
                }

                break;
            case FeatureKind.Pooled:
                if (d.Channels.IsEmpty || !d.Strides.IsEmpty)
                {
                    add(DiagnosticDescriptors.CustomDeclarationInvalid, "Channels", new[] { title, "pooled outputs have channels and no strides", "e.g. Channels = new[] { 2048 } and no Strides" });
                }

                break;
        }
    }

    private static FeatureKind? Kind(CustomComponentDeclaration d, string property, string text, bool required,
        System.Action<DiagnosticDescriptor, string?, string[]> add)
    {
        if (text.Length == 0)
        {
            if (required)
            {
                add(DiagnosticDescriptors.CustomDeclarationInvalid, null, new[] { d.Title, $"{property} is missing", $"declare the feature kind, e.g. {property} = \"maps\"" });
            }

            return d.Kind is ComponentKind.Decoder or ComponentKind.Head ? FeatureKind.Maps : null;
        }

        if (CustomComponentDeclaration.ParseKind(text) is { } kind)
        {
            return kind;
        }

        add(DiagnosticDescriptors.CustomUnknownFeatureKind, property, new[] { d.Title, property, text, Spelling.DidYouMean(text, CustomComponentDeclaration.KindNames) });
        return null;
    }

    private static void PowerOfTwo(CustomComponentDeclaration d, string property, int value, bool allowZero, System.Action<DiagnosticDescriptor, string?, string[]> add)
    {
        bool ok = (allowZero && value == 0) || (value > 0 && (value & (value - 1)) == 0);
        if (!ok)
        {
            add(DiagnosticDescriptors.CustomNotPowerOfTwo, property, new[] { d.Title, property, value.ToString(CultureInfo.InvariantCulture) });
        }
    }

    private static void Positive(CustomComponentDeclaration d, EquatableArray<int> values, string property, System.Action<DiagnosticDescriptor, string?, string[]> add)
    {
        if (values.Any(v => v <= 0))
        {
            add(DiagnosticDescriptors.CustomDeclarationInvalid, property, new[] { d.Title, $"{property} [{string.Join(", ", values)}] has an entry below 1", "every channel count is at least 1" });
        }
    }

    private static string FixFor(ComponentKind kind) => kind switch
    {
        ComponentKind.Backbone => "derive from GeoDsl.Runtime.Features.Backbone<TFeatures> with the declared feature kind, and give it a public constructor taking ComponentBuild or none",
        ComponentKind.Neck => "derive from GeoDsl.Runtime.Features.Neck<TIn, TOut> with the declared kinds, and give it a public constructor taking ComponentBuild or none",
        ComponentKind.Decoder => "derive from GeoDsl.Runtime.Features.Decoder, and give it a public constructor taking ComponentBuild or none",
        _ => "derive from GeoDsl.Runtime.Features.Head, and give it a public constructor taking ComponentBuild or none",
    };
}
