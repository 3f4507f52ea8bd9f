using System;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.VisionTransformer;

/// <summary>Initialisations torchvision's ViT and ConvNeXt use that TorchSharp 0.107 does not provide correctly.</summary>
public static class TorchvisionInit
{
    /// <summary>
    /// <c>torch.nn.init.trunc_normal_</c>: normal(mean, std) values limited to [a, b] (absolute bounds, default ±2), drawn by
    /// inverting the normal CDF over [Φ(a), Φ(b)] as PyTorch does. TorchSharp 0.107's <c>nn.init.trunc_normal_</c> fills the
    /// tensor with a constant instead (checked: std 0 after a call with std 0.02), so torchvision's init is rebuilt here.
    /// </summary>
    public static Tensor TruncatedNormal_(Tensor tensor, double mean = 0.0, double std = 1.0, double a = -2.0, double b = 2.0)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (std <= 0 || a >= b)
        {
            throw new ArgumentException($"trunc_normal_ needs std > 0 and a < b; got std {std}, [{a}, {b}].");
        }

        using var guard = torch.no_grad();
        double lower = NormalCdf((a - mean) / std);
        double upper = NormalCdf((b - mean) / std);
        tensor.uniform_((2 * lower) - 1, (2 * upper) - 1);
        tensor.erfinv_();
        tensor.mul_(std * Math.Sqrt(2.0));
        tensor.add_(mean);
        tensor.clamp_(a, b);
        return tensor;
    }

    private static double NormalCdf(double x)
    {
        using var value = torch.tensor(x / Math.Sqrt(2.0), torch.float64);
        return (1.0 + value.erf().item<double>()) / 2.0;
    }
}
