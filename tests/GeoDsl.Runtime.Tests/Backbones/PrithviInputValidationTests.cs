using GeoDsl.Runtime.Backbones;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones;

/// <summary>Wrong inputs fail with a message that names the expected layout and the actual shape.</summary>
public sealed class PrithviInputValidationTests
{
    private static PrithviViT Patch16Model(string name = "prithvi_eo_v2_300") =>
        new(PrithviTestModels.NarrowAtRealSize(patch: 16, frames: 1), name);

    private static Tensor Zeros(params long[] shape) => torch.zeros(shape);

    private static string ErrorFor(PrithviViT model, BackboneInput input)
    {
        using var scope = torch.NewDisposeScope();
        return Assert.Throws<ArgumentException>(() => model.call(input)).Message;
    }

    [Fact]
    public void AWrongChannelCountNamesTheExpectedAndActualLayout()
    {
        using var model = Patch16Model();
        var message = ErrorFor(model, new BackboneInput(Zeros(2, 4, 1, 224, 224)));
        Assert.StartsWith(
            "prithvi_eo_v2_300 expects pixels [B, 6, T, H, W] or [B, 6, H, W] with any T and H and W multiples of 16; " +
            "got [2, 4, 1, 224, 224].",
            message);
    }

    [Theory]
    [InlineData(225L, 224L)]
    [InlineData(224L, 200L)]
    [InlineData(8L, 8L)]
    public void ASizeThatIsNotAMultipleOfThePatchIsRejected(long height, long width)
    {
        using var model = Patch16Model();
        var message = ErrorFor(model, new BackboneInput(Zeros(1, 6, 1, height, width)));
        Assert.Contains("H and W multiples of 16", message);
        Assert.Contains($"got [1, 6, 1, {height}, {width}]", message);
    }

    [Fact]
    public void AFrameCountThatIsNotAMultipleOfTheTubeletIsRejected()
    {
        using var model = new PrithviViT(PrithviTestModels.Tiny() with { PatchSize = (2, 4, 4), NumFrames = 4 }, "tubelet2");
        var message = ErrorFor(model, new BackboneInput(Zeros(1, 3, 3, 8, 8)));
        Assert.Contains("with T a multiple of 2 and H and W multiples of 4", message);
        Assert.Contains("got [1, 3, 3, 8, 8]", message);
    }

    [Fact]
    public void AnInputOfTheWrongRankIsRejected()
    {
        using var model = Patch16Model();
        var message = ErrorFor(model, new BackboneInput(Zeros(6, 224, 224)));
        Assert.Contains("got [6, 224, 224]", message);
    }

    [Fact]
    public void TemporalCoordinatesOfTheWrongShapeAreRejected()
    {
        using var model = new PrithviViT(PrithviTestModels.TinyTl(), "tiny_tl");
        var message = ErrorFor(model, new BackboneInput(Zeros(2, 3, 2, 8, 8), Zeros(2, 3, 2)));
        Assert.Equal(
            "tiny_tl expects temporal coordinates [B, T, 2] (year, day of year) = [2, 2, 2] for these pixels; got [2, 3, 2].",
            message);
    }

    [Fact]
    public void LocationCoordinatesOfTheWrongShapeAreRejected()
    {
        using var model = new PrithviViT(PrithviTestModels.TinyTl(), "tiny_tl");
        var message = ErrorFor(model, new BackboneInput(Zeros(2, 3, 2, 8, 8), null, Zeros(2, 3)));
        Assert.Contains("location coordinates [B, 2] (latitude, longitude) = [2, 2]", message);
    }

    [Fact]
    public void InconsistentOptionsAreReportedTogether()
    {
        var options = PrithviTestModels.Tiny() with { EmbedDim = 40, NumHeads = 3, PatchSize = (2, 4, 4), TimeEncoding = true };
        var error = Assert.Throws<ArgumentException>(() => new PrithviViT(options));
        Assert.Contains("embed_dim must be a positive multiple of 16", error.Message);
        Assert.Contains("embed_dim 40 must be a multiple of num_heads 3", error.Message);
        Assert.Contains("patch_size[0] (the tubelet) must be 1", error.Message);
    }
}
