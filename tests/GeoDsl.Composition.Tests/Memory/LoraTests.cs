using GeoDsl.Composition.Memory;

namespace GeoDsl.Composition.Tests.Memory;

/// <summary>LoRA and QLoRA on prithvi_eo_tiny (D = 256, MLP 1024, 4 blocks): parameters, states, 4-bit weights, activations.</summary>
public sealed class LoraTests
{
    private const long Width = 256;
    private const long Hidden = 1024;
    private const long Depth = 4;
    private const long BackboneParameters = 3_553_280;

    private static readonly ModelAnalysis Full = Estimates.Analyze(Estimates.Tiny());

    [Fact]
    public void LoraAddsRankTimesInPlusOutPerAdaptedMatrixAndOnlyAdaptersTrainInTheBackbone()
    {
        var lora = Estimates.Analyze(Estimates.Tiny("peft_config = lora { r = 8, target_modules = [qkv, fc2] }"));

        long adapters = 8 * ((Width + (3 * Width)) + (Hidden + Width)) * Depth;
        Assert.Equal(Full.Parameters.Total + adapters, lora.Parameters.Total);
        Assert.Equal(Full.Parameters.Total - BackboneParameters + adapters, lora.Parameters.Trainable);
        Assert.Equal(4 * lora.Parameters.Trainable, lora.Memory.Item("gradients"));
        Assert.Equal(8 * lora.Parameters.Trainable, lora.Memory.Item("optimizer states"));
    }

    [Fact]
    public void LoraSavesLittleActivationMemoryBecauseTheFrozenBaseStillPassesGradients()
    {
        var lora = Estimates.Of(Estimates.Tiny("peft_config = lora { r = 8 }"));

        Assert.InRange(lora.Item("activations"), Full.Memory.Item("activations") * 0.6, Full.Memory.Item("activations") - 1);
    }

    [Theory]
    [InlineData(true, 4 + (8.0 / 64) + (32.0 / (64 * 256)))]
    [InlineData(false, 4 + (32.0 / 64))]
    public void QloraStoresEveryLinearWeightOfTheBackboneInFourBitsPlusItsScales(bool doubleQuant, double bitsPerWeight)
    {
        var qlora = Estimates.Analyze(Estimates.Tiny($"peft_config = qlora {{ r = 8, bnb_4bit_use_double_quant = {(doubleQuant ? "true" : "false")} }}"));

        long linearWeights = ((Width * 3 * Width) + (Width * Width) + (Width * Hidden) + (Hidden * Width)) * Depth;
        long others = qlora.Parameters.Total - linearWeights;
        Assert.Equal((others * 4) + (long)(linearWeights * bitsPerWeight / 8), qlora.Memory.Item("weights"));
    }

    [Fact]
    public void DoubleQuantisationIsAboutHalfAByteAWeight()
    {
        Assert.Equal(0.516, LoraFootprint.QuantizedBytesPerParameter(doubleQuant: true), 3);
        Assert.Equal(0.5625, LoraFootprint.QuantizedBytesPerParameter(doubleQuant: false), 4);
    }

    [Fact]
    public void TheTinyPrithviListsItsFourLinearLayersPerBlock()
    {
        var layers = LinearLayerGroup.TransformerBlocks(Width, Hidden, Depth);

        Assert.Equal(new[] { "qkv", "proj", "fc1", "fc2" }, layers.Select(l => l.Module));
        Assert.Equal(BackboneParameters, layers.Sum(l => l.WeightParameters) + NonLinearParameters());
    }

    /// <summary>prithvi_eo_tiny besides its linear weights: patch embedding (6·16²·D + D), class token, per block two
    /// LayerNorms and the four biases, and the final norm.</summary>
    private static long NonLinearParameters() =>
        (6 * 16 * 16 * Width) + Width + Width + (Depth * ((4 * Width) + (3 * Width) + Width + Hidden + Width)) + (2 * Width);
}
