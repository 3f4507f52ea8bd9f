using GeoDsl.Runtime.Backbones.Swin;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.Swin;

/// <summary>
/// Shifted windows as the references compute them: the relative position index and v2's coordinate table hold
/// torchvision's numbers (values printed from Debian's torchvision 0.14.1), the shift mask separates the regions the roll
/// brings together, and TerraTorch's MMSeg Swin computes exactly what torchvision's v1 Swin computes from the same weights
/// in the original Swin's names (converted as TerraTorch's <c>convert_weights_swin2mmseg</c> does) — except where a window
/// covers a whole map, which torchvision stops shifting and MMSeg does not.
/// </summary>
public sealed class SwinWindowTests
{
    [Fact]
    public void TheRelativePositionIndexHoldsTorchvisionsNumbers()
    {
        var index = SwinWindows.RelativePositionIndex(8, 8);
        Assert.Equal(new long[] { 4096 }, index.shape);
        Assert.Equal(new long[] { 112, 111, 110, 109, 108 }, index[..5].data<long>().ToArray());
        Assert.Equal(new long[] { 114, 113, 112 }, index[^3..].data<long>().ToArray());
        Assert.Equal(49L, index[100].item<long>());
    }

    [Fact]
    public void TheV2CoordinateTableHoldsTorchvisionsLogSpacedNumbers()
    {
        var table = ShiftedWindowAttentionV2.CoordinatesTable(8);
        Assert.Equal(new long[] { 1, 15, 15, 2 }, table.shape);
        Assert.Equal(new[] { -1.056641697883606f, -1.056641697883606f }, table[0, 0, 0].data<float>().ToArray());
        Assert.Equal(new[] { 0f, 0f }, table[0, 7, 7].data<float>().ToArray());
        Assert.Equal(new[] { 1.056641697883606f, -0.8260157704353333f }, table[0, 14, 3].data<float>().ToArray());
        Assert.Equal(new[] { 0.572068989276886f, 0.9157446026802063f }, table[0, 9, 12].data<float>().ToArray());
    }

    [Fact]
    public void TheShiftMaskSeparatesTheRegionsTheRollBringsTogether()
    {
        // 4 × 4 map, window 2, shift 1: rows and columns split into [0, 2), [2, 3), [3, 4); the last window holds one
        // token of each of four regions, the first window one region.
        var mask = SwinWindows.ShiftMask(4, 4, (2, 2), (1, 1), ScalarType.Float32, torch.CPU);
        Assert.Equal(new long[] { 4, 4, 4 }, mask.shape);
        Assert.Equal(0f, mask[0].abs().max().item<float>());
        var last = mask[3];
        Assert.Equal(0f, last.diag().abs().max().item<float>());
        Assert.Equal(-100f * 12, last.sum().item<float>());
    }

    /// <summary>A torchvision state dict under the original Swin's (SimMIM's) names, with SimMIM's extra tensors.</summary>
    private static Dictionary<string, Tensor> AsSimMim(SwinTransformer swin)
    {
        var file = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, value) in swin.state_dict())
        {
            var parts = key.Split('.');
            int feature = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            string rest = string.Join('.', parts.Skip(2));
            string name = feature == 0
                ? "patch_embed." + (parts[2] == "0" ? "proj" : "norm") + "." + parts[3]
                : feature % 2 == 1
                    ? $"layers.{feature / 2}.blocks.{rest}".Replace("mlp.0.", "mlp.fc1.", StringComparison.Ordinal).Replace("mlp.3.", "mlp.fc2.", StringComparison.Ordinal)
                    : $"layers.{(feature / 2) - 1}.downsample.{rest}";
            file["encoder." + name] = value;
        }

        file["encoder.mask_token"] = torch.zeros(1, 1, 8);
        file["encoder.layers.0.blocks.1.attn_mask"] = torch.zeros(4, 4, 4);
        file["decoder.0.weight"] = torch.zeros(48, 64, 1, 1);
        return file;
    }

    private static (ChannelLastMapFeatures Torchvision, ChannelLastMapFeatures Mmseg) BothLayouts(long size)
    {
        var options = SwinTestModels.TinyShifted() with { WindowSize = 2 };
        torch.manual_seed(4);
        using var torchvision = new SwinTransformer(options);
        using var mmseg = new PrithviSwinTransformer(options);
        var bands = new[] { "RED", "GREEN", "BLUE" };
        var report = PrithviSwinCheckpoint.Load(mmseg, AsSimMim(torchvision), bands, bands, "simmim");
        Assert.Empty(report.Missing);
        Assert.Empty(report.Unexpected);
        Assert.Contains("encoder.mask_token", report.Ignored);

        torchvision.eval();
        mmseg.eval();
        using var noGrad = torch.no_grad();
        var pixels = SwinTestModels.Pixels(2, 3, size, size);
        return (torchvision.call(new BackboneInput(pixels)), mmseg.call(new BackboneInput(pixels)));
    }

    private static Tensor LayerNormed(Tensor x) => nn.functional.layer_norm(x, new[] { x.shape[^1] }, eps: 1e-5);

    [Fact]
    public void TheMmsegSwinComputesTorchvisionsStagesFromConvertedOriginalSwinWeights()
    {
        // 128 px: maps 32, 16, 8, 4, all larger than the window (2), so both shift every odd block. The original Swin has no
        // per-stage norms, so MMSeg's keep their initial identity affine: its outputs are the stages, layer-normed.
        var (torchvision, mmseg) = BothLayouts(128);
        for (int stage = 0; stage < 4; stage++)
        {
            var difference = SwinTestModels.MaxAbsDifference(LayerNormed(torchvision[stage]), mmseg[stage]);
            Assert.True(difference < 1e-4f, $"stage {stage}: {difference}");
        }
    }

    [Fact]
    public void WhereAWindowCoversTheWholeMapTorchvisionStopsShiftingAndMmsegDoesNot()
    {
        // 64 px: the last stage is 2 × 2, one window.
        var (torchvision, mmseg) = BothLayouts(64);
        for (int stage = 0; stage < 3; stage++)
        {
            Assert.True(SwinTestModels.MaxAbsDifference(LayerNormed(torchvision[stage]), mmseg[stage]) < 1e-4f);
        }

        Assert.True(SwinTestModels.MaxAbsDifference(LayerNormed(torchvision[3]), mmseg[3]) > 1e-3f);
    }

    [Fact]
    public void MergingWeightsReorderFromConcatenationToUnfoldOrder()
    {
        // C = 2, inputs p0c0 p0c1 p1c0 p1c1 p2c0 p2c1 p3c0 p3c1 with p = (0,0), (1,0), (0,1), (1,1); unfold order is
        // c·4 + 2·row + column, so (1,0) and (0,1) swap places and channels go outside.
        var weight = torch.arange(8, dtype: ScalarType.Float32).reshape(1, 8);
        Assert.Equal(new float[] { 0, 4, 2, 6, 1, 5, 3, 7 }, PrithviSwinCheckpoint.UnfoldOrderReduction(weight).data<float>().ToArray());
        Assert.Equal(new float[] { 0, 4, 2, 6, 1, 5, 3, 7 }, PrithviSwinCheckpoint.UnfoldOrderNorm(weight.flatten()).data<float>().ToArray());
    }
}
