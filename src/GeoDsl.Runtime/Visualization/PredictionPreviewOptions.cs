using System.Collections.Generic;

namespace GeoDsl.Runtime.Visualization;

/// <summary>What <see cref="PredictionPreview"/> draws and how big.</summary>
public sealed record PredictionPreviewOptions
{
    /// <summary>How many chips to show, spread evenly over the data set; ignored when <see cref="SampleIndices"/> is set.</summary>
    public int SampleCount { get; init; } = 4;

    /// <summary>The chips to show, by index in the data set.</summary>
    public IReadOnlyList<int>? SampleIndices { get; init; }

    /// <summary>The side of each panel in pixels; chips are scaled to it without smoothing, so pixels stay visible.</summary>
    public int PanelSize { get; init; } = 200;

    /// <summary>Names for the legend, e.g. ["not water", "water"]; "class 0", "class 1", … otherwise.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Mask colours; land/water for two classes, a qualitative palette otherwise.</summary>
    public ClassPalette? Palette { get; init; }

    /// <summary>The heading; the model's name otherwise.</summary>
    public string? Title { get; init; }

    /// <summary>The percentiles each RGB band is stretched between.</summary>
    public double LowPercentile { get; init; } = 2;

    public double HighPercentile { get; init; } = 98;
}
