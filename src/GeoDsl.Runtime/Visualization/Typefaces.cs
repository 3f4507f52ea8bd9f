using System.Linq;
using SkiaSharp;

namespace GeoDsl.Runtime.Visualization;

/// <summary>
/// A sans-serif typeface from the fonts the machine has. Skia's default is whatever the system lists first (often a
/// serif), and a headless server may have only one family, so a few common names are tried before the default.
/// </summary>
internal static class Typefaces
{
    private static readonly string[] SansFamilies = { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "Segoe UI" };

    private static SKTypeface? sans;

    public static SKTypeface Sans => sans ??= SansFamilies
        .Select(name => SKFontManager.Default.MatchFamily(name))
        .FirstOrDefault(typeface => typeface is not null && typeface.GlyphCount > 0) ?? SKTypeface.Default;

    /// <summary>The family name to give ScottPlot, so charts and image panels use the same letters.</summary>
    public static string SansFamily => Sans.FamilyName;
}
