using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Necks;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Necks;

// Reference: terratorch/models/necks.py, SelectIndices.
public sealed class SelectIndicesTests
{
    private static MapFeatures Maps(int count) => new(Enumerable.Range(0, count).Select(i => torch.full(1, i + 1, 2, 2, i)).ToArray());

    [Fact]
    public void It_selects_maps_in_the_given_order_with_negative_indices_counting_from_the_end()
    {
        using var neck = new SelectIndices<MapFeatures>([1, -1, 0]);
        var output = neck.forward(Maps(4));

        Assert.Equal([2L, 4, 1], output.Tensors.Select(t => t.shape[1]));
    }

    [Fact]
    public void It_keeps_tokens_as_tokens_with_their_class_token_flag_and_grid()
    {
        var grid = new TokenGrid(1, 2, 3);
        var tokens = new TokenFeatures(Enumerable.Range(0, 24).Select(_ => torch.zeros(2, 7, 8)).ToArray(), hasClsToken: true, grid);
        using var neck = new SelectIndices<TokenFeatures>([5, 11, 17, 23]);

        var output = neck.forward(tokens);

        Assert.Equal(4, output.Count);
        Assert.True(output.HasClsToken);
        Assert.Equal(grid, output.Grid);
        Assert.Same(tokens[23], output[3]);
    }

    [Fact]
    public void An_out_of_range_index_names_the_index_and_the_feature_count()
    {
        using var neck = new SelectIndices<MapFeatures>([0, 7]);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => neck.forward(Maps(4)));

        Assert.Contains("SelectIndices", error.Message);
        Assert.Contains("index 7", error.Message);
        Assert.Contains("4 feature(s)", error.Message);
    }

    [Fact]
    public void The_channel_list_keeps_the_selected_entries_like_process_channel_list()
    {
        Assert.Equal([1024, 1024, 1024, 1024], SelectIndices<TokenFeatures>.OutChannels(Enumerable.Repeat(1024, 24).ToArray(), [5, 11, 17, 23]));
        Assert.Equal([30, 10], SelectIndices<MapFeatures>.OutChannels([10, 20, 30], [-1, 0]));
    }

    [Fact]
    public void The_channel_list_rejects_an_index_below_minus_the_count()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SelectIndices<MapFeatures>.OutChannels([10, 20, 30], [-4]));

        Assert.Contains("index -4", error.Message);
        Assert.Contains("3 feature(s)", error.Message);
    }
}
