using GeoDsl.Runtime.Backbones.TerraMind;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.TerraMind;

/// <summary>
/// terramind_vit.py merges each block's output over the image modalities: split by modality, stack, then mean, max, or
/// concat along the width in modality order; 'dict' keeps them apart (<see cref="TerraMindViT.EncodePerModality"/>).
/// The blocks always attend over the whole concatenated sequence.
/// </summary>
public sealed class TerraMindMergeTests
{
    private static (TokenFeatures Merged, IReadOnlyDictionary<string, TokenFeatures> PerModality) Run(string merge)
    {
        torch.manual_seed(7);
        using var model = new TerraMindViT(TerraMindTestModels.Tiny(merge: merge));
        model.eval();
        using var noGrad = torch.no_grad();
        var pixels = TerraMindTestModels.Pixels(2, 5, 32, 64);
        var input = new BackboneInput(pixels);
        return (model.call(input), model.EncodePerModality(input));
    }

    [Fact]
    public void MeanAveragesTheModalitiesTokens()
    {
        var (merged, perModality) = Run("mean");
        Assert.Equal(new[] { "S2RGB", "S1GRD" }, perModality.Keys);
        for (int i = 0; i < merged.Count; i++)
        {
            var expected = (perModality["S2RGB"][i] + perModality["S1GRD"][i]) / 2;
            Assert.True(TerraMindTestModels.MaxAbsDifference(expected, merged[i]) < 1e-6f);
        }
    }

    [Fact]
    public void MaxTakesTheLargerValueOfEachModality()
    {
        var (merged, perModality) = Run("max");
        for (int i = 0; i < merged.Count; i++)
        {
            var expected = torch.maximum(perModality["S2RGB"][i], perModality["S1GRD"][i]);
            Assert.Equal(0f, TerraMindTestModels.MaxAbsDifference(expected, merged[i]));
        }
    }

    [Fact]
    public void ConcatPutsTheModalitiesSideBySideInModalityOrder()
    {
        var (merged, perModality) = Run("concat");
        for (int i = 0; i < merged.Count; i++)
        {
            Assert.Equal(new long[] { 2, 8, 64 }, merged[i].shape);
            Assert.Equal(0f, TerraMindTestModels.MaxAbsDifference(perModality["S2RGB"][i], merged[i].narrow(2, 0, 32)));
            Assert.Equal(0f, TerraMindTestModels.MaxAbsDifference(perModality["S1GRD"][i], merged[i].narrow(2, 32, 32)));
        }
    }

    [Fact]
    public void OnlyTheLastBlockPassesThroughTheEncoderNorm()
    {
        // With the norm's weight at 1 and its bias 0, the last output has zero mean and unit variance per token.
        var (merged, perModality) = Run("concat");
        var last = perModality["S1GRD"][^1];
        Assert.True(last.mean(new long[] { -1 }).abs().max().item<float>() < 1e-4f);
        var earlier = perModality["S1GRD"][0];
        Assert.True(earlier.mean(new long[] { -1 }).abs().max().item<float>() > 1e-3f);
        Assert.Equal(2, merged.Count);
    }

    [Fact]
    public void TheModalitiesAttendToEachOther()
    {
        // Changing only the S1 channels changes the S2 tokens after the first block.
        torch.manual_seed(7);
        using var model = new TerraMindViT(TerraMindTestModels.Tiny());
        model.eval();
        using var noGrad = torch.no_grad();
        var pixels = TerraMindTestModels.Pixels(1, 5, 32, 32);
        var changed = pixels.clone();
        changed.narrow(1, 3, 2).add_(1.0);
        var a = model.EncodePerModality(new BackboneInput(pixels))["S2RGB"][0];
        var b = model.EncodePerModality(new BackboneInput(changed))["S2RGB"][0];
        Assert.True(TerraMindTestModels.MaxAbsDifference(a, b) > 1e-4f);
    }
}
