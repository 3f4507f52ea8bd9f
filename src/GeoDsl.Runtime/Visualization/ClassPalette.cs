using System;
using System.Collections.Generic;
using System.Linq;
using SkiaSharp;

namespace GeoDsl.Runtime.Visualization;

/// <summary>Colours for class labels in mask panels, plus the colour of ignored (unlabelled) pixels.</summary>
public sealed class ClassPalette
{
    // Two-class maps read as land and water; more classes get a qualitative palette (Paul Tol's "bright" scheme,
    // which stays distinguishable for common colour-vision deficiencies).
    private static readonly SKColor[] Water = { new(214, 201, 160), new(33, 102, 172) };
    private static readonly SKColor[] Qualitative =
    {
        new(68, 119, 170), new(238, 102, 119), new(34, 136, 51), new(204, 187, 68), new(102, 204, 238), new(170, 51, 119), new(187, 187, 187),
    };

    public ClassPalette(IReadOnlyList<SKColor> classColors, SKColor ignoredColor)
    {
        if (classColors.Count == 0)
        {
            throw new ArgumentException("Give at least one class colour.", nameof(classColors));
        }

        ClassColors = classColors.ToArray();
        IgnoredColor = ignoredColor;
    }

    public IReadOnlyList<SKColor> ClassColors { get; }

    public SKColor IgnoredColor { get; }

    /// <summary>Land/water colours for two classes, a qualitative palette (repeating) for more.</summary>
    public static ClassPalette For(int classCount)
    {
        var colors = classCount == 2 ? Water : Enumerable.Range(0, Math.Max(1, classCount)).Select(i => Qualitative[i % Qualitative.Length]).ToArray();
        return new ClassPalette(colors, new SKColor(128, 128, 128));
    }

    /// <summary>The colour of <paramref name="label"/>; labels outside the classes (the ignore index) get the ignored colour.</summary>
    public SKColor ColorOf(long label) => label >= 0 && label < ClassColors.Count ? ClassColors[(int)label] : IgnoredColor;
}
