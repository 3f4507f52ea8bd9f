using System;
using GeoDsl.Composition.Catalog.LanguageModels;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.LanguageModels;

/// <summary>
/// GraniteMoeHybrid's Mamba-2 mixer (transformers' <c>GraniteMoeHybridMambaLayer</c>): <c>in_proj</c> to
/// [gate z, x, B, C, dt], a depthwise causal <c>conv1d</c> with SiLU over [x, B, C], the selective scan with per-head
/// <c>dt_bias</c>, <c>A_log</c> and <c>D</c>, the gated RMSNorm <c>norm</c> and <c>out_proj</c>. Inner width = heads ×
/// head_dim; <see cref="Mamba2Scan.Chunked"/> runs the scan.
/// </summary>
public sealed class Mamba2Mixer : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "in_proj")]
    private readonly Linear inProj;

    [ComponentName(Name = "conv1d")]
    private readonly Conv1d conv1d;

    [ComponentName(Name = "dt_bias")]
    private readonly Parameter dtBias;

    [ComponentName(Name = "A_log")]
    private readonly Parameter aLog;

    [ComponentName(Name = "D")]
    private readonly Parameter d;

    [ComponentName(Name = "norm")]
    private readonly RmsNorm norm;

    [ComponentName(Name = "out_proj")]
    private readonly Linear outProj;

    private readonly HybridLayout layout;
    private readonly int chunkSize;
    private readonly long inner;

    public Mamba2Mixer(int hidden, HybridLayout layout, int chunkSize, double rmsNormEps, Device? device = null, ScalarType? dtype = null)
        : base(nameof(Mamba2Mixer))
    {
        if (layout.MambaHeads % layout.MambaGroups != 0)
        {
            throw new ArgumentException($"Mamba-2 heads ({layout.MambaHeads}) must be a multiple of its B/C groups ({layout.MambaGroups}).", nameof(layout));
        }

        this.layout = layout;
        this.chunkSize = chunkSize;
        inner = (long)layout.MambaHeads * layout.MambaHeadDim;
        var convolved = inner + (2L * layout.MambaGroups * layout.MambaState);
        inProj = nn.Linear(hidden, inner + convolved + layout.MambaHeads, hasBias: false, device: device, dtype: dtype);
        conv1d = nn.Conv1d(convolved, convolved, layout.MambaConvKernel, groups: convolved, padding: layout.MambaConvKernel - 1, bias: true, device: device, dtype: dtype);
        dtBias = new Parameter(torch.ones(layout.MambaHeads, dtype: dtype, device: device), requires_grad: true);
        aLog = new Parameter(torch.arange(1, layout.MambaHeads + 1, dtype: dtype ?? ScalarType.Float32, device: device).log(), requires_grad: true);
        d = new Parameter(torch.ones(layout.MambaHeads, dtype: dtype, device: device), requires_grad: true);
        norm = new RmsNorm(inner, rmsNormEps, device, dtype);
        outProj = nn.Linear(inner, hidden, hasBias: false, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        var batch = hidden.shape[0];
        var length = hidden.shape[1];
        long groupState = (long)layout.MambaGroups * layout.MambaState;
        var parts = inProj.call(hidden).split(new[] { inner, inner + (2 * groupState), layout.MambaHeads }, dim: -1);
        var gate = parts[0];
        var convolved = nn.functional.silu(conv1d.call(parts[1].transpose(1, 2))[.., .., ..(int)length].transpose(1, 2));
        var xbc = convolved.split(new[] { inner, groupState, groupState }, dim: -1);
        var dt = nn.functional.softplus(parts[2] + dtBias);
        var a = -aLog.exp();
        var perGroup = layout.MambaHeads / layout.MambaGroups;
        var x = xbc[0].reshape(batch, length, layout.MambaHeads, layout.MambaHeadDim);
        var b = xbc[1].reshape(batch, length, layout.MambaGroups, layout.MambaState).repeat_interleave(perGroup, dim: 2);
        var c = xbc[2].reshape(batch, length, layout.MambaGroups, layout.MambaState).repeat_interleave(perGroup, dim: 2);
        var (y, _) = Mamba2Scan.Chunked(x, dt, a, b, c, chunkSize);
        y = y + (d.unsqueeze(-1) * x);
        return outProj.call(norm.Gated(y.reshape(batch, length, inner), gate));
    }
}

