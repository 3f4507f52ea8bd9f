using System;
using System.Collections.Generic;
using System.Linq;

namespace GeoDsl.Composition.Helpers;

/// <summary>"Did you mean" suggestions: the closest known name by edit distance, if it is close enough.</summary>
public static class Spelling
{
    /// <summary>The best candidate for <paramref name="typed"/>, or null when nothing is plausibly meant.</summary>
    public static string? Suggest(string typed, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        string lowered = typed.ToLowerInvariant();
        foreach (string candidate in candidates)
        {
            string other = candidate.ToLowerInvariant();
            if (other == lowered)
            {
                return candidate; // Only the case differs.
            }

            int distance = Distance(lowered, other);
            if (distance < bestDistance || (distance == bestDistance && string.CompareOrdinal(candidate, best) < 0))
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        // Allow roughly one edit per three characters, so "prithvi_eo_v2_30" finds "prithvi_eo_v2_300" but "foo" finds nothing.
        int allowed = Math.Max(1, typed.Length / 3);
        return best is not null && bestDistance <= allowed ? best : null;
    }

    /// <summary>" Did you mean 'x'?" or an empty string.</summary>
    public static string DidYouMean(string typed, IEnumerable<string> candidates)
    {
        string? suggestion = Suggest(typed, candidates);
        return suggestion is null ? string.Empty : $" Did you mean '{suggestion}'?";
    }

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    /// <summary>"a, b or c" for messages listing the valid choices.</summary>
    public static string OneOf(IEnumerable<string> names)
    {
        var list = names.Select(n => "'" + n + "'").ToList();
        return list.Count switch
        {
            0 => "(none)",
            1 => list[0],
            _ => string.Join(", ", list.Take(list.Count - 1)) + " or " + list[list.Count - 1],
        };
    }
}
