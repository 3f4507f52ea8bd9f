using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.LanguageModels;

/// <summary>Qwen2/Llama's SwiGLU MLP without biases: <c>down_proj</c>(SiLU(<c>gate_proj</c>(x)) · <c>up_proj</c>(x)).</summary>
public sealed class SwiGluMlp : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "gate_proj")]
    private readonly Linear gateProj;

    [ComponentName(Name = "up_proj")]
    private readonly Linear upProj;

    [ComponentName(Name = "down_proj")]
    private readonly Linear downProj;

    public SwiGluMlp(int hidden, int intermediate, Device? device = null, ScalarType? dtype = null)
        : base(nameof(SwiGluMlp))
    {
        gateProj = nn.Linear(hidden, intermediate, hasBias: false, device: device, dtype: dtype);
        upProj = nn.Linear(hidden, intermediate, hasBias: false, device: device, dtype: dtype);
        downProj = nn.Linear(intermediate, hidden, hasBias: false, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => downProj.call(nn.functional.silu(gateProj.call(x)) * upProj.call(x));
}
