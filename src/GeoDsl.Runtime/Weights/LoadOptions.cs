using System;
using System.Collections.Generic;

namespace GeoDsl.Runtime.Weights;

/// <summary>How <see cref="StateDictLoader"/> matches a checkpoint's tensors to a module's.</summary>
/// <remarks>
/// A file key becomes a module key in two steps: the first <see cref="PrefixRewrites"/> rule whose
/// prefix it starts with, then <see cref="KeyMapping"/>. <see cref="IgnorePatterns"/> are tested on the
/// file key before and after renaming and on module keys, so <c>decoder.*</c> skips a decoder the module
/// has and the file lacks, and <c>mask_token</c> skips a pretraining-only tensor the file has and the module lacks.
/// </remarks>
public sealed record LoadOptions
{
    /// <summary>Strict (the default) throws <see cref="StateDictMismatchException"/> on any missing, unexpected or mismatched tensor, before changing the module.</summary>
    public bool Strict { get; init; } = true;

    /// <summary>Prefix renames applied to file keys, first match wins, e.g. <c>PrefixRewrite.Strip("encoder.")</c>.</summary>
    public IReadOnlyList<PrefixRewrite> PrefixRewrites { get; init; } = Array.Empty<PrefixRewrite>();

    /// <summary>A final rename of each file key (after <see cref="PrefixRewrites"/>); return null to drop the tensor (reported as ignored).</summary>
    public Func<string, string?>? KeyMapping { get; init; }

    /// <summary>Names or glob patterns (<c>*</c> any run of characters, dots included; <c>?</c> one character) of tensors to leave alone on either side.</summary>
    public IReadOnlyList<string> IgnorePatterns { get; init; } = Array.Empty<string>();

    /// <summary>
    /// Names or glob patterns of module tensors whose shape may differ from the file's, e.g. a fixed
    /// positional embedding the module recomputes for another image size. Such tensors keep the
    /// module's values and are reported as skipped, not as a mismatch.
    /// </summary>
    public IReadOnlyList<string> AllowShapeMismatch { get; init; } = Array.Empty<string>();

    public static LoadOptions Default { get; } = new();

    /// <summary>Options that strip <paramref name="prefix"/> from file keys, e.g. "encoder." to load an encoder checkpoint into a bare backbone.</summary>
    public static LoadOptions StripPrefix(string prefix) => new() { PrefixRewrites = new[] { PrefixRewrite.Strip(prefix) } };

    /// <summary>The module key for a file key, or null when the mapping drops it.</summary>
    public string? MapKey(string fileKey)
    {
        var key = fileKey;
        foreach (var rewrite in PrefixRewrites)
        {
            if (key.StartsWith(rewrite.From, StringComparison.Ordinal))
            {
                key = rewrite.To + key[rewrite.From.Length..];
                break;
            }
        }
        return KeyMapping is null ? key : KeyMapping(key);
    }

    public bool IsIgnored(string key) => MatchesAny(IgnorePatterns, key);

    public bool IsShapeMismatchAllowed(string key) => MatchesAny(AllowShapeMismatch, key);

    private static bool MatchesAny(IReadOnlyList<string> patterns, string key)
    {
        foreach (var pattern in patterns)
        {
            if (KeyPattern.Matches(pattern, key))
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>Replace the prefix <paramref name="From"/> of a file key with <paramref name="To"/>.</summary>
public sealed record PrefixRewrite(string From, string To)
{
    /// <summary>Remove <paramref name="prefix"/>, e.g. "encoder." or "model.backbone.".</summary>
    public static PrefixRewrite Strip(string prefix) => new(prefix, "");

    /// <summary>Add <paramref name="prefix"/> in front of every key.</summary>
    public static PrefixRewrite Add(string prefix) => new("", prefix);
}

/// <summary>Glob matching for tensor names: <c>*</c> matches any run of characters (dots included), <c>?</c> one character.</summary>
public static class KeyPattern
{
    public static bool Matches(string pattern, string name)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(name);
        // Greedy match with backtracking to the last '*': linear in practice for tensor names.
        int p = 0, n = 0, starAt = -1, resumeAt = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == name[n]))
            {
                p++;
                n++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                starAt = p++;
                resumeAt = n;
            }
            else if (starAt >= 0)
            {
                p = starAt + 1;
                n = ++resumeAt;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }
        return p == pattern.Length;
    }
}
