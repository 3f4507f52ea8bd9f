using GeoDsl.Runtime.Decoders;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Heads;
using GeoDsl.Runtime.Necks;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Decoders;

/// <summary>The Sen1Floods11 composition at toy widths, trained for one step end to end.</summary>
public sealed class NeckDecoderHeadChainTests
{
    [Fact]
    public void Gradients_flow_from_the_head_back_through_the_decoder_and_necks_to_the_tokens()
    {
        torch.manual_seed(7);
        const int depth = 6, embed = 16;
        var grid = new TokenGrid(1, 4, 4);
        var blocks = Enumerable.Range(0, depth).Select(_ => torch.randn(2, 1 + grid.Tokens, embed, requires_grad: true)).ToArray();
        var tokens = new TokenFeatures(blocks, hasClsToken: true, grid);

        IReadOnlyList<int> channels = Enumerable.Repeat(embed, depth).ToArray();
        var select = new SelectIndices<TokenFeatures>([1, 2, 4, 5]);
        channels = SelectIndices<TokenFeatures>.OutChannels(channels, select.Indices);
        var reshape = new ReshapeTokensToImage();
        channels = ReshapeTokensToImage.OutChannels(channels);
        var pyramid = new LearnedInterpolateToPyramidal(channels);
        channels = LearnedInterpolateToPyramidal.OutChannels(channels);
        var decoder = new UNetDecoder(channels, [16, 12, 8, 4]);
        var head = new SegmentationHead(decoder.OutChannels, 2, channel_list: [8], dropout: 0.1);
        var aux = new AuxiliaryHead("aux_head", new FcnDecoder(channels, channels: 4, num_convs: 1), new SegmentationHead(4, 2));

        var features = pyramid.forward(reshape.forward(select.forward(tokens)));
        var logits = head.forward(decoder.forward(features));
        var auxLogits = aux.forward(features);
        var target = torch.randint(0, 2, [2, logits.shape[2], logits.shape[3]]);
        var auxTarget = torch.randint(0, 2, [2, auxLogits.shape[2], auxLogits.shape[3]]);
        var loss = nn.functional.cross_entropy(logits, target) + nn.functional.cross_entropy(auxLogits, auxTarget);
        loss.backward();

        Assert.Equal([2L, 2, 16, 16], logits.shape);
        nn.Module[] trained = [pyramid, decoder, head, aux];
        var missing = trained.SelectMany(m => m.named_parameters().Select(p => (m.GetName(), p.name, p.parameter)))
            .Where(p => p.parameter.grad is null || p.parameter.grad.abs().sum().item<float>() == 0)
            .Select(p => $"{p.Item1}.{p.name}")
            .ToArray();
        Assert.Empty(missing);
        Assert.All([1, 2, 4, 5], i => Assert.NotNull(blocks[i].grad));
        Assert.Null(blocks[0].grad);
    }
}
