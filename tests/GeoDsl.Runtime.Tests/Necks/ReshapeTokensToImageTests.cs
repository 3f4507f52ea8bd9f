using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Necks;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Necks;

// Reference: terratorch/models/necks.py, ReshapeTokensToImage ("batch (t h w) e -> batch (t e) h w").
public sealed class ReshapeTokensToImageTests
{
    /// <summary>Tokens whose value encodes (frame, row, column, channel), after an optional class token of −1.</summary>
    private static Tensor CodedTokens(int batch, int frames, int rows, int columns, int embed, bool cls)
    {
        var values = new List<float>();
        for (var b = 0; b < batch; b++)
        {
            if (cls)
            {
                values.AddRange(Enumerable.Repeat(-1f, embed));
            }

            for (var t = 0; t < frames; t++)
            {
                for (var r = 0; r < rows; r++)
                {
                    for (var c = 0; c < columns; c++)
                    {
                        for (var e = 0; e < embed; e++)
                        {
                            values.Add((b * 10000) + (t * 1000) + (r * 100) + (c * 10) + e);
                        }
                    }
                }
            }
        }

        var n = (frames * rows * columns) + (cls ? 1 : 0);
        return torch.tensor(values.ToArray()).reshape(batch, n, embed);
    }

    [Fact]
    public void It_drops_the_class_token_and_puts_frame_major_channels_first_like_einops()
    {
        var tokens = new TokenFeatures([CodedTokens(2, 2, 3, 4, 5, cls: true)], hasClsToken: true, new TokenGrid(2, 3, 4));
        using var neck = new ReshapeTokensToImage(effective_time_dim: 2);

        var map = neck.forward(tokens)[0];

        Assert.Equal([2L, 10, 3, 4], map.shape);
        for (var t = 0; t < 2; t++)
        {
            for (var e = 0; e < 5; e++)
            {
                // Channel index t·E + e holds frame t, embedding e, at every (row, column).
                Assert.Equal((1 * 10000) + (t * 1000) + (2 * 100) + (3 * 10) + e, map[1, (t * 5) + e, 2, 3].item<float>());
            }
        }
    }

    [Fact]
    public void A_non_square_grid_comes_from_the_backbone_grid()
    {
        var tokens = new TokenFeatures([CodedTokens(1, 1, 3, 5, 4, cls: true)], hasClsToken: true, new TokenGrid(1, 3, 5));
        using var neck = new ReshapeTokensToImage();

        var map = neck.forward(tokens)[0];

        Assert.Equal([1L, 4, 3, 5], map.shape);
        Assert.Equal(200 + 40 + 3, map[0, 3, 2, 4].item<float>());
    }

    [Fact]
    public void An_explicit_h_sets_the_rows_when_no_grid_is_known()
    {
        var tokens = new TokenFeatures([CodedTokens(1, 1, 2, 6, 3, cls: false)], hasClsToken: false, default);
        using var neck = new ReshapeTokensToImage(remove_cls_token: false, h: 2);

        Assert.Equal([1L, 3, 2, 6], neck.forward(tokens)[0].shape);
    }

    [Fact]
    public void Without_a_grid_or_h_a_square_token_count_is_assumed_as_in_TerraTorch()
    {
        var tokens = new TokenFeatures([torch.zeros(2, 1 + 16, 8)], hasClsToken: true, default);
        using var neck = new ReshapeTokensToImage();

        Assert.Equal([2L, 8, 4, 4], neck.forward(tokens)[0].shape);
    }

    [Fact]
    public void Asking_to_remove_a_class_token_that_is_not_there_is_an_error_and_changes_nothing()
    {
        // TerraTorch would warn and flip remove_cls_token to false on the module for good.
        var tokens = new TokenFeatures([torch.zeros(1, 196, 8)], hasClsToken: false, new TokenGrid(1, 14, 14));
        using var neck = new ReshapeTokensToImage();

        var error = Assert.Throws<ArgumentException>(() => neck.forward(tokens));

        Assert.Contains("remove_cls_token", error.Message);
        Assert.True(neck.RemoveClsToken);
    }

    [Fact]
    public void Keeping_a_class_token_that_is_there_is_an_error()
    {
        var tokens = new TokenFeatures([torch.zeros(1, 1025, 8)], hasClsToken: true, new TokenGrid(1, 32, 32));
        using var neck = new ReshapeTokensToImage(remove_cls_token: false);

        Assert.Contains("1025 tokens", Assert.Throws<ArgumentException>(() => neck.forward(tokens)).Message);
    }

    [Fact]
    public void An_effective_time_dim_that_differs_from_the_grid_frames_is_an_error()
    {
        var tokens = new TokenFeatures([torch.zeros(1, 1 + (4 * 16), 8)], hasClsToken: true, new TokenGrid(4, 4, 4));
        using var neck = new ReshapeTokensToImage(effective_time_dim: 1);

        var error = Assert.Throws<ArgumentException>(() => neck.forward(tokens));

        Assert.Contains("effective_time_dim", error.Message);
        Assert.Contains("4×4×4", error.Message);
    }

    [Fact]
    public void The_channel_list_is_unchanged_like_process_channel_list()
        => Assert.Equal([4096, 4096], ReshapeTokensToImage.OutChannels([4096, 4096]));
}
