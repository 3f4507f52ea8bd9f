using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Layers;

/// <summary>
/// Conv2d (no bias) → BatchNorm2d → ReLU, TerraTorch's <c>ConvModule</c> from
/// <c>terratorch/models/decoders/upernet_decoder.py</c>; children named <c>conv</c>, <c>norm</c>, <c>act</c>.
/// </summary>
public sealed class ConvModule : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d norm;
    private readonly ReLU act;

    public ConvModule(long in_channels, long out_channels, long kernel_size, long padding = 0)
        : base(nameof(ConvModule))
    {
        // The bias is dropped because BatchNorm's shift makes it redundant (and the reference has none).
        conv = nn.Conv2d(in_channels, out_channels, kernel_size, padding: padding, bias: false);
        norm = nn.BatchNorm2d(out_channels);
        act = nn.ReLU();
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => act.forward(norm.forward(conv.forward(input)));

    /// <summary>Parameters of one ConvModule: k²·Cin·Cout (conv) + 2·Cout (norm affine).</summary>
    public static long ParameterCount(long inChannels, long outChannels, long kernelSize)
        => (kernelSize * kernelSize * inChannels * outChannels) + (2 * outChannels);
}
