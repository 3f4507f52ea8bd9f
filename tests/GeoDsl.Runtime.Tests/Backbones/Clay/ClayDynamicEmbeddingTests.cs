using GeoDsl.Runtime.Backbones.Clay;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.Clay;

/// <summary>
/// Clay's DynamicEmbedding: the wavelength embedding is posemb_sincos_1d (ω with the "− 1" denominator), kernels are laid
/// out as "cin (cout k1 k2) -> cout cin k1 k2" and scaled by 0.02 while the bias is not, and bands are identified only by
/// their wavelengths.
/// </summary>
public sealed class ClayDynamicEmbeddingTests
{
    private static Tensor Waves(params double[] micrometres) => torch.tensor(micrometres.Select(w => (float)w).ToArray());

    [Fact]
    public void TheWavelengthEmbeddingUsesClaysFrequencies()
    {
        var embedding = ClayDynamicEmbedding.PositionEmbedding1D(Waves(0.665, 2.19), 8);

        Assert.Equal(new long[] { 2, 8 }, embedding.shape);
        for (var k = 0; k < 4; k++)
        {
            double omega = 1 / Math.Pow(10000, k / 3.0);
            Assert.Equal(Math.Sin(2.19 * omega), embedding[1, k].item<float>(), 5);
            Assert.Equal(Math.Cos(2.19 * omega), embedding[1, 4 + k].item<float>(), 5);
        }
    }

    [Fact]
    public void TheKernelIsLaidOutOutputChannelFirstAndScaledWhileTheBiasIsNot()
    {
        torch.manual_seed(14);
        using var embedding = new ClayDynamicEmbedding(embedDim: 16, patchSize: 8);
        using var noGrad = torch.no_grad();
        var waves = Waves(0.665, 0.56);
        var generator = (ClayWavesTransformer)embedding.named_children().Single(c => c.name == "weight_generator").module;
        var fclayer = (nn.Module<Tensor, Tensor>)embedding.named_children().Single(c => c.name == "fclayer").module;

        var (kernel, bias) = embedding.GenerateKernel(waves);
        var (flat, rawBias) = generator.Generate(fclayer.call(ClayDynamicEmbedding.PositionEmbedding1D(waves, 128))); // [C, D·8·8], [D]

        Assert.Equal(new long[] { 16, 2, 8, 8 }, kernel.shape);
        foreach (var (d, c, i, j) in new[] { (0, 0, 0, 0), (3, 1, 2, 5), (15, 1, 7, 7) })
        {
            var expected = flat[c, (d * 64) + (i * 8) + j].item<float>() * 0.02f;
            Assert.Equal(expected, kernel[d, c, i, j].item<float>(), 6);
        }

        Assert.Equal(0f, ClayTestModels.MaxAbsDifference(bias, rawBias));
    }

    [Fact]
    public void PermutingBandsAndTheirWavelengthsTogetherLeavesTheTokensUnchanged()
    {
        torch.manual_seed(15);
        using var ordered = new ClayEncoder(ClayTestModels.Tiny());
        using var permuted = new ClayEncoder(ClayTestModels.Tiny() with { Wavelengths = new[] { 0.493, 0.665, 0.56 } });
        permuted.load_state_dict(ordered.state_dict());
        ordered.eval();
        permuted.eval();
        using var noGrad = torch.no_grad();
        var pixels = ClayTestModels.Pixels(2, 3, 32, 32);

        var a = ordered.Encode(pixels)[0];
        var b = permuted.Encode(pixels.index_select(1, torch.tensor(new long[] { 2, 0, 1 })))[0];

        Assert.True(ClayTestModels.MaxAbsDifference(a, b) < 1e-5f);
    }
}
