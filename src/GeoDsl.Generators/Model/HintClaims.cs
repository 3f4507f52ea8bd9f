using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using GeoDsl.Composition.Helpers;

namespace GeoDsl.Generators.Model;

/// <summary>Decides which of several declarations of one class is generated.</summary>
public static class HintClaims
{
    /// <summary>
    /// The claims that lose to an earlier claim on the same hint name: an attributed class wins over a
    /// <c>.geomodel</c> model (the user wrote that class), then the ordinally first source path wins. Deterministic,
    /// so the analyzers can say which declaration is the duplicate.
    /// </summary>
    public static EquatableArray<HintClaim> Shadowed(ImmutableArray<HintClaim> claims)
    {
        var shadowed = new List<HintClaim>();
        foreach (var group in claims.GroupBy(c => c.HintName, System.StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            shadowed.AddRange(Order(group).Skip(1));
        }

        return shadowed.OrderBy(c => c.HintName, System.StringComparer.Ordinal).ThenBy(c => c.SourcePath, System.StringComparer.Ordinal).ToEquatableArray();
    }

    public static IEnumerable<HintClaim> Order(IEnumerable<HintClaim> claims) =>
        claims.OrderBy(c => c.IsPlaceholder ? 1 : 0).ThenBy(c => c.IsAttributed ? 0 : 1).ThenBy(c => c.SourcePath, System.StringComparer.Ordinal);
}
