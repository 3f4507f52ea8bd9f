using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Necks;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Necks;

// Reference: terratorch/models/necks.py, AggregateTokens.
public sealed class AggregateTokensTests
{
    // Batch 1, tokens 0..3 (token 0 is the class token), 2 channels: token k = [k, −k].
    private static TokenFeatures Tokens(bool cls = true) => new(
        [torch.tensor(new[] { 0f, 0, 1, -1, 2, -2, 3, -3 }).reshape(1, 4, 2)],
        cls,
        new TokenGrid(1, 1, cls ? 3 : 4));

    private static float[] Pool(AggregateTokens neck, TokenFeatures features) => neck.forward(features)[0].flatten().data<float>().ToArray();

    [Theory]
    [InlineData("mean", 1.5f, -1.5f)]
    [InlineData("max", 3f, 0f)]
    [InlineData("min", 0f, -3f)]
    [InlineData("CLS", 0f, 0f)]
    public void Pooling_reduces_the_tokens_to_one_vector(string pooling, float first, float second)
    {
        using var neck = new AggregateTokens(pooling);
        Assert.Equal([first, second], Pool(neck, Tokens()));
    }

    [Fact]
    public void An_integer_pooling_takes_that_token_which_TerraTorch_cannot()
    {
        using var neck = new AggregateTokens(-1);
        Assert.Equal([3f, -3f], Pool(neck, Tokens()));
    }

    [Fact]
    public void Drop_cls_leaves_the_class_token_out_of_the_mean()
    {
        using var neck = new AggregateTokens("mean", drop_cls: true);
        Assert.Equal([2f, -2f], Pool(neck, Tokens()));
    }

    [Fact]
    public void Index_picks_the_sequence_when_there_are_several()
    {
        var features = new TokenFeatures([torch.zeros(2, 5, 3), torch.ones(2, 5, 3)], hasClsToken: true, new TokenGrid(1, 2, 2));
        using var neck = new AggregateTokens("mean", index: 0);

        var pooled = neck.forward(features);

        Assert.Single(pooled.Tensors);
        Assert.Equal([2L, 3], pooled[0].shape);
        Assert.Equal(0f, pooled[0].sum().item<float>());
    }

    [Fact]
    public void CLS_pooling_without_a_class_token_is_an_error()
    {
        using var neck = new AggregateTokens("CLS");
        Assert.Contains("class token", Assert.Throws<ArgumentException>(() => neck.forward(Tokens(cls: false))).Message);
    }

    [Fact]
    public void The_channel_list_holds_the_pooled_sequences_channels()
    {
        Assert.Equal([768], AggregateTokens.OutChannels([384, 768]));
        Assert.Equal([384], AggregateTokens.OutChannels([384, 768], index: 0));
    }
}
