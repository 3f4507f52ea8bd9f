using GeoDsl.Runtime.Backbones;
using GeoDsl.Runtime.Backbones.Dofa;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.Dofa;

/// <summary>
/// The wavelength hypernetwork as torchgeo's DOFAEmbedding computes it: kernels laid out as
/// weight.view(C, 16, 16, D).permute(3, 0, 1, 2) × 0.01, a stride-16 convolution with padding 1, and bands identified
/// only by their wavelengths.
/// </summary>
public sealed class DofaPatchEmbedTests
{
    private static Tensor Waves(params double[] micrometres) => torch.tensor(micrometres.Select(w => (float)w).ToArray());

    [Fact]
    public void TheGeneratedKernelHasOne16By16KernelPerBandAndIsLaidOutAsTorchgeoViewsIt()
    {
        torch.manual_seed(11);
        using var model = new DofaViT(DofaTestModels.Tiny());
        using var noGrad = torch.no_grad();
        var waves = Waves(0.665, 0.56, 0.49);
        var generator = (DofaWeightGenerator)model.PatchEmbed.named_children().Single(c => c.name == "weight_generator").module;
        var fclayer = (nn.Module<Tensor, Tensor>)model.PatchEmbed.named_children().Single(c => c.name == "fclayer").module;

        var (kernel, bias) = model.PatchEmbed.GenerateKernel(waves);
        var flat = generator.Generate(fclayer.call(SinCosEmbedding.OfPositions(128, waves * 1000))).Weight; // [C, 16·16·D]

        Assert.Equal(new long[] { 32, 3, 16, 16 }, kernel.shape);
        Assert.Equal(new long[] { 32 }, bias.shape);
        foreach (var (d, c, i, j) in new[] { (0, 0, 0, 0), (5, 1, 3, 7), (31, 2, 15, 15), (17, 0, 9, 2) })
        {
            var expected = flat[c, (((i * 16) + j) * 32) + d].item<float>() * 0.01f;
            Assert.Equal(expected, kernel[d, c, i, j].item<float>(), 6);
        }
    }

    [Fact]
    public void PermutingBandsAndTheirWavelengthsTogetherLeavesTheTokensUnchanged()
    {
        torch.manual_seed(12);
        using var ordered = new DofaViT(DofaTestModels.Tiny());
        using var permuted = new DofaViT(DofaTestModels.Tiny() with { Wavelengths = new[] { 0.49, 0.665, 0.56 } });
        permuted.load_state_dict(ordered.state_dict());
        ordered.eval();
        permuted.eval();
        using var noGrad = torch.no_grad();
        var pixels = DofaTestModels.Pixels(2, 3, 32, 32);

        var a = ordered.Encode(pixels)[0];
        var b = permuted.Encode(pixels.index_select(1, torch.tensor(new long[] { 2, 0, 1 })))[0];

        Assert.True(DofaTestModels.MaxAbsDifference(a, b) < 1e-5f);
    }

    [Fact]
    public void WithPaddingOneTheLastPixelRowAndColumnNeverReachATokenButTheFirstDo()
    {
        torch.manual_seed(13);
        using var model = new DofaViT(DofaTestModels.Tiny());
        using var noGrad = torch.no_grad();
        var waves = Waves(0.665, 0.56, 0.49);
        var pixels = DofaTestModels.Pixels(1, 3, 32, 32);
        var baseline = model.PatchEmbed.call(pixels, waves);

        var lastChanged = pixels.clone();
        lastChanged[.., .., 31, ..] = torch.tensor(100f);
        lastChanged[.., .., .., 31] = torch.tensor(100f);
        var firstChanged = pixels.clone();
        firstChanged[.., .., 0, ..] = torch.tensor(100f);

        Assert.Equal(0f, DofaTestModels.MaxAbsDifference(baseline, model.PatchEmbed.call(lastChanged, waves)));
        Assert.True(DofaTestModels.MaxAbsDifference(baseline, model.PatchEmbed.call(firstChanged, waves)) > 0);
    }

    [Fact]
    public void TheDeclaredPositionTableIsMaesTwoDimensionalSinCosWithAZeroClassRow()
    {
        using var table = DofaViT.SinCos2DWithClassToken(8, new Features.TokenGrid(1, 2, 3));
        var columns = SinCosEmbedding.OneDimensional(4, 3);
        var rows = SinCosEmbedding.OneDimensional(4, 2);

        Assert.Equal(new long[] { 1, 7, 8 }, table.shape);
        Assert.Equal(0f, table[0, 0].abs().sum().item<float>());
        for (var k = 0; k < 4; k++)
        {
            // Token for row 1, column 2 is number 1 + 1·3 + 2 = 6: column part first, then row part.
            Assert.Equal((float)columns[(2 * 4) + k], table[0, 6, k].item<float>(), 6);
            Assert.Equal((float)rows[(1 * 4) + k], table[0, 6, 4 + k].item<float>(), 6);
        }
    }
}
