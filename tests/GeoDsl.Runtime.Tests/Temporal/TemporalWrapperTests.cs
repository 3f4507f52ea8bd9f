using GeoDsl.Runtime.Backbones;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Temporal;

/// <summary>TemporalWrapper runs a single-image backbone per frame and pools as TerraTorch's wrapper does.</summary>
public sealed class TemporalWrapperTests
{
    /// <summary>A one-convolution backbone: [B, 3, H, W] → one map [B, 4, H, W].</summary>
    private sealed class OneConv : Backbone<MapFeatures>
    {
        private readonly TorchSharp.Modules.Conv2d conv = nn.Conv2d(3, 4, 1);

        public OneConv() : base("OneConv") => RegisterComponents();

        public override MapFeatures forward(BackboneInput input) => new(conv.call(input.Pixels));
    }

    private static (OneConv Inner, Tensor Pixels, Tensor[] Frames) Setup()
    {
        torch.manual_seed(5);
        var inner = new OneConv();
        var pixels = randn(new long[] { 2, 3, 3, 5, 5 });
        var frames = Enumerable.Range(0, 3).Select(t => inner.call(new BackboneInput(pixels.select(2, t))).Tensors[0]).ToArray();
        return (inner, pixels, frames);
    }

    [Fact]
    public void MeanAveragesTheFramesFeatures()
    {
        var (inner, pixels, frames) = Setup();
        var wrapped = new TemporalWrapper<MapFeatures>(inner, "mean", 3);
        var expected = stack(frames, 1).mean(new long[] { 1 });
        Assert.True(wrapped.call(new BackboneInput(pixels)).Tensors[0].allclose(expected, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void MaxTakesTheLargestPerPosition()
    {
        var (inner, pixels, frames) = Setup();
        var wrapped = new TemporalWrapper<MapFeatures>(inner, "max", 3);
        Assert.True(wrapped.call(new BackboneInput(pixels)).Tensors[0].allclose(stack(frames, 1).max(1).values, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void ConcatPutsChannelCOfFrameTAtCTimesFramesPlusT()
    {
        var (inner, pixels, frames) = Setup();
        var wrapped = new TemporalWrapper<MapFeatures>(inner, "concat", 3);
        var output = wrapped.call(new BackboneInput(pixels)).Tensors[0];
        Assert.Equal(new long[] { 2, 12, 5, 5 }, output.shape);
        Assert.True(output[.., 2 * 3 + 1].allclose(frames[1][.., 2], rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void DiffSubtractsTheSecondFrameFromTheFirst()
    {
        torch.manual_seed(5);
        var inner = new OneConv();
        var pixels = randn(new long[] { 1, 3, 2, 4, 4 });
        var wrapped = new TemporalWrapper<MapFeatures>(inner, "diff", 2);
        var expected = inner.call(new BackboneInput(pixels.select(2, 0))).Tensors[0] - inner.call(new BackboneInput(pixels.select(2, 1))).Tensors[0];
        Assert.True(wrapped.call(new BackboneInput(pixels)).Tensors[0].allclose(expected, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void TheWrappedBackbonesWeightsSitUnderEncoder()
    {
        var wrapped = TemporalWrapping.Wrap(new OneConv(), "mean", 3);
        Assert.Equal(new[] { "encoder.conv.bias", "encoder.conv.weight" }, wrapped.state_dict().Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.IsType<TemporalWrapper<MapFeatures>>(wrapped);
    }

    [Fact]
    public void AWrongFrameCountNamesTheExpectedLayout()
    {
        var wrapped = new TemporalWrapper<MapFeatures>(new OneConv(), "mean", 3);
        var error = Assert.Throws<ArgumentException>(() => wrapped.call(new BackboneInput(randn(new long[] { 1, 3, 2, 4, 4 }))));
        Assert.Contains("[B, C, 3, H, W]", error.Message);
        Assert.Contains("[1, 3, 2, 4, 4]", error.Message);
    }
}