/// <summary>
/// GraniteMoeHybrid's mixture of experts (<c>block_sparse_moe</c>): a bias-free <c>router.layer</c> picks the top k of E
/// experts per token and softmaxes their logits into weights; every expert is a SwiGLU whose fused gate+up weights are
/// <c>input_linear.weight</c> [E, 2·hidden_e, d] and down weights <c>output_linear.weight</c> [E, d, hidden_e].
/// </summary>
public sealed class TopKMixtureOfExperts : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "input_linear")]
    private readonly ExpertWeights inputLinear;

    [ComponentName(Name = "output_linear")]
    private readonly ExpertWeights outputLinear;

    [ComponentName(Name = "router")]
    private readonly ExpertRouter router;

    private readonly int expertsPerToken;

    public TopKMixtureOfExperts(int hidden, int experts, int expertsPerToken, int expertHidden, Device? device = null, ScalarType? dtype = null)
        : base(nameof(TopKMixtureOfExperts))
    {
        if (expertsPerToken < 1 || expertsPerToken > experts)
        {
            throw new ArgumentOutOfRangeException(nameof(expertsPerToken), expertsPerToken, $"Each token must go to between 1 and {experts} experts.");
        }

        this.expertsPerToken = expertsPerToken;
        inputLinear = new ExpertWeights(experts, 2L * expertHidden, hidden, device, dtype);
        outputLinear = new ExpertWeights(experts, hidden, expertHidden, device, dtype);
        router = new ExpertRouter(hidden, experts, device, dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var width = x.shape[^1];
        var tokens = x.reshape(-1, width);
        var (weights, chosen) = router.call(tokens).topk(expertsPerToken, dim: 1);
        var gates = weights.softmax(1).to(x.dtype);                          // [T, k]
        var output = torch.zeros_like(tokens);

        // Token-by-expert dispatch: each expert runs once on the tokens routed to it.
        for (var e = 0; e < inputLinear.Weight.shape[0]; e++)
        {
            var hits = chosen.eq(e);                                        // [T, k]
            var rows = hits.any(1).nonzero().squeeze(1);
            if (rows.numel() == 0)
            {
                continue;
            }

            var gate = (gates * hits.to(gates.dtype)).sum(1).index_select(0, rows).unsqueeze(1);
            var up = nn.functional.linear(tokens.index_select(0, rows), inputLinear.Weight[e]).chunk(2, dim: -1);
            var expertOut = nn.functional.linear(nn.functional.silu(up[0]) * up[1], outputLinear.Weight[e]);
            output = output.index_add(0, rows, expertOut * gate, 1.0);
        }

        return output.reshape(x.shape);
    }
}

/// <summary>All experts' weights of one linear stage as a single [experts, out, in] parameter (<c>weight</c>).</summary>
public sealed class ExpertWeights : nn.Module
{
    [ComponentName(Name = "weight")]
    private readonly Parameter weight;

    public ExpertWeights(int experts, long outFeatures, long inFeatures, Device? device = null, ScalarType? dtype = null)
        : base(nameof(ExpertWeights))
    {
        using (torch.no_grad())
        {
            var table = torch.empty(new[] { experts, outFeatures, inFeatures }, dtype: dtype, device: device);
            nn.init.normal_(table, 0.0, 0.02); // HF's initializer_range for ParallelExperts
            weight = new Parameter(table, requires_grad: true);
        }

        RegisterComponents();
    }

    public Parameter Weight => weight;
}

/// <summary>The router: <c>layer</c>, a bias-free Linear(hidden, experts) giving each expert's logit.</summary>
public sealed class ExpertRouter : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "layer")]
    private readonly Linear layer;

    public ExpertRouter(int hidden, int experts, Device? device = null, ScalarType? dtype = null)
        : base(nameof(ExpertRouter))
    {
        layer = nn.Linear(hidden, experts, hasBias: false, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => layer.call(x).to(ScalarType.Float32);
}

/// <summary>The shared expert (<c>shared_mlp</c>): fused <c>input_linear</c> [2·shared, d] → SiLU(gate)·up → <c>output_linear</c>.</summary>
public sealed class SharedExpertMlp : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "input_linear")]
    private readonly Linear inputLinear;

    [ComponentName(Name = "output_linear")]
    private readonly Linear outputLinear;

    public SharedExpertMlp(int hidden, int sharedHidden, Device? device = null, ScalarType? dtype = null)
        : base(nameof(SharedExpertMlp))
    {
        inputLinear = nn.Linear(hidden, 2L * sharedHidden, hasBias: false, device: device, dtype: dtype);
        outputLinear = nn.Linear(sharedHidden, hidden, hasBias: false, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var halves = inputLinear.call(x).chunk(2, dim: -1);
        return outputLinear.call(nn.functional.silu(halves[0]) * halves[1]);
    }
}
