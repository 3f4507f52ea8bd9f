using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Backbones.ScaleMae;
using GeoDsl.Runtime.Tests.Backbones.SatMae;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.ScaleMae;

/// <summary>
/// State-dict keys, shapes and trainability equal TerraTorch's Scale-MAE encoder (bench/keys/NAME.txt from
/// terratorch/models/backbones/scalemae.py @24465ea): timm names, a fixed pos_embed of 197 rows whatever the patch size.
/// </summary>
public sealed class ScaleMaeStateDictTests
{
    [Theory]
    [InlineData("scalemae_vit_base_patch16")]
    [InlineData("scalemae_vit_large_patch16")]
    [InlineData("scalemae_vit_huge_patch14")]
    public void TheEncoderHasTheReferenceKeysAndShapes(string name)
    {
        var backbone = (ScaleMaeBackbone)MaeTestSupport.Backbone(name);
        var input = MaeTestSupport.PublishedInput(backbone);
        using var module = new ScaleMaeViT(ScaleMaeViTOptions.From(backbone.Resolve(input, MaeTestSupport.NoArguments)), name, torch.META);

        Assert.Equal(MaeTestSupport.ReferenceKeys(name), MaeTestSupport.Entries(module));
    }

    [Fact]
    public void TheUnusedPosEmbedIsABufferAndNotAParameter()
    {
        using var module = new ScaleMaeViT(ScaleMaeTestModels.Tiny());

        Assert.DoesNotContain("pos_embed", module.named_parameters().Select(p => p.name));
        Assert.Contains("pos_embed", module.named_buffers().Select(b => b.name));
        Assert.Equal(new long[] { 1, 197, 32 }, module.state_dict()["pos_embed"].shape);
    }
}
