using System;
using System.Collections.Generic;
using System.Linq;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>One registered TerraMind v1 encoder configuration.</summary>
/// <param name="Name">TerraTorch's registry name.</param>
/// <param name="Dim">Token width D.</param>
/// <param name="Depth">Encoder blocks (<c>encoder_depth</c>).</param>
/// <param name="Heads">Attention heads.</param>
/// <param name="GatedMlp">SwiGLU feed-forward (SiLU, fc1/fc3 gate, hidden int(2·4D/3)) instead of a GELU MLP.</param>
/// <param name="Biases">qkv, attention proj and MLP biases (tiny/small: yes; base/large: no).</param>
/// <param name="HuggingFaceRepository">Where the published weights are (<c>TerraMind_v1_*.pt</c>).</param>
/// <param name="Source">Where the numbers come from.</param>
public sealed record TerraMindVariant(string Name, int Dim, int Depth, int Heads, bool GatedMlp, bool Biases, string HuggingFaceRepository, string Source);

/// <summary>
/// A TerraMind input modality: the name TerraTorch's <c>backbone_modalities</c> accepts, the <c>MODALITY_INFO</c> key that
/// names its patch embedding (<c>encoder_embeddings.&lt;Key&gt;</c>) and the bands the published weights saw, in order.
/// </summary>
/// <param name="Name">As written in <c>modalities = [...]</c>.</param>
/// <param name="Key">The embedding's key in the state dict.</param>
/// <param name="Bands">Pretrained bands (canonical names), in channel order; empty for token inputs.</param>
/// <param name="Tokenized">A token input (FSQ codes from TerraMind's tokenizer), not pixels.</param>
public sealed record TerraMindModality(string Name, string Key, IReadOnlyList<string> Bands, bool Tokenized = false)
{
    public int Channels => Bands.Count;
}

/// <summary>
/// TerraMind v1 as TerraTorch registers it (terratorch/models/backbones/terramind/model/terramind_register.py,
/// <c>terramind_v1_{tiny,small,base,large}</c>; backbone-facts.md §A2, terratorch-facts.md §2): LayerNorm eps 1e-6 without
/// bias everywhere; tiny/small GELU MLP 4D with biases, base/large SwiGLU without biases; patch 16, image 224.
/// </summary>
public static class TerraMindVariants
{
    private const string Tt = "TerraTorch terramind_register.py @85467a9";

    public static IReadOnlyList<TerraMindVariant> All { get; } = new[]
    {
        new TerraMindVariant("terramind_v1_tiny", 192, 12, 3, GatedMlp: false, Biases: true, "ibm-esa-geospatial/TerraMind-1.0-tiny", Tt),
        new TerraMindVariant("terramind_v1_small", 384, 12, 6, GatedMlp: false, Biases: true, "ibm-esa-geospatial/TerraMind-1.0-small", Tt),
        new TerraMindVariant("terramind_v1_base", 768, 12, 12, GatedMlp: true, Biases: false, "ibm-esa-geospatial/TerraMind-1.0-base", Tt),
        new TerraMindVariant("terramind_v1_large", 1024, 24, 16, GatedMlp: true, Biases: false, "ibm-esa-geospatial/TerraMind-1.0-large", Tt),
    };

    /// <summary>
    /// The modalities <c>build_modality_embeddings</c> (terramind_vit.py) maps user names to, with the bands of
    /// <c>PRETRAINED_BANDS</c> (terramind_register.py) and the channel counts of <c>MODALITY_INFO</c>
    /// (modality_info.py: <c>num_channels</c> wins over the partial's, so S2RGB has 3). RGB and S2RGB share one
    /// embedding. LULC and NDVI are token inputs in v1 (backbone-facts.md Pitfall 5).
    /// </summary>
    public static IReadOnlyList<TerraMindModality> Modalities { get; } = new[]
    {
        new TerraMindModality("S2L1C", "untok_sen2l1c@224", SensorBands("s2_l1c")),
        new TerraMindModality("S2L2A", "untok_sen2l2a@224", SensorBands("s2_l2a")),
        new TerraMindModality("S2RGB", "untok_sen2rgb@224", SensorBands("s2_rgb")),
        new TerraMindModality("RGB", "untok_sen2rgb@224", SensorBands("s2_rgb")),
        new TerraMindModality("S1GRD", "untok_sen1grd@224", SensorBands("s1")),
        new TerraMindModality("S1RTC", "untok_sen1rtc@224", SensorBands("s1")),
        new TerraMindModality("DEM", "untok_dem@224", SensorBands("dem")),
        new TerraMindModality("LULC", "tok_lulc@224", Array.Empty<string>(), Tokenized: true),
        new TerraMindModality("NDVI", "tok_ndvi@224", Array.Empty<string>(), Tokenized: true),
    };

    /// <summary>The image modalities a model can take, in the order messages list them.</summary>
    public static IEnumerable<string> ImageModalityNames => Modalities.Where(m => !m.Tokenized).Select(m => m.Name);

    public static TerraMindModality? FindModality(string name) => Modalities.FirstOrDefault(m => m.Name == name);

    /// <summary>The modality whose patch embedding is <c>encoder_embeddings.&lt;key&gt;</c>.</summary>
    public static TerraMindModality? FindModalityByKey(string key) => Modalities.FirstOrDefault(m => m.Key == key);

    private static IReadOnlyList<string> SensorBands(string sensor) =>
        Bands.FindSensor(sensor)?.Bands ?? throw new InvalidOperationException($"The band catalog has no sensor '{sensor}'.");
}
