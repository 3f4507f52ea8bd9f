using System.Collections.Generic;
using System.Linq;
using System.Threading;
using GeoDsl.Composition.Attributes;
using GeoDsl.Composition.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TextSpan = GeoDsl.Composition.Text.TextSpan;

namespace GeoDsl.Generators.Parsing;

/// <summary>
/// Reads a <c>[GeoModel]</c> class into an <see cref="AttributedModelDeclaration"/>: plain strings and spans the
/// front end compiles like a <c>.geomodel</c> file. Shared by the generator and the analyzers, so both see the same model.
/// </summary>
public static class AttributedModelReader
{
    public const string GeoModelAttribute = "GeoDsl.GeoModelAttribute";

    private static readonly Dictionary<string, string> Sections = new()
    {
        ["GeoDsl.GeoInputAttribute"] = "input",
        ["GeoDsl.GeoBackboneAttribute"] = "backbone",
        ["GeoDsl.GeoNeckAttribute"] = "neck",
        ["GeoDsl.GeoDecoderAttribute"] = "decoder",
        ["GeoDsl.GeoHeadAttribute"] = "head",
        ["GeoDsl.GeoAuxiliaryHeadAttribute"] = "aux_head",
        ["GeoDsl.GeoTrainAttribute"] = "train",
        ["GeoDsl.GeoTargetAttribute"] = "target",
        ["GeoDsl.GeoVisionAttribute"] = "vision",
        ["GeoDsl.GeoProjectorAttribute"] = "projector",
        ["GeoDsl.GeoLanguageModelAttribute"] = "language_model",
        ["GeoDsl.GeoImagesAttribute"] = "images",
        ["GeoDsl.GeoTextAttribute"] = "text",
    };

    /// <summary>
    /// Why the generator cannot add a model to this class (what it must be, and how to get there), or null when it can:
    /// the class must be <c>partial</c>, not generic, and declared directly in a namespace.
    /// </summary>
    public static (string Requirement, string Fix)? ShapeProblem(INamedTypeSymbol type, ClassDeclarationSyntax declaration)
    {
        if (!declaration.Modifiers.Any(m => m.IsKind(SyntaxKind.PartialKeyword)))
        {
            return ("partial", $"declare it 'partial class {type.Name}'");
        }

        if (type.IsGenericType)
        {
            return ("non-generic", "remove its type parameters (the model fixes every type)");
        }

        if (type.ContainingType is not null)
        {
            return ("declared directly in a namespace", $"move it out of '{type.ContainingType.Name}'");
        }

        return null;
    }

    /// <summary>The declaration, or null when the class carries no readable <c>[GeoModel]</c>.</summary>
    public static AttributedModelDeclaration? Read(INamedTypeSymbol type, ClassDeclarationSyntax declaration, CancellationToken cancellation)
    {
        var attributes = type.GetAttributes()
            .Where(a => a.ApplicationSyntaxReference?.SyntaxTree == declaration.SyntaxTree)
            .OrderBy(a => a.ApplicationSyntaxReference!.Span.Start)
            .ToList();
        var model = attributes.FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == GeoModelAttribute);
        if (model is null || Argument(model, 0, cancellation) is not { } task)
        {
            return null;
        }

        var sections = new List<AttributeSection>();
        foreach (var attribute in attributes)
        {
            if (attribute.AttributeClass is null || !Sections.TryGetValue(attribute.AttributeClass.ToDisplayString(), out string? keyword))
            {
                continue;
            }

            var span = Span(attribute.ApplicationSyntaxReference!.Span);
            // input, train, images and text take one arguments string; target takes a GPU name; the others a name and arguments.
            var section = keyword switch
            {
                "input" or "train" or "images" or "text" => new AttributeSection(keyword, span, null, Argument(attribute, 0, cancellation)),
                "target" => new AttributeSection(keyword, span, Argument(attribute, 0, cancellation), null),
                _ => new AttributeSection(keyword, span, Argument(attribute, 0, cancellation), Argument(attribute, 1, cancellation)),
            };
            sections.Add(section);
        }

        string? ns = type.ContainingNamespace is { IsGlobalNamespace: false } containing ? containing.ToDisplayString() : null;
        return new AttributedModelDeclaration(
            declaration.SyntaxTree.FilePath,
            type.Name,
            Span(declaration.Identifier.Span),
            ns,
            task,
            sections.ToEquatableArray());
    }

    /// <summary>A string argument with its position; when the literal's characters are its value, with their exact start.</summary>
    private static AttributeArgument? Argument(AttributeData attribute, int index, CancellationToken cancellation)
    {
        if (index >= attribute.ConstructorArguments.Length || attribute.ConstructorArguments[index].Value is not string value)
        {
            return null;
        }

        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellation) as AttributeSyntax;
        var arguments = syntax?.ArgumentList?.Arguments;
        if (arguments is null || index >= arguments.Value.Count)
        {
            // An optional argument left out: an empty string that points at the attribute.
            return new AttributeArgument(value, Span(attribute.ApplicationSyntaxReference!.Span), null);
        }

        var expression = arguments.Value[index].Expression;
        return new AttributeArgument(value, Span(expression.Span), ExactValueStart(expression, value));
    }

    /// <summary>Where the value's characters begin, when the literal spells them out unchanged.</summary>
    private static int? ExactValueStart(ExpressionSyntax expression, string value)
    {
        if (expression is not LiteralExpressionSyntax { Token: var token } || !token.IsKind(SyntaxKind.StringLiteralToken))
        {
            return null;
        }

        string text = token.Text;
        int prefix = text.StartsWith("@\"", System.StringComparison.Ordinal) ? 2 : text.StartsWith("\"", System.StringComparison.Ordinal) ? 1 : -1;
        if (prefix < 0 || text.Length < prefix + 1 || text.Substring(prefix, text.Length - prefix - 1) != value)
        {
            return null;
        }

        return token.SpanStart + prefix;
    }

    private static TextSpan Span(Microsoft.CodeAnalysis.Text.TextSpan span) => new(span.Start, span.Length);
}
