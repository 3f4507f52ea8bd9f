using System.Reflection;
using System.Text;
using GeoDsl.Generators.Emit;

namespace GeoDsl.Generators.Tests.Infrastructure;

/// <summary>
/// Snapshot baselines: <c>Baselines/{Test}/{HintName}.txt</c>, one file per generated source. A test passes when the
/// generated file set equals the baseline set and every text matches, with line endings normalised and the
/// generator's version replaced by <c>%VERSION%</c>. With <c>GEODSL_UPDATE_BASELINES=1</c> the tests rewrite the
/// baselines instead (and delete stale ones); CI never sets it. Review the diff before committing.
/// </summary>
internal static class Baselines
{
    public const string UpdateVariable = "GEODSL_UPDATE_BASELINES";

    public const string VersionPlaceholder = "%VERSION%";

    /// <summary>The Baselines folder in the source tree (recorded at build time).</summary>
    public static string Root { get; } = typeof(Baselines).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "GeoDsl.BaselinesDirectory").Value!;

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    /// <summary>The snapshot folders present on disk.</summary>
    public static IReadOnlyList<string> Tests() => Directory.Exists(Root)
        ? Directory.GetDirectories(Root).Select(Path.GetFileName).OfType<string>().OrderBy(n => n, StringComparer.Ordinal).ToList()
        : Array.Empty<string>();

    /// <summary>The text as stored: LF line endings, the generator version as a placeholder, one final newline.</summary>
    public static string Normalise(string generated)
    {
        string text = generated.Replace("\r\n", "\n").Replace('\r', '\n');
        text = text.Replace(
            $"GeneratedCode(\"{ModelClassEmitter.GeneratorName}\", \"{ModelClassEmitter.GeneratorVersion}\")",
            $"GeneratedCode(\"{ModelClassEmitter.GeneratorName}\", \"{VersionPlaceholder}\")");
        return text.TrimEnd('\n') + "\n";
    }

    public static void Verify(string test, IReadOnlyDictionary<string, string> generated)
    {
        string folder = Path.Combine(Root, test);
        var actual = generated.ToDictionary(p => p.Key + ".txt", p => Normalise(p.Value), StringComparer.Ordinal);
        if (Updating)
        {
            Write(folder, actual);
            return;
        }

        var expectedNames = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.txt").Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
        var missing = actual.Keys.Where(k => !expectedNames.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var stale = expectedNames.Where(k => !actual.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0 && stale.Count == 0,
            $"Generated files of '{test}' differ from Baselines/{test}/: " +
            $"generated without a baseline: [{string.Join(", ", missing)}]; baseline without a generated file: [{string.Join(", ", stale)}]. {HowToUpdate}");

        foreach (var (name, text) in actual.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            string expected = File.ReadAllText(Path.Combine(folder, name)).Replace("\r\n", "\n");
            if (expected != text)
            {
                Assert.Fail($"Baselines/{test}/{name} differs from the generated source.\n{FirstDifference(expected, text)}\n{HowToUpdate}");
            }
        }
    }

    /// <summary>Deletes snapshot folders no test produces any more (only while updating).</summary>
    public static void DeleteFolder(string test) => Directory.Delete(Path.Combine(Root, test), recursive: true);

    private static string HowToUpdate =>
        $"If the change is intended, run the tests with {UpdateVariable}=1 and review the baseline diff (tests/GeoDsl.Generators.Tests/Baselines/README.md).";

    private static void Write(string folder, IReadOnlyDictionary<string, string> files)
    {
        Directory.CreateDirectory(folder);
        foreach (string stale in Directory.GetFiles(folder, "*.txt").Where(f => !files.ContainsKey(Path.GetFileName(f))))
        {
            File.Delete(stale);
        }

        foreach (var (name, text) in files)
        {
            string path = Path.Combine(folder, name);
            if (!File.Exists(path) || File.ReadAllText(path) != text)
            {
                File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            }
        }
    }

    private static string FirstDifference(string expected, string actual)
    {
        string[] e = expected.Split('\n');
        string[] a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string? left = i < e.Length ? e[i] : null;
            string? right = i < a.Length ? a[i] : null;
            if (left != right)
            {
                return $"First difference at line {i + 1}:\n  baseline:  {left ?? "<end of file>"}\n  generated: {right ?? "<end of file>"}";
            }
        }

        return "The texts differ only in whitespace at the end.";
    }
}
