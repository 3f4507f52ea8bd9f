using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace GeoDsl.Build;

/// <summary>
/// The last model report of a project, kept under a key of everything it is computed from: the model files' paths and
/// texts, the report's title, the budget properties and the builds of the code that writes it (the module version ids
/// of the front end, the report writers and these tasks). A build
/// process starts cold on every `dotnet build` unless the MSBuild server runs, and compiling the models in it costs
/// ~0.2 s, nearly all JIT compilation (19 ms once warm) (bench/build/RESULTS.md); a rebuild or a clean build whose models
/// have not changed gets the same report from here without loading the front end. The files live beside the report
/// and are not in FileWrites, so `dotnet clean` leaves them; a damaged or partial entry is a miss, never an error.
/// </summary>
internal static class ReportCache
{
    private const string JsonFile = "models.json";
    private const string MarkdownFile = "models.md";
    private const string KeyFile = "key";

    /// <summary>A SHA-256 of every input, in a fixed order with lengths, so no two input lists share a key.</summary>
    public static string Key(IReadOnlyList<(string Path, string Text)> files, IEnumerable<string?> settings, IEnumerable<Guid> code)
    {
        using var hash = SHA256.Create();
        var buffer = new StringBuilder();
        void Add(string? value) => buffer.Append(value?.Length ?? -1).Append(':').Append(value).Append('\n');
        foreach (var module in code)
        {
            Add(module.ToString("N"));
        }

        foreach (string? setting in settings)
        {
            Add(setting);
        }

        Add(files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (path, text) in files)
        {
            Add(path);
            Add(text);
        }

        byte[] digest = hash.ComputeHash(Encoding.UTF8.GetBytes(buffer.ToString()));
        return BitConverter.ToString(digest).Replace("-", string.Empty);
    }

    /// <summary>The report stored under this key, when the folder holds a complete entry for it.</summary>
    public static bool TryRead(string directory, string key, out string json, out string markdown)
    {
        json = markdown = string.Empty;
        try
        {
            // The key is written last (Store), so a key that matches means both reports were written whole.
            if (!File.Exists(Path.Combine(directory, KeyFile)) || File.ReadAllText(Path.Combine(directory, KeyFile)) != key)
            {
                return false;
            }

            json = File.ReadAllText(Path.Combine(directory, JsonFile));
            markdown = File.ReadAllText(Path.Combine(directory, MarkdownFile));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Replaces the stored entry; a failure only means the next build computes the report again.</summary>
    public static void Store(string directory, string key, string json, string markdown)
    {
        try
        {
            Directory.CreateDirectory(directory);
            string keyPath = Path.Combine(directory, KeyFile);
            if (File.Exists(keyPath))
            {
                File.Delete(keyPath);
            }

            File.WriteAllText(Path.Combine(directory, JsonFile), json);
            File.WriteAllText(Path.Combine(directory, MarkdownFile), markdown);
            File.WriteAllText(keyPath, key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Read-only or contended folder: the report itself was written; the cache is an optimisation.
        }
    }
}
