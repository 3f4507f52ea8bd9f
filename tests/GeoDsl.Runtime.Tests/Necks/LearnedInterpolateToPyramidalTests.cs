using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Necks;
using GeoDsl.Runtime.Tests.Support;
using TorchSharp;
using static GeoDsl.Runtime.Tests.Support.ModuleInspection;

namespace GeoDsl.Runtime.Tests.Necks;

// Reference: terratorch/models/necks.py, LearnedInterpolateToPyramidal:
//   fpn1 = Sequential(ConvTranspose2d(C0, C0//2, 2, 2), BatchNorm2d(C0//2), GELU(), ConvTranspose2d(C0//2, C0//4, 2, 2))
//   fpn2 = Sequential(ConvTranspose2d(C1, C1//2, 2, 2)); fpn3 = Sequential(Identity()); fpn4 = Sequential(MaxPool2d(2, 2))
public sealed class LearnedInterpolateToPyramidalTests
{
    [Fact]
    public void Its_state_dict_has_TerraTorchs_keys_and_shapes()
    {
        using var neck = new LearnedInterpolateToPyramidal([8, 12, 16, 16]);

        AssertStateDict(neck,
        [
            .. Layer("fpn1.0", [8, 4, 2, 2], 4),
            .. BatchNorm("fpn1.1", 4),
            .. Layer("fpn1.3", [4, 2, 2, 2], 2),
            .. Layer("fpn2.0", [12, 6, 2, 2], 6),
        ]);
    }

    [Fact]
    public void The_Sen1Floods11_trace_gives_the_four_level_pyramid()
    {
        // terratorch-facts.md §6 at batch 1: 4×[B,1024,32,32] → [256@128², 512@64², 1024@32², 1024@16²].
        torch.manual_seed(0);
        using var neck = new LearnedInterpolateToPyramidal([1024, 1024, 1024, 1024]);
        neck.eval();
        using var scope = torch.NewDisposeScope();
        var input = new MapFeatures(Enumerable.Range(0, 4).Select(_ => torch.randn(1, 1024, 32, 32)).ToArray());

        var output = neck.forward(input);

        Assert.Equal([1L, 256, 128, 128], output[0].shape);
        Assert.Equal([1L, 512, 64, 64], output[1].shape);
        Assert.Equal([1L, 1024, 32, 32], output[2].shape);
        Assert.Equal([1L, 1024, 16, 16], output[3].shape);
        Assert.Equal([256, 512, 1024, 1024], LearnedInterpolateToPyramidal.OutChannels([1024, 1024, 1024, 1024]));
    }

    [Fact]
    public void Its_parameter_count_matches_the_layer_shapes()
    {
        using var neck = new LearnedInterpolateToPyramidal([1024, 1024, 1024, 1024]);
        const long c0 = 1024, c1 = 1024;

        // ConvT k2: 4·Cin·Cout + Cout; BatchNorm: 2·C.
        var expected = (4 * c0 * (c0 / 2)) + (c0 / 2) + (2 * (c0 / 2)) + (4 * (c0 / 2) * (c0 / 4)) + (c0 / 4)
            + (4 * c1 * (c1 / 2)) + (c1 / 2);
        Assert.Equal(expected, ParameterCount(neck));
    }

    [Fact]
    public void Anything_but_four_inputs_is_rejected_when_built()
    {
        var error = Assert.Throws<ArgumentException>(() => new LearnedInterpolateToPyramidal([768, 768, 768]));

        Assert.Contains("LearnedInterpolateToPyramidal", error.Message);
        Assert.Contains("exactly 4", error.Message);
        Assert.Contains("[768, 768, 768]", error.Message);
        Assert.Throws<ArgumentException>(() => LearnedInterpolateToPyramidal.OutChannels([1, 2, 3, 4, 5]));
    }

    [Fact]
    public void Maps_with_the_wrong_channels_name_the_expected_and_actual_shapes()
    {
        using var neck = new LearnedInterpolateToPyramidal([8, 8, 8, 8]);
        var input = new MapFeatures(Enumerable.Range(0, 4).Select(i => torch.zeros(1, i == 2 ? 6 : 8, 4, 4)).ToArray());

        var error = Assert.Throws<ArgumentException>(() => neck.forward(input));

        Assert.Contains("LearnedInterpolateToPyramidal", error.Message);
        Assert.Contains("[8, 8, 8, 8]", error.Message);
        Assert.Contains("1×6×4×4", error.Message);
    }
}
