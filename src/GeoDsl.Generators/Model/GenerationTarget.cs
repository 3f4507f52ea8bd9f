using GeoDsl.Composition;

namespace GeoDsl.Generators.Model;

/// <summary>
/// One class to generate: where it goes and the analysed model. A value: equal inputs give equal targets, so an
/// edit elsewhere leaves this model's output cached. It holds no symbol, syntax node or compilation.
/// </summary>
/// <param name="Namespace">The namespace of the generated class (null: the global namespace).</param>
/// <param name="ClassName">The class name (the model name).</param>
/// <param name="Accessibility">"public" for .geomodel files; the declared accessibility of an attributed class.</param>
/// <param name="Origin">The source file name, for the XML docs and the canonical source's origin.</param>
/// <param name="Analysis">The front end's view of the model.</param>
/// <param name="IsAttributed">True when the user declared the partial class; the generator then adds the other part.</param>
/// <param name="SourcePath">The full path of the declaring file: two targets from different files never compare equal.</param>
public sealed record GenerationTarget(string? Namespace, string ClassName, string Accessibility, string Origin, ModelAnalysis Analysis, bool IsAttributed, string SourcePath)
{
    /// <summary>The custom components the model uses (their classes are constructed by the generated code).</summary>
    public GeoDsl.Composition.Helpers.EquatableArray<GeoDsl.Composition.Catalog.Custom.CustomComponentDeclaration> CustomComponents { get; init; } =
        GeoDsl.Composition.Helpers.EquatableArray<GeoDsl.Composition.Catalog.Custom.CustomComponentDeclaration>.Empty;

    public string HintName => (Namespace is null ? string.Empty : Namespace + ".") + ClassName + ".g.cs";

    public HintClaim Claim => new(HintName, IsAttributed, SourcePath);
}

/// <summary>A vlm model's description class to generate: where it goes and the analysed model; a value like <see cref="GenerationTarget"/>.</summary>
/// <param name="IsAttributed">True when the user declared the partial class with <c>[GeoModel("vlm")]</c>; its modifiers are then theirs.</param>
public sealed record VlmGenerationTarget(string? Namespace, string ClassName, string Origin, Composition.Vlm.VlmAnalysis Analysis, string SourcePath, bool IsAttributed = false)
{
    public string HintName => (Namespace is null ? string.Empty : Namespace + ".") + ClassName + ".g.cs";

    public HintClaim Claim => new(HintName, IsAttributed, SourcePath);
}

/// <summary>A target's claim on its hint name (and so on its class): small, so collecting every claim stays cheap.</summary>
public sealed record HintClaim(string HintName, bool IsAttributed, string SourcePath);
