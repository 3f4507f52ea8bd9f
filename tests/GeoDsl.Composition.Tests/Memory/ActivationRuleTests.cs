using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Specs;
using GeoDsl.Composition.Tests.Diagnostics;

namespace GeoDsl.Composition.Tests.Memory;

/// <summary>The per-block rules (transformer blocks, convolution blocks, losses) and how the model's settings reach them.</summary>
public sealed class ActivationRuleTests
{
    private const long Tokens = 197;
    private const long Width = 768;
    private const long Heads = 12;
    private const long Hidden = 4 * Width;

    private static readonly ActivationSettings Bf16 = ActivationSettings.For(Precision.Bf16, training: true, gradientCheckpointing: false);
    private static readonly ActivationSettings Mixed = ActivationSettings.For(Precision.Bf16Mixed, training: true, gradientCheckpointing: false);

    [Fact]
    public void A16BitTransformerBlockKeepsKorthikantisThirtyFourBytesPerTokenAndWidthWithoutDropout()
    {
        // 34·sbh (Korthikanti et al. 2022) less the two 1-byte dropout masks, plus the fused attention's 2-byte output;
        // LayerNorm keeps fp32 mean and rstd per token (2 × 2 × 4 bytes), fused attention a fp32 log-sum-exp per head.
        var block = TransformerActivations.Block(Tokens, Width, Heads, Hidden, Bf16);

        Assert.Equal((34 * Tokens * Width) + (16 * Tokens) + (4 * Heads * Tokens), block.SavedBytes);
    }

    [Fact]
    public void UnderAutocastTheResidualStreamAndLayerNormInputsStayFp32()
    {
        var bf16 = TransformerActivations.Block(Tokens, Width, Heads, Hidden, Bf16);
        var mixed = TransformerActivations.Block(Tokens, Width, Heads, Hidden, Mixed);

        Assert.Equal(2 * Tokens * Width * 2, mixed.SavedBytes - bf16.SavedBytes);
    }

    [Fact]
    public void MaterialisedAttentionKeepsTheFp32SoftmaxAndItsSixteenBitCopyPerHead()
    {
        var fused = TransformerActivations.Block(Tokens, Width, Heads, Hidden, Mixed);
        var materialised = TransformerActivations.Block(Tokens, Width, Heads, Hidden, Mixed with { FusedAttention = false });

        long scores = Heads * Tokens * Tokens * (4 + 2);
        long fusedOnly = (Tokens * Width * 2) + (Heads * Tokens * 4);
        Assert.Equal(scores - fusedOnly, materialised.SavedBytes - fused.SavedBytes);
    }

    [Fact]
    public void GradientCheckpointingKeepsOnlyEachBlocksInputAndRecomputesOneBlock()
    {
        var block = TransformerActivations.Block(Tokens, Width, Heads, Hidden, Mixed);
        var kept = TransformerActivations.Checkpointed(Tokens, Width, block, Mixed);

        Assert.Equal(Tokens * Width * 4, kept.SavedBytes);
        Assert.Equal(Math.Max(block.SavedBytes, block.TransientBytes), kept.TransientBytes);
    }

    [Fact]
    public void AFrozenBlockWithAnAdapterOnQkvKeepsQkvsInputButNotThoseOfItsFrozenLinearLayers()
    {
        var lora = new LoraSpec(8, 8, 0, EquatableArray.Create("qkv"), Quantized: false, "none", DoubleQuant: false, "none");
        var full = TransformerActivations.Block(Tokens, Width, Heads, Hidden, Bf16);
        var adapted = TransformerActivations.Block(Tokens, Width, Heads, Hidden, Bf16 with { TrainsWeights = false, Adapters = lora });

        long frozenInputs = Tokens * (Width + Width + Hidden) * 2; // proj, fc1, fc2
        long rankOutput = Tokens * 8 * 2;
        Assert.Equal(full.SavedBytes - frozenInputs + rankOutput, adapted.SavedBytes);
    }

    [Fact]
    public void LoraDropoutKeepsADroppedCopyOfTheAdaptersInputAndItsMask()
    {
        var lora = new LoraSpec(8, 8, 0.1, EquatableArray.Create("qkv"), Quantized: false, "none", DoubleQuant: false, "none");
        var settings = Bf16 with { TrainsWeights = false, Adapters = lora };

        Assert.Equal((Tokens * 8 * 2) + (Tokens * Width * (2 + 1)), settings.AdapterBytes("qkv", Tokens, Width));
        Assert.Equal(0, settings.AdapterBytes("fc1", Tokens, Width));
    }

