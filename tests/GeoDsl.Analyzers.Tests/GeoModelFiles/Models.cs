namespace GeoDsl.Analyzers.Tests.GeoModelFiles;

/// <summary>Model texts for the file analyzer tests, each with one mistake marked in test markup.</summary>
internal static class Models
{
    /// <summary>A valid segmentation model on the four-block prithvi_eo_tiny.</summary>
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

    /// <summary><see cref="Valid"/> with one piece of text (which must occur exactly once) replaced.</summary>
    public static string ValidWith(string find, string replacement)
    {
        int at = Valid.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0 && Valid.IndexOf(find, at + 1, StringComparison.Ordinal) < 0, $"'{find}' must occur exactly once in the model");
        return Valid[..at] + replacement + Valid[(at + find.Length)..];
    }

    /// <summary><see cref="Valid"/> with each (find, replacement) pair applied in turn.</summary>
    public static string ValidWith(params (string Find, string Replacement)[] edits) =>
        edits.Aggregate(Valid, (text, edit) =>
        {
            Assert.Contains(edit.Find, text, StringComparison.Ordinal);
            return text.Replace(edit.Find, edit.Replacement, StringComparison.Ordinal);
        });
}
