using GeoDsl.Runtime.Backbones.ScaleMae;
using GeoDsl.Runtime.Backbones.Ssl4eo;
using GeoDsl.Runtime.Tests.Backbones.ScaleMae;
using GeoDsl.Runtime.Tests.Backbones.Ssl4eo;

namespace GeoDsl.Runtime.Tests.Backbones.SatMae;

/// <summary>The MAE-family encoders refuse impossible options before building anything, naming every problem at once.</summary>
public sealed class MaeOptionValidationTests
{
    [Fact]
    public void ScaleMaeNamesEveryProblemOfItsOptions()
    {
        var options = ScaleMaeTestModels.Tiny() with { NumHeads = 5, DropPathRate = 1.0, OutIndices = new[] { 2 }, Res = 0 };

        var error = Assert.Throws<ArgumentException>(() => new ScaleMaeViT(options));

        Assert.StartsWith("Invalid Scale-MAE options: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("embed_dim 32 must be a multiple of num_heads 5.", error.Message, StringComparison.Ordinal);
        Assert.Contains("drop_path_rate must be in [0, 1); got 1.", error.Message, StringComparison.Ordinal);
        Assert.Contains("out_indices must name blocks in -2..1.", error.Message, StringComparison.Ordinal);
        Assert.Contains("res must be a positive number of metres; got 0.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ssl4eoRefusesAnImageSmallerThanOnePatch()
    {
        var options = Ssl4eoTestModels.Tiny(size: 8);

        var error = Assert.Throws<ArgumentException>(() => new Ssl4eoViT(options));

        Assert.Equal($"Invalid SSL4EO ViT options: img_size 8×8 must hold at least one {options.PatchSize}-pixel patch.", error.Message);
    }
}
