using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Backbones.TerraMind;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.TerraMind;

/// <summary>
/// Every output of the runtime encoder has the shape the front end infers, at the default 224 px and at a non-square
/// 64×96 px, for each merge method: mean and max give [B, h·w, D], concat [B, h·w, D·M], one per block, no class token.
/// Narrow widths (D = 32, 2 blocks) with the real patch of 16.
/// </summary>
public sealed class TerraMindOutputShapeTests
{
    public static TheoryData<string, int, int> Cases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var merge in new[] { "mean", "max", "concat" })
        {
            data.Add(merge, 224, 224);
            data.Add(merge, 64, 96);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EachBlockOutputHasTheInferredShape(string merge, int height, int width)
    {
        var descriptor = TerraMindTestModels.Descriptor("terramind_v1_small");
        var input = TerraMindTestModels.InputWith(224, "S2RGB", "S1GRD") with { Height = height, Width = width };
        var args = TerraMindTestModels.Arguments(descriptor,
            ("modalities", TerraMindTestModels.Names("S2RGB", "S1GRD")), ("merge_method", new NameValue(merge)),
            ("dim", new IntValue(32)), ("encoder_depth", new IntValue(2)), ("num_heads", new IntValue(2)));
        var errors = new List<string>();
        var inferred = descriptor.Infer(input, args, new ShapeContext(input, ModelTask.Segmentation, "the input", (d, _, a) => errors.Add(d.Id)))!;
        Assert.Empty(errors);

        torch.manual_seed(0);
        using var model = new TerraMindViT(TerraMindTestModels.Tiny("terramind_v1_small", merge));
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var features = model.Encode(TerraMindTestModels.Pixels(2, 5, height, width));

        Assert.Equal(inferred.Count, features.Count);
        Assert.False(features.HasClsToken);
        Assert.Equal(inferred.Tokens!.Rows, features.Grid.Rows);
        Assert.Equal(inferred.Tokens.Columns, features.Grid.Columns);
        for (int i = 0; i < features.Count; i++)
        {
            Assert.Equal(new long[] { 2 }.Concat(inferred.Tensors[i].Dims.Select(d => (long)d)).ToArray(), features[i].shape);
        }

        int expectedWidth = merge == "concat" ? 64 : 32;
        Assert.Equal(new long[] { 2, height / 16 * (width / 16), expectedWidth }, features[0].shape);
    }

    [Fact]
    public void AFiveDimensionalInputWithOneFrameIsAccepted()
    {
        using var model = new TerraMindViT(TerraMindTestModels.Tiny());
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var features = model.Encode(TerraMindTestModels.Pixels(1, 5, 32, 32).unsqueeze(2));
        Assert.Equal(new long[] { 1, 4, 32 }, features[^1].shape);
    }

    [Fact]
    public void AnInputWithTheWrongChannelsIsRejectedWithTheModalityLayout()
    {
        using var model = new TerraMindViT(TerraMindTestModels.Tiny(), "terramind_v1_tiny");
        var error = Assert.Throws<ArgumentException>(() => model.Encode(torch.zeros(1, 4, 32, 32)));
        Assert.Contains("[B, 5, H, W]", error.Message);
        Assert.Contains("S2RGB 3 + S1GRD 2", error.Message);
        Assert.Contains("[1, 4, 32, 32]", error.Message);

        var size = Assert.Throws<ArgumentException>(() => model.Encode(torch.zeros(1, 5, 30, 32)));
        Assert.Contains("multiples of 16", size.Message);
    }
}
