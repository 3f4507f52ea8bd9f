using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Layers;

/// <summary>
/// LayerNorm over the channels of a channel-first map (TerraTorch's <c>Norm2d</c> in
/// <c>terratorch/models/decoders/fcn_decoder.py</c>): permute to channel-last, LayerNorm (eps 1e-6), permute back.
/// The LayerNorm child is named <c>ln</c> as in the reference.
/// </summary>
public sealed class Norm2d : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm ln;

    public Norm2d(long embed_dim) : base(nameof(Norm2d))
    {
        ln = nn.LayerNorm(new[] { embed_dim }, eps: 1e-6);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var channelLast = input.permute(0, 2, 3, 1);
        using var normed = ln.forward(channelLast);
        return normed.permute(0, 3, 1, 2).contiguous();
    }
}
