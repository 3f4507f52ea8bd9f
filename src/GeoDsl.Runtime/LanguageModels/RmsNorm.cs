using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.LanguageModels;

/// <summary>
/// Root-mean-square normalisation with a learned scale (<c>weight</c>), as Hugging Face's Qwen2/Llama/InternViT-6B
/// <c>RMSNorm</c>: computed in float32, x·rsqrt(mean(x²) + eps), cast back, times the weight. Written here because
/// TorchSharp 0.107 has no <c>nn.RMSNorm</c>. <see cref="Gated"/> is Mamba-2's gated variant (x·SiLU(gate) first).
/// </summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")]
    private readonly Parameter weight;

    private readonly double eps;

    public RmsNorm(long width, double eps = 1e-6, Device? device = null, ScalarType? dtype = null)
        : base(nameof(RmsNorm))
    {
        this.eps = eps;
        weight = new Parameter(torch.ones(width, dtype: dtype, device: device), requires_grad: true);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var inputType = x.dtype;
        var wide = x.to(ScalarType.Float32);
        var normalised = wide * torch.rsqrt(wide.pow(2).mean(new long[] { -1 }, keepdim: true) + eps);
        return weight * normalised.to(inputType);
    }

    /// <summary>GraniteMoeHybrid's <c>RMSNormGated</c>: the input times SiLU(gate), then normalised (norm_before_gate = false).</summary>
    public Tensor Gated(Tensor x, Tensor gate)
    {
        var inputType = x.dtype;
        var gated = x.to(ScalarType.Float32) * nn.functional.silu(gate.to(ScalarType.Float32));
        var normalised = gated * torch.rsqrt(gated.pow(2).mean(new long[] { -1 }, keepdim: true) + eps);
        return weight * normalised.to(inputType);
    }
}
