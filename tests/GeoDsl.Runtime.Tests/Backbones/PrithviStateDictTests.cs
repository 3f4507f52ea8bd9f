using GeoDsl.Runtime.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones;

/// <summary>
/// State-dict names and shapes must equal TerraTorch's so published checkpoints load by name.
/// Expected keys derived from IBM/terratorch <c>terratorch/models/backbones/prithvi_mae.py</c> (class PrithviViT:
/// <c>patch_embed</c> = PatchEmbed with <c>proj</c> Conv3d; <c>temporal_embed_enc</c>/<c>location_embed_enc</c> with
/// <c>scale</c>; <c>cls_token</c> parameter; <c>pos_embed</c> buffer; <c>blocks</c> ModuleList of timm Block; <c>norm</c>)
/// and huggingface/pytorch-image-models <c>timm/models/vision_transformer.py</c> (Block: <c>norm1</c>, <c>attn</c> with
/// <c>qkv</c>/<c>proj</c>, <c>norm2</c>, <c>mlp</c> with <c>fc1</c>/<c>fc2</c>; the Identity/DropPath layers hold nothing).
/// </summary>
public sealed class PrithviStateDictTests
{
    // Tiny configuration: 3 bands, D = 32, 2 blocks, patch 1×4×4, 2 frames of 8×8 → 8 tokens + cls.
    private static readonly (string Key, long[] Shape)[] ExpectedTiny =
    {
        ("cls_token", new long[] { 1, 1, 32 }),
        ("pos_embed", new long[] { 1, 9, 32 }),
        ("patch_embed.proj.weight", new long[] { 32, 3, 1, 4, 4 }),
        ("patch_embed.proj.bias", new long[] { 32 }),
        ("blocks.0.norm1.weight", new long[] { 32 }),
        ("blocks.0.norm1.bias", new long[] { 32 }),
        ("blocks.0.attn.qkv.weight", new long[] { 96, 32 }),
        ("blocks.0.attn.qkv.bias", new long[] { 96 }),
        ("blocks.0.attn.proj.weight", new long[] { 32, 32 }),
        ("blocks.0.attn.proj.bias", new long[] { 32 }),
        ("blocks.0.norm2.weight", new long[] { 32 }),
        ("blocks.0.norm2.bias", new long[] { 32 }),
        ("blocks.0.mlp.fc1.weight", new long[] { 128, 32 }),
        ("blocks.0.mlp.fc1.bias", new long[] { 128 }),
        ("blocks.0.mlp.fc2.weight", new long[] { 32, 128 }),
        ("blocks.0.mlp.fc2.bias", new long[] { 32 }),
        ("blocks.1.norm1.weight", new long[] { 32 }),
        ("blocks.1.norm1.bias", new long[] { 32 }),
        ("blocks.1.attn.qkv.weight", new long[] { 96, 32 }),
        ("blocks.1.attn.qkv.bias", new long[] { 96 }),
        ("blocks.1.attn.proj.weight", new long[] { 32, 32 }),
        ("blocks.1.attn.proj.bias", new long[] { 32 }),
        ("blocks.1.norm2.weight", new long[] { 32 }),
        ("blocks.1.norm2.bias", new long[] { 32 }),
        ("blocks.1.mlp.fc1.weight", new long[] { 128, 32 }),
        ("blocks.1.mlp.fc1.bias", new long[] { 128 }),
        ("blocks.1.mlp.fc2.weight", new long[] { 32, 128 }),
        ("blocks.1.mlp.fc2.bias", new long[] { 32 }),
        ("norm.weight", new long[] { 32 }),
        ("norm.bias", new long[] { 32 }),
    };

    private static readonly (string Key, long[] Shape)[] ExpectedCoordinateScales =
    {
        ("temporal_embed_enc.scale", new long[] { 1 }),
        ("location_embed_enc.scale", new long[] { 1 }),
    };

