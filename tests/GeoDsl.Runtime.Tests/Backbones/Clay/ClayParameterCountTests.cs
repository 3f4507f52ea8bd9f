using GeoDsl.Runtime.Backbones.Clay;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.Clay;

/// <summary>
/// The published encoders, built on the meta device, have exactly the learnable parameters the front end computes and
/// the torch 1.13 restatement of Clay's Encoder counts (bench/keys/clay_*.txt). v1.5's 311,442,944 is the "Encoder size:
/// 311M" of Clay's specification; v1.0's 92,102,144 is the encoder part of its "201M" (see the front-end tests).
/// </summary>
public sealed class ClayParameterCountTests
{
    public static TheoryData<string, long> Published => new()
    {
        { "clay_v1_base", 92_102_144 },
        { "clay_v1_5_large", 311_442_944 },
    };

    [Theory]
    [MemberData(nameof(Published))]
    public void ThePublishedEncoderHasTheExactLearnableParameterCount(string name, long expected)
    {
        using var model = new ClayEncoder(ClayTestModels.Published(name), name, device: torch.META);

        Assert.Equal(expected, model.TrainableCount());
        Assert.Equal(expected, ClayTestModels.KeyListLearnableCount(name));
    }

    [Theory]
    [MemberData(nameof(Published))]
    public void TheFrontEndCountsTheSameForTheCatalogEntry(string name, long expected)
    {
        var analysis = ClayTestModels.Analyze(ClayTestModels.Model(name, size: "256", arguments: ""));

        Assert.Equal(expected, analysis.Trace.Stages[0].Parameters);
    }

    [Fact]
    public void TheBandCountDoesNotChangeTheParameters()
    {
        using var ten = new ClayEncoder(ClayTestModels.Published("clay_v1_base"), device: torch.META);
        using var two = new ClayEncoder(ClayTestModels.Published("clay_v1_base") with { Wavelengths = new[] { 3.5, 4.0 } }, device: torch.META);

        Assert.Equal(ten.TrainableCount(), two.TrainableCount());
    }
}
