namespace GeoDsl.Generators;

/// <summary>Names of the generator's pipeline steps, shared with the caching tests.</summary>
public static class TrackingNames
{
    public const string GeoModelFiles = nameof(GeoModelFiles);
    public const string CompiledFiles = nameof(CompiledFiles);
    public const string FileTargets = nameof(FileTargets);
    public const string VlmTargets = nameof(VlmTargets);
    public const string AttributedVlmTargets = nameof(AttributedVlmTargets);
    public const string AttributedTargets = nameof(AttributedTargets);
    public const string RootNamespace = nameof(RootNamespace);
    public const string CompileOptions = nameof(CompileOptions);
    public const string ShadowedTargets = nameof(ShadowedTargets);
    public const string CustomComponents = nameof(CustomComponents);
}