    [Fact]
    public void TheStateDictKeysOfASmallEncoderEqualTerraTorchs()
    {
        using var model = new PrithviViT(PrithviTestModels.Tiny());
        var keys = model.state_dict().Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
        var expected = ExpectedTiny.Select(e => e.Key).OrderBy(k => k, StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, keys);
    }

    [Fact]
    public void EveryStateDictEntryHasTerraTorchsShape()
    {
        using var model = new PrithviViT(PrithviTestModels.Tiny());
        var state = model.state_dict();
        foreach (var (key, shape) in ExpectedTiny)
        {
            Assert.True(state.ContainsKey(key), $"missing {key}");
            Assert.Equal(shape, state[key].shape);
        }
    }

    [Fact]
    public void TheTlVariantAddsBothCoordinateScalesAsLearnableParameters()
    {
        using var model = new PrithviViT(PrithviTestModels.TinyTl());
        var state = model.state_dict();
        var expected = ExpectedTiny.Concat(ExpectedCoordinateScales).Select(e => e.Key).OrderBy(k => k, StringComparer.Ordinal);
        Assert.Equal(expected, state.Keys.OrderBy(k => k, StringComparer.Ordinal));

        var parameters = model.named_parameters().Select(p => p.name).ToHashSet();
        Assert.Contains("temporal_embed_enc.scale", parameters);
        Assert.Contains("location_embed_enc.scale", parameters);
        Assert.Equal(0.1f, state["temporal_embed_enc.scale"].item<float>(), 6);
        Assert.Equal(0.1f, state["location_embed_enc.scale"].item<float>(), 6);
    }

    [Fact]
    public void FixedCoordinateScalesAreBuffersOfOneThatStillAppearInTheStateDict()
    {
        using var model = new PrithviViT(PrithviTestModels.Tiny() with { TimeEncoding = true, LocationEncoding = true });
        var state = model.state_dict();
        Assert.Equal(1f, state["temporal_embed_enc.scale"].item<float>());
        Assert.Equal(1f, state["location_embed_enc.scale"].item<float>());

        var parameters = model.named_parameters().Select(p => p.name).ToHashSet();
        Assert.DoesNotContain("temporal_embed_enc.scale", parameters);
        Assert.DoesNotContain("location_embed_enc.scale", parameters);
        var buffers = model.named_buffers().Select(b => b.name).ToHashSet();
        Assert.Contains("temporal_embed_enc.scale", buffers);
    }

    [Fact]
    public void PosEmbedIsAPersistentBufferAndNotAParameter()
    {
        using var model = new PrithviViT(PrithviTestModels.Tiny());
        Assert.DoesNotContain("pos_embed", model.named_parameters().Select(p => p.name));
        Assert.Equal(new[] { "pos_embed" }, model.named_buffers(include_nonpersistent: false).Select(b => b.name));
        Assert.False(model.state_dict()["pos_embed"].requires_grad);
    }

    [Fact]
    public void AStateDictCopiedByNameReproducesTheOutputs()
    {
        torch.manual_seed(3);
        using var source = new PrithviViT(PrithviTestModels.TinyTl());
        torch.manual_seed(4);
        using var target = new PrithviViT(PrithviTestModels.TinyTl());
        source.eval();
        target.eval();

        var (missing, unexpected) = target.load_state_dict(source.state_dict(), strict: true);
        Assert.Empty(missing);
        Assert.Empty(unexpected);

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var pixels = PrithviTestModels.Pixels(2, 3, 2, 8, 8);
        var time = torch.tensor(new float[] { 2020, 100, 2020, 116, 2021, 5, 2021, 21 }, new long[] { 2, 2, 2 });
        var location = torch.tensor(new float[] { 47.5f, 8.2f, -12f, 130f }, new long[] { 2, 2 });
        var a = source.call(new Features.BackboneInput(pixels, time, location));
        var b = target.call(new Features.BackboneInput(pixels, time, location));
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(0f, PrithviTestModels.MaxAbsDifference(a[i], b[i]));
        }
    }
}
