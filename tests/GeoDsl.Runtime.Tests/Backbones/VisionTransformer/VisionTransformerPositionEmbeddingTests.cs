using GeoDsl.Runtime.Backbones.VisionTransformer;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.VisionTransformer;

/// <summary>
/// The learned position embedding at other grids: torchvision's <c>interpolate_embeddings</c> (vision_transformer.py)
/// keeps the class position and resizes the patch positions with <c>interpolate(mode="bicubic", align_corners=True)</c>.
/// </summary>
public sealed class VisionTransformerPositionEmbeddingTests
{
    [Fact]
    public void TheStoredGridUsesTheParameterItself()
    {
        using var model = new TorchvisionViT(VisionTransformerTestModels.Tiny(layers: 1));
        var stored = model.state_dict()["encoder.pos_embedding"];
        Assert.Equal(stored.Handle, model.PositionEmbeddingFor(4, 4).Handle);
    }

    [Fact]
    public void AnotherGridKeepsTheClassPositionAndTheCornerPatches()
    {
        using var model = new TorchvisionViT(VisionTransformerTestModels.Tiny(layers: 1));
        using var noGrad = torch.no_grad();
        var stored = model.state_dict()["encoder.pos_embedding"]; // [1, 1 + 4·4, 32]
        var resized = model.PositionEmbeddingFor(6, 10);

        Assert.Equal(new long[] { 1, 61, 32 }, resized.shape);
        Assert.Equal(0f, VisionTransformerTestModels.MaxAbsDifference(stored[.., 0], resized[.., 0]));

        // align_corners = true: the four corner patches land exactly on the stored corners.
        (int From, int To)[] corners = { (1, 1), (1 + 3, 1 + 9), (1 + 12, 1 + 50), (1 + 15, 1 + 59) };
        foreach (var (from, to) in corners)
        {
            Assert.True(VisionTransformerTestModels.MaxAbsDifference(stored[.., from], resized[.., to]) < 1e-6f, $"patch {from} → {to}");
        }
    }

    [Fact]
    public void TheResizeIsBicubicWithAlignedCornersAsInTorch()
    {
        // torch 1.13: interpolate([[0, 1, 4]], size=(1, 5), mode="bicubic", align_corners=True) = [0, 0.21875, 1, 2.59375, 4].
        var table = torch.tensor(new float[] { 9, 0, 1, 4 }).reshape(1, 4, 1);
        var resized = TorchvisionViTEncoder.Resize(table, (1, 3), (1, 5));
        Assert.Equal(new[] { 9f, 0f, 0.21875f, 1f, 2.59375f, 4f }, resized.data<float>().ToArray().Select(v => MathF.Round(v, 5)));
    }

    [Fact]
    public void AtAnotherSizeTheStoredPositionsStillLearn()
    {
        using var model = new TorchvisionViT(VisionTransformerTestModels.Tiny(layers: 1));
        model.train();
        var features = model.call(new BackboneInput(VisionTransformerTestModels.Pixels(1, 3, 24, 40)));
        features[0].square().mean().backward();

        var gradient = model.named_parameters().Single(p => p.name == "encoder.pos_embedding").parameter.grad;
        Assert.NotNull(gradient);
        Assert.True(gradient!.abs().sum().item<float>() > 0f);
    }
}
