using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GeoDsl.Generators.Tests.Infrastructure;

/// <summary>MSBuild's view of the project for the generator: <c>build_property.*</c> values, the same for every file.</summary>
internal sealed class TestOptionsProvider : AnalyzerConfigOptionsProvider
{
    private readonly Options _options;

    public TestOptionsProvider(ImmutableDictionary<string, string> globalOptions) => _options = new Options(globalOptions);

    public override AnalyzerConfigOptions GlobalOptions => _options;

    public static TestOptionsProvider WithRootNamespace(string? rootNamespace) => new(rootNamespace is null
        ? ImmutableDictionary<string, string>.Empty
        : ImmutableDictionary<string, string>.Empty.Add("build_property.RootNamespace", rootNamespace));

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;

    private sealed class Options : AnalyzerConfigOptions
    {
        private readonly ImmutableDictionary<string, string> _values;

        public Options(ImmutableDictionary<string, string> values) => _values = values;

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => _values.TryGetValue(key, out value);
    }
}
