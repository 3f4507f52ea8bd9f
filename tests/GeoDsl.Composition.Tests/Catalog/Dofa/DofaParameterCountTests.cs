namespace GeoDsl.Composition.Tests.Catalog.Dofa;

/// <summary>
/// The closed-form encoder counts (learnable parameters; the fixed pos_embed is not counted). No published figure is
/// exact enough to compare with, so the reference is the architecture as torchgeo builds it, restated with torch 1.13's
/// own TransformerEncoderLayer in bench/tools/dynamic_vit_keys.py (bench/keys/dofa_*.txt headers). Per variant:
/// class token D; hypernetwork 642,560 + 129·256·D + 129·D; blocks 12D² + 13D each.
/// </summary>
public sealed class DofaParameterCountTests
{
    [Theory]
    [InlineData("dofa_small_patch16_224", 34_667_264)]
    [InlineData("dofa_base_patch16_224", 111_159_296)]
    [InlineData("dofa_large_patch16_224", 336_901_632)]
    public void TheEncoderHasTheExactLearnableParameterCount(string backbone, long expected)
    {
        var analysis = TestModels.Single(DofaModels.Compile(backbone));

        Assert.Equal(expected, analysis.Trace.Stages[0].Parameters);
    }

    [Theory]
    [InlineData("dofa_small_patch16_224", 384, 12)]
    [InlineData("dofa_base_patch16_224", 768, 12)]
    [InlineData("dofa_large_patch16_224", 1024, 24)]
    public void TheCountIsTheClassTokenTheHypernetworkAndTheBlocks(string backbone, long d, long depth)
    {
        long hypernetwork = 642_560 + (129 * 256 * d) + (129 * d);
        var analysis = TestModels.Single(DofaModels.Compile(backbone));

        Assert.Equal(d + hypernetwork + (depth * ((12 * d * d) + (13 * d))), analysis.Trace.Stages[0].Parameters);
    }
}
