using GeoDsl.Runtime.Backbones.TerraMind;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.TerraMind;

/// <summary>
/// encoder_embeddings.py <c>ImageEncoderEmbedding</c>: patches flattened (row, column, band) with the band fastest, a
/// bias-free projection, the fixed 2D sin-cos table of tm_utils.py <c>build_2d_sincos_posemb</c> and a learned modality
/// embedding; other grids resize the table bicubically (<c>interpolate_pos_encoding</c>, align_corners = false).
/// </summary>
public sealed class TerraMindEmbeddingTests
{
    [Fact]
    public void ThePositionTableHoldsSinesAndCosinesOfBothGridAxes()
    {
        // h = w = 3, D = 8: ω = [1, 1/100]; token n has a = n / 3 and b = n % 3 (meshgrid 'ij' over (w, h), flattened).
        using var table = TerraMindImageEmbedding.PositionTable(3, 3, 8);
        Assert.Equal(new long[] { 1, 9, 8 }, table.shape);
        var values = table.data<float>().ToArray();
        for (int n = 0; n < 9; n++)
        {
            double a = n / 3, b = n % 3;
            double[] expected = { Math.Sin(a), Math.Sin(a / 100), Math.Cos(a), Math.Cos(a / 100), Math.Sin(b), Math.Sin(b / 100), Math.Cos(b), Math.Cos(b / 100) };
            for (int c = 0; c < 8; c++)
            {
                Assert.Equal(expected[c], values[(n * 8) + c], 6);
            }
        }
    }

    [Fact]
    public void OnANonSquareTableTheFirstQuarterFollowsTheSlowerAxis()
    {
        // h = 2, w = 3: token n has a = n / 2 ∈ {0, 0, 1, 1, 2, 2} and b = n % 2.
        using var table = TerraMindImageEmbedding.PositionTable(2, 3, 4);
        var sinA = table[0, .., 0].data<float>().ToArray();
        var sinB = table[0, .., 2].data<float>().ToArray();
        double[] expectedA = { 0, 0, Math.Sin(1), Math.Sin(1), Math.Sin(2), Math.Sin(2) };
        double[] expectedB = { 0, Math.Sin(1), 0, Math.Sin(1), 0, Math.Sin(1) };
        for (int n = 0; n < 6; n++)
        {
            Assert.Equal(expectedA[n], sinA[n], 6);
            Assert.Equal(expectedB[n], sinB[n], 6);
        }
    }

    [Fact]
    public void TheDeclaredGridUsesTheStoredTableAndOthersItsBicubicResize()
    {
        using var embedding = new TerraMindImageEmbedding(2, 16, patch_size: 16, image_size: 64);
        var stored = embedding.state_dict()["pos_emb"];
        Assert.Equal(new long[] { 1, 16, 16 }, stored.shape);
        Assert.Same(stored, embedding.PositionEmbeddingFor(4, 4));

        using var scope = torch.NewDisposeScope();
        var expected = nn.functional.interpolate(stored.reshape(1, 4, 4, 16).permute(0, 3, 1, 2), new long[] { 2, 6 }, mode: InterpolationMode.Bicubic, align_corners: false)
            .permute(0, 2, 3, 1).reshape(1, 12, 16);
        Assert.Equal(0f, TerraMindTestModels.MaxAbsDifference(expected, embedding.PositionEmbeddingFor(2, 6)));
    }

    [Fact]
    public void PatchesAreFlattenedPixelMajorWithTheBandFastest()
    {
        // One output unit reads feature f = (ph·p + pw)·C + c: pixel (1, 2) of band 1 in a 2-band, 4-px patch is f = 13.
        using var embedding = new TerraMindImageEmbedding(2, 4, patch_size: 4, image_size: 8);
        using (torch.no_grad())
        {
            var weight = embedding.state_dict()["proj.weight"];
            weight.zero_();
            weight[0, 13].fill_(1f);
            embedding.state_dict()["mod_emb"].zero_();
            embedding.state_dict()["pos_emb"].zero_();
        }

        using var scope = torch.NewDisposeScope();
        var image = torch.zeros(1, 2, 8, 8);
        image[0, 1, 5, 6].fill_(3f); // patch (1, 1) → token 3; inside it row 1, column 2
        using var noGrad = torch.no_grad();
        var tokens = embedding.call(image);
        Assert.Equal(new long[] { 1, 4, 4 }, tokens.shape);
        Assert.Equal(3f, tokens[0, 3, 0].item<float>());
        Assert.Equal(3f, tokens.abs().sum().item<float>());
    }

    [Fact]
    public void TheModalityEmbeddingIsAddedToEveryTokenOfItsModality()
    {
        using var embedding = new TerraMindImageEmbedding(1, 8, patch_size: 4, image_size: 8);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var tokens = embedding.call(torch.zeros(1, 1, 8, 8));
        var expected = embedding.state_dict()["pos_emb"] + embedding.state_dict()["mod_emb"];
        Assert.Equal(0f, TerraMindTestModels.MaxAbsDifference(expected, tokens));
    }
}
