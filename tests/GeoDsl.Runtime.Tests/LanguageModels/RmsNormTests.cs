using GeoDsl.Runtime.LanguageModels;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.LanguageModels;

/// <summary>RMSNorm divides by the root mean square; the gated form multiplies by SiLU(gate) first.</summary>
public sealed class RmsNormTests
{
    [Fact]
    public void ThreeFourBecomesItselfOverTheRootMeanSquare()
    {
        // rms(3, 4) = √12.5 = 3.5355: (0.84853, 1.13137).
        using var norm = new RmsNorm(2, eps: 0);
        var y = norm.call(torch.tensor(new float[] { 3, 4 }));
        Assert.Equal(0.84853f, y[0].item<float>(), 4);
        Assert.Equal(1.13137f, y[1].item<float>(), 4);
    }

    [Fact]
    public void AGateOfZeroSilencesTheInputBeforeNormalising()
    {
        // SiLU(0) = 0, so the gated input is 0 and stays 0 after normalising (eps keeps it finite).
        using var norm = new RmsNorm(2);
        var y = norm.Gated(torch.tensor(new float[] { 3, 4 }), torch.zeros(2));
        Assert.Equal(0f, y.abs().sum().item<float>());
    }
}
