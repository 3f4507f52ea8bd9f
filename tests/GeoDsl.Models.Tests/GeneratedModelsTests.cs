using GeoDsl.Runtime.Composition;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Models.Tests;

public sealed class GeneratedModelsTests
{
    [Fact]
    public void GeneratedSen1Floods11ModelHasTheTerraTorchBandLayout()
    {
        Assert.Equal(6, Sen1Floods11Prithvi300.Channels);
        Assert.Equal(3, Sen1Floods11Prithvi300.Bands.NIR_NARROW);
        Assert.Equal(512, Sen1Floods11Prithvi300.Height);
        Assert.Equal(326_845_700, Sen1Floods11Prithvi300.Analysis.Parameters.Total);
    }
}