    [Fact]
    public void InferenceSavesNothing()
    {
        var block = TransformerActivations.Block(Tokens, Width, Heads, Hidden, Bf16 with { Training = false });

        Assert.Equal(0, block.SavedBytes);
        Assert.True(block.TransientBytes > 0);
    }

    [Fact]
    public void AConvBatchNormReLUKeepsTwoMapsAndAFreshConvolutionInputOnlyWhileItsWeightsTrain()
    {
        Assert.Equal(2 * 64 * 100 * 2, ConvActivations.ConvNormReLU(64, 100, Bf16));
        Assert.Equal(64 * 100 * 2, ConvActivations.FreshInput(64, 100, Bf16));
        Assert.Equal(0, ConvActivations.FreshInput(64, 100, Bf16 with { TrainsWeights = false }));
        Assert.Equal(64 * 100 * (1 + 2), ConvActivations.Dropout(64, 100, 0.1, Bf16));
        Assert.Equal(0, ConvActivations.Dropout(64, 100, 0.0, Bf16));
    }

    [Fact]
    public void ActivationsGrowLinearlyWithTheBatch()
    {
        var four = Estimates.Of(Estimates.Tiny("batch_size = 4"));
        var eight = Estimates.Of(Estimates.Tiny("batch_size = 8"));

        Assert.Equal(2 * four.Item("activations"), eight.Item("activations"));
        Assert.Equal(2 * four.Item("input batch"), eight.Item("input batch"));
    }

    [Fact]
    public void ALargerImageKeepsMoreActivations()
    {
        var small = Estimates.Of(Estimates.Tiny());
        var large = Estimates.Of(Diagnosed.ValidWith("SWIR_2] }", "SWIR_2], size = 448 }").Replace("}\n}", "}\n    train { }\n}", StringComparison.Ordinal));

        Assert.True(large.Item("activations") > 3.9 * small.Item("activations"), $"{large.Item("activations")} vs {small.Item("activations")}");
    }

    [Fact]
    public void FramesMultiplyTheBackbonesTokensAndSoItsActivations()
    {
        var one = Estimates.Of(Estimates.Tiny());
        var two = Estimates.Of(Diagnosed.ValidWith("SWIR_2] }", "SWIR_2], frames = 2 }"));

        Assert.True(two.Item("activations") > one.Item("activations") * 1.3, $"{two.Item("activations")} vs {one.Item("activations")}");
    }

    [Fact]
    public void AFrozenBackboneSavesNothingAndAFrozenDecoderKeepsAllButItsConvolutionInputs()
    {
        var full = Estimates.Of(Estimates.Tiny());
        var frozenBackbone = Estimates.Of(Estimates.Tiny("freeze_backbone = true"));
        var frozenDecoder = Estimates.Of(Estimates.Tiny("freeze_decoder = true"));

        Assert.True(frozenBackbone.Item("activations") < full.Item("activations") * 0.8);
        Assert.InRange(frozenDecoder.Item("activations"), frozenBackbone.Item("activations"), full.Item("activations") - 1);
    }

    [Fact]
    public void MoreClassesAndAnAuxiliaryHeadKeepMoreLossBuffers()
    {
        var two = Estimates.Of(Estimates.Tiny());
        var twenty = Estimates.Of(Diagnosed.ValidWith("num_classes = 2", "num_classes = 20"));
        var withAux = Estimates.Of(Diagnosed.ValidPlus("aux_head aux { decoder fcn { channels = 32, num_convs = 1 }, head { }, weight = 0.4 }"));

        // Per class, pixel and sample: one head's fp32 log-probabilities, and one fp32 buffer more when the backward starts.
        long perClassBuffers = (20 - 2) * 224L * 224 * 8 * (4 + 4);
        Assert.Equal(perClassBuffers, twenty.Item("logits and loss") - two.Item("logits and loss"));
        Assert.Equal(2 * 224L * 224 * 8 * 4, withAux.Item("logits and loss") - two.Item("logits and loss"));
    }

    [Fact]
    public void DiceKeepsMoreThanCrossEntropy()
    {
        var ce = LossActivations.For("ce", Mixed);
        var dice = LossActivations.For("dice", Mixed);

        Assert.Equal(4, ce.Saved);
        Assert.True(dice.Saved > ce.Saved);
    }
}
