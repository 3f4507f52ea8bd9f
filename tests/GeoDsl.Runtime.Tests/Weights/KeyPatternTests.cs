using GeoDsl.Runtime.Weights;

namespace GeoDsl.Runtime.Tests.Weights;

public sealed class KeyPatternTests
{
    [Theory]
    [InlineData("mask_token", "mask_token", true)]
    [InlineData("mask_token", "encoder.mask_token", false)]
    [InlineData("decoder.*", "decoder.blocks.0.attn.qkv.weight", true)]
    [InlineData("decoder.*", "decoder_norm.weight", false)]
    [InlineData("*.num_batches_tracked", "backbone.bn1.num_batches_tracked", true)]
    [InlineData("blocks.?.norm1.*", "blocks.3.norm1.bias", true)]
    [InlineData("blocks.?.norm1.*", "blocks.13.norm1.bias", false)]
    [InlineData("*pos_embed*", "encoder.pos_embed", true)]
    [InlineData("*", "", true)]
    [InlineData("a*b*c", "axxbyyc", true)]
    [InlineData("a*b*c", "axxbyy", false)]
    public void GlobPatternsMatchWholeTensorNames(string pattern, string name, bool matches) =>
        Assert.Equal(matches, KeyPattern.Matches(pattern, name));

    [Fact]
    public void PrefixRewritesApplyTheFirstMatchingRuleThenTheKeyMapping()
    {
        var options = new LoadOptions
        {
            PrefixRewrites = new[] { PrefixRewrite.Strip("model.encoder."), new PrefixRewrite("model.", "net.") },
            KeyMapping = key => key.Replace("norm", "ln", StringComparison.Ordinal),
        };

        Assert.Equal("blocks.0.ln1.weight", options.MapKey("model.encoder.blocks.0.norm1.weight"));
        Assert.Equal("net.head.weight", options.MapKey("model.head.weight"));
        Assert.Equal("other", options.MapKey("other"));
    }
}
