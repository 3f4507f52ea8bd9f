using System.Collections.Generic;
using GeoDsl.Runtime.Data;
using GeoDsl.Runtime.Data.GeoTiff;
using TorchSharp;

namespace GeoDsl.Runtime.Inference;

/// <summary>What a scene prediction writes: per-class probabilities or the most probable class.</summary>
public enum PredictionOutput
{
    /// <summary>One Byte band of class numbers (UInt16 above 255 classes); nodata 255 (65535) where the scene has no data.</summary>
    Classes,

    /// <summary>One Float32 band per class (or per output of a regression model); nodata NaN where the scene has no data.</summary>
    Probabilities,
}

/// <summary>What the model's outputs go through before tiles are blended.</summary>
public enum OutputActivation
{
    /// <summary>Class logits become probabilities (segmentation).</summary>
    Softmax,

    /// <summary>Outputs are blended as they are (pixel-wise regression).</summary>
    None,
}

/// <summary>How a scene becomes model input and what is written: the same band selection and normalisation as training.</summary>
public sealed record ScenePredictionOptions
{
    public TiledInferenceOptions Tiling { get; init; } = new();

    /// <summary>The scene's bands to use, in model order (frame by frame with <see cref="Frames"/> &gt; 1).</summary>
    public BandSelection Bands { get; init; } = BandSelection.All;

    /// <summary>The training data's per-band standardisation; null feeds values as stored.</summary>
    public BandNormalization? Normalization { get; init; }

    /// <summary>Time steps stacked in the scene's bands; above 1 tiles are [B, C, T, H, W].</summary>
    public int Frames { get; init; } = 1;

    public PredictionOutput Output { get; init; } = PredictionOutput.Classes;

    public OutputActivation Activation { get; init; } = OutputActivation.Softmax;

    /// <summary>Band descriptions for the probability bands (one per class); null writes CLASS_0, CLASS_1, ….</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>The output file's layout; null writes 256×256 DEFLATE tiles.</summary>
    public GeoTiffWriteOptions? WriteOptions { get; init; }

    /// <summary>Where tiles run; null uses the device of the model's first parameter (CPU for a function).</summary>
    public torch.Device? Device { get; init; }
}
