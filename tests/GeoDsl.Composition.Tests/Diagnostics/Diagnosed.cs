using GeoDsl.Composition.Diagnostics;

namespace GeoDsl.Composition.Tests.Diagnostics;

/// <summary>
/// Compiles inline model texts and states their diagnostics compactly, one-based like an editor:
/// <c>"GEO0011 (12,14)"</c>. Tests compare whole lists, so an extra (cascading) diagnostic fails them.
/// </summary>
internal static class Diagnosed
{
    /// <summary>A valid nine-line segmentation model on the four-block prithvi_eo_tiny.</summary>
    public const string Valid = """
        model M : segmentation {
            input { bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2] }
            backbone prithvi_eo_tiny
            neck select_indices { indices = [0, 1, 2, 3] }
            neck reshape_tokens_to_image
            neck learned_interpolate_to_pyramidal
            decoder unet { channels = [256, 128, 64, 32] }
            head segmentation { num_classes = 2 }
        }
        """;

    /// <summary>A second model whose one mistake is the backbone <c>prithvi_eo_v2_30</c>, on its third line, column 14.</summary>
    public const string ModelWithBackboneTypo = """
        model N : segmentation {
            input { bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2] }
            backbone prithvi_eo_v2_30
            neck select_indices { indices = [0, 1, 2, 3] }
            neck reshape_tokens_to_image
            neck learned_interpolate_to_pyramidal
            decoder unet { channels = [256, 128, 64, 32] }
            head segmentation { num_classes = 2 }
        }
        """;

    public static FileAnalysis Compile(string text) => GeoModelCompiler.Compile("test.geomodel", text);

    /// <summary><see cref="Valid"/> with one piece of text replaced (which must occur exactly once).</summary>
    public static string ValidWith(string find, string replacement) => Replace(Valid, find, replacement);

    /// <summary><see cref="Valid"/> with <paramref name="member"/> added as its line 9, indented like the others.</summary>
    public static string ValidPlus(string member) =>
        ValidWith("    head segmentation { num_classes = 2 }", "    head segmentation { num_classes = 2 }\n    " + member);

    public static string Replace(string text, string find, string replacement)
    {
        int at = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{find}' is not in the model text");
        Assert.True(text.IndexOf(find, at + 1, StringComparison.Ordinal) < 0, $"'{find}' occurs more than once in the model text");
        return text.Substring(0, at) + replacement + text.Substring(at + find.Length);
    }

    /// <summary>The text followed by <see cref="ModelWithBackboneTypo"/>; its typo is then on line <see cref="TypoLine"/>.</summary>
    public static string ThenTypoModel(string text) => text + "\n" + ModelWithBackboneTypo;

    /// <summary>The line of the second model's typo after <see cref="ThenTypoModel"/>.</summary>
    public static int TypoLine(string first) => first.Split('\n').Length + 3;

    /// <summary>Every diagnostic as "ID (line,column)", in file order.</summary>
    public static string[] Positions(FileAnalysis file) => file.Diagnostics
        .OrderBy(d => d.Location.Span.Start).ThenBy(d => d.Id, StringComparer.Ordinal)
        .Select(Position)
        .ToArray();

    public static string Position(GeoDiagnostic d) => $"{d.Id} ({d.Location.Start.Line + 1},{d.Location.Start.Character + 1})";

    /// <summary>The one diagnostic of the file, which must have this ID and position.</summary>
    public static GeoDiagnostic Single(FileAnalysis file, string id, int line, int column)
    {
        Assert.True(file.Diagnostics.Count == 1, "Expected exactly one diagnostic, got:\n" + string.Join("\n", file.Diagnostics));
        var d = file.Diagnostics[0];
        Assert.Equal($"{id} ({line},{column})", Position(d));
        return d;
    }

    /// <summary>The one diagnostic with this ID, which must stand at this position.</summary>
    public static GeoDiagnostic One(FileAnalysis file, string id, int line, int column)
    {
        var matching = file.Diagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"Expected one {id}, got:\n" + string.Join("\n", file.Diagnostics));
        Assert.Equal($"{id} ({line},{column})", Position(matching[0]));
        return matching[0];
    }

    /// <summary>
    /// The file's diagnostics are exactly <paramref name="syntax"/> plus the second model's backbone typo, which proves the
    /// text after the mistake is still parsed and bound; and the model with the mistake yields no spec.
    /// </summary>
    public static GeoDiagnostic OneMistakeThenTypo(string text, string syntax)
    {
        var file = Compile(ThenTypoModel(text));
        Assert.Equal(new[] { syntax, $"GEO0011 ({TypoLine(text)},14)" }, Positions(file));
        Assert.Contains("Did you mean 'prithvi_eo_v2_300'?", file.Diagnostics.Single(d => d.Id == "GEO0011").Message, StringComparison.Ordinal);
        Assert.Empty(file.Models);
        return file.Diagnostics.Single(d => d.Id != "GEO0011");
    }
}
