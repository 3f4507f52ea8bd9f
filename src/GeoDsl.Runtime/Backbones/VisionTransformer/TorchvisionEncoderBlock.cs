using System;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.VisionTransformer;

/// <summary>
/// torchvision's ViT <c>EncoderBlock</c> (torchvision 0.14 <c>torchvision/models/vision_transformer.py</c>): pre-norm
/// <c>ln_1</c> → <c>self_attention</c> → dropout → residual, then <c>ln_2</c> → <c>mlp</c> → residual. LayerNorms use
/// eps 1e-6 (the <c>partial(nn.LayerNorm, eps=1e-6)</c> torchvision passes). Names reproduce its state-dict keys.
/// </summary>
public sealed class TorchvisionEncoderBlock : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "ln_1")]
    private readonly LayerNorm ln1;

    [ComponentName(Name = "self_attention")]
    private readonly TorchvisionSelfAttention selfAttention;

    [ComponentName(Name = "dropout")]
    private readonly Dropout dropout;

    [ComponentName(Name = "ln_2")]
    private readonly LayerNorm ln2;

    // torchvision's MLPBlock is an MLP (nn.Sequential): 0 Linear, 1 GELU, 2 Dropout, 3 Linear, 4 Dropout (ops/misc.py),
    // so its weights are mlp.0.* and mlp.3.*. Checkpoints older than MLPBlock version 2 say linear_1/linear_2; the
    // checkpoint loader renames those, as MLPBlock._load_from_state_dict does.
    [ComponentName(Name = "mlp")]
    private readonly Sequential mlp;

    public TorchvisionEncoderBlock(int num_heads, int hidden_dim, int mlp_dim, double dropout = 0.0, double attention_dropout = 0.0,
        Device? device = null, ScalarType? dtype = null)
        : base(nameof(TorchvisionEncoderBlock))
    {
        ln1 = nn.LayerNorm(hidden_dim, eps: 1e-6, device: device, dtype: dtype);
        selfAttention = new TorchvisionSelfAttention(hidden_dim, num_heads, attention_dropout, device, dtype);
        this.dropout = nn.Dropout(dropout);
        ln2 = nn.LayerNorm(hidden_dim, eps: 1e-6, device: device, dtype: dtype);
        var fc1 = nn.Linear(hidden_dim, mlp_dim, hasBias: true, device: device, dtype: dtype);
        var fc2 = nn.Linear(mlp_dim, hidden_dim, hasBias: true, device: device, dtype: dtype);
        mlp = nn.Sequential(fc1, nn.GELU(), nn.Dropout(dropout), fc2, nn.Dropout(dropout));
        RegisterComponents();

        // MLPBlock's init: xavier-uniform weights, biases normal(std = 1e-6).
        using var guard = torch.no_grad();
        foreach (var linear in new[] { fc1, fc2 })
        {
            nn.init.xavier_uniform_(linear.weight!);
            nn.init.normal_(linear.bias!, 0.0, 1e-6);
        }
    }

    public override Tensor forward(Tensor input)
    {
        var x = dropout.call(selfAttention.call(ln1.call(input))) + input;
        return x + mlp.call(ln2.call(x));
    }
}

/// <summary>
/// Self-attention with <c>torch.nn.MultiheadAttention</c>'s parameters (batch_first, query = key = value): one packed
/// <c>in_proj_weight</c> [3D, D] / <c>in_proj_bias</c> [3D] (rows q, k, v) and <c>out_proj</c> Linear(D, D). Computed with
/// <c>scaled_dot_product_attention</c> (scale 1/√head_dim, as MultiheadAttention scales q), which picks a fused kernel
/// where libtorch has one. Attention-weight dropout in training, as MultiheadAttention's <c>dropout</c>.
/// </summary>
public sealed class TorchvisionSelfAttention : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "in_proj_weight")]
    private readonly Parameter inProjWeight;

    [ComponentName(Name = "in_proj_bias")]
    private readonly Parameter inProjBias;

    [ComponentName(Name = "out_proj")]
    private readonly Linear outProj;

    private readonly int numHeads;
    private readonly double attentionDropout;

    public TorchvisionSelfAttention(int embed_dim, int num_heads, double dropout = 0.0, Device? device = null, ScalarType? dtype = null)
        : base(nameof(TorchvisionSelfAttention))
    {
        if (num_heads <= 0 || embed_dim % num_heads != 0)
        {
            throw new ArgumentException($"Attention width {embed_dim} must be a multiple of the head count {num_heads}.", nameof(num_heads));
        }

        numHeads = num_heads;
        attentionDropout = dropout;
        using (torch.no_grad())
        {
            // MultiheadAttention._reset_parameters: xavier-uniform in_proj_weight, zero in_proj_bias and out_proj.bias.
            var weight = torch.empty(new long[] { 3L * embed_dim, embed_dim }, dtype: dtype, device: device);
            nn.init.xavier_uniform_(weight);
            inProjWeight = new Parameter(weight, requires_grad: true);
            inProjBias = new Parameter(torch.zeros(new long[] { 3L * embed_dim }, dtype: dtype, device: device), requires_grad: true);
            inProjWeight.DetachFromDisposeScope();
            inProjBias.DetachFromDisposeScope();
        }

        outProj = nn.Linear(embed_dim, embed_dim, hasBias: true, device: device, dtype: dtype);
        RegisterComponents();
        using (torch.no_grad())
        {
            nn.init.zeros_(outProj.bias!);
        }
    }

    public override Tensor forward(Tensor x)
    {
        var batch = x.shape[0];
        var tokens = x.shape[1];
        var width = x.shape[2];

        // [B, N, 3D] -> [3, B, heads, N, head_dim]: q, k, v in the order in_proj_weight stacks them.
        var parts = nn.functional.linear(x, inProjWeight, inProjBias)
            .reshape(batch, tokens, 3, numHeads, width / numHeads)
            .permute(2, 0, 3, 1, 4)
            .unbind(0);
        var p = training ? attentionDropout : 0.0;
        var attended = nn.functional.scaled_dot_product_attention(parts[0], parts[1], parts[2], p: p);
        return outProj.call(attended.transpose(1, 2).reshape(batch, tokens, width));
    }
}
