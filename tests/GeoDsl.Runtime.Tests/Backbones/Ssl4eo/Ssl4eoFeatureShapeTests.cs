using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Backbones.Ssl4eo;
using GeoDsl.Runtime.Composition;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Tests.Backbones.SatMae;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.Ssl4eo;

/// <summary>
/// TerraTorch returns timm's <c>forward_intermediates</c>: one channel-first map per block, [B, D, H/16, W/16], without
/// the class token or the final norm. The front end infers the same list, at 224 px and at a non-square size.
/// </summary>
public sealed class Ssl4eoFeatureShapeTests
{
    [Theory]
    [InlineData("224", 224, 224)]
    [InlineData("[64, 96]", 64, 96)]
    public void EveryBlockGivesAMapOfTheInferredShape(string size, int height, int width)
    {
        var analysis = ModelSpecs.Analyze(Ssl4eoTestModels.Model(size));
        var inferred = SatMaeFeatureShapeTests.BackboneOutput(analysis);
        using var model = new GeoModel(analysis.Spec);
        model.eval();
        using var noGrad = no_grad();

        var features = ((IBackbone)model.Encoder).Encode(new BackboneInput(MaeTestSupport.Pixels(2, 13, height, width)));

        Assert.IsType<MapFeatures>(features);
        Assert.Equal(FeatureKind.Maps, inferred.Kind);
        Assert.Equal(3, features.Count);
        Assert.Equal(3, inferred.Count);
        Assert.All(inferred.Tensors, t => Assert.Equal(TensorShape.Of(32, height / 16, width / 16), t));
        Assert.All(features.Tensors, t => Assert.Equal(new long[] { 2, 32, height / 16, width / 16 }, t.shape));
    }

    [Fact]
    public void TheMapsAreThePatchTokensInRowMajorOrder()
    {
        // With one block and the pixels of a single patch changed, only that patch's map cell changes at the output of the
        // patch embedding; after attention every cell changes, so compare an encoder whose block sees only its input.
        torch.manual_seed(3);
        using var encoder = new Ssl4eoViT(Ssl4eoTestModels.Tiny(size: 32) with { Depth = 1 });
        encoder.eval();
        using var noGrad = no_grad();
        var pixels = MaeTestSupport.Pixels(1, 13, 32, 64);
        var changed = pixels.clone();
        changed[.., .., 16..32, 48..64] += 1.0f; // the patch at row 1, column 3

        var a = encoder.call(new BackboneInput(pixels))[0];
        var b = encoder.call(new BackboneInput(changed))[0];

        Assert.Equal(new long[] { 1, 32, 2, 4 }, a.shape);
        var cellChange = (a - b).abs().sum(new long[] { 1 })[0];
        Assert.Equal(3, cellChange[1].argmax().item<long>());
        Assert.True(cellChange[1, 3].item<float>() > cellChange[0, 0].item<float>());
    }
}
