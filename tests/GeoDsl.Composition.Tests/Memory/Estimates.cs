using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Options;
using GeoDsl.Composition.Tests.Diagnostics;

namespace GeoDsl.Composition.Tests.Memory;

/// <summary>Estimates of small models: <see cref="Diagnosed.Valid"/> (prithvi_eo_tiny → UNet, 224 px) with a train block.</summary>
internal static class Estimates
{
    public const double GiB = 1024.0 * 1024 * 1024;

    /// <summary>The tiny model with <c>train { <paramref name="train"/> }</c> and, optionally, a target line.</summary>
    public static string Tiny(string train = "", string target = "") =>
        Diagnosed.ValidPlus("train { " + train + " }" + (target.Length > 0 ? "\n    " + target : string.Empty));

    public static ModelAnalysis Analyze(string text, CompileOptions? options = null) =>
        TestModels.Single(GeoModelCompiler.Compile("test.geomodel", text, options: options));

    public static MemoryEstimate Of(string text) => Analyze(text).Memory;

    public static long Item(this MemoryEstimate memory, string name) => memory.TrainingBreakdown.Where(i => i.Name == name).Sum(i => i.Bytes);

    public static long InferenceItem(this MemoryEstimate memory, string name) => memory.InferenceBreakdown.Where(i => i.Name == name).Sum(i => i.Bytes);
}
