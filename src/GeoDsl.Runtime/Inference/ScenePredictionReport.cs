using System;
using GeoDsl.Runtime.Data.GeoTiff;

namespace GeoDsl.Runtime.Inference;

/// <summary>
/// What a scene prediction did: the file written, the tiles and batches run, and the largest input window read at once,
/// which shows that memory followed the tiles, not the scene.
/// </summary>
public sealed record ScenePredictionReport(
    string OutputPath,
    int Width,
    int Height,
    int OutputBands,
    int Tiles,
    int Batches,
    RasterWindow LargestWindowRead,
    TimeSpan Elapsed);
