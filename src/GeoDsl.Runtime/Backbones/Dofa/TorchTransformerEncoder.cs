using System;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.Dofa;

/// <summary>
/// <c>torch.nn.TransformerEncoder(layer, num_layers)</c> without a final norm, as the wavelength weight generators of
/// DOFA (torchgeo <c>TransformerWeightGenerator.transformer_encoder</c>) and Clay (<c>WavesTransformer.encoder</c>) use
/// it: children <c>layers.0</c>, <c>layers.1</c>, … of <see cref="TorchTransformerEncoderLayer"/>. Both run it on one
/// unbatched sequence [S, E] (weight tokens, band embeddings, bias token), so that is the only layout accepted here.
/// </summary>
public sealed class TorchTransformerEncoder : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "layers")]
    private readonly ModuleList<TorchTransformerEncoderLayer> layers;

    public TorchTransformerEncoder(int modelDim, int heads, int feedForward, int numLayers = 1, Device? device = null, ScalarType? dtype = null)
        : base(nameof(TorchTransformerEncoder))
    {
        var list = new TorchTransformerEncoderLayer[numLayers];
        for (var i = 0; i < numLayers; i++)
        {
            list[i] = new TorchTransformerEncoderLayer(modelDim, heads, feedForward, device, dtype);
        }

        layers = nn.ModuleList(list);
        RegisterComponents();
    }

    public override Tensor forward(Tensor sequence)
    {
        if (sequence.dim() != 2)
        {
            throw new ArgumentException($"The weight generator's encoder takes one unbatched sequence [S, E]; got [{string.Join(", ", sequence.shape)}].", nameof(sequence));
        }

        var x = sequence;
        foreach (var layer in layers)
        {
            x = layer.call(x);
        }

        return x;
    }
}

/// <summary>
/// <c>torch.nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout=0, activation="gelu", norm_first=False)</c>
/// (torch/nn/modules/transformer.py): post-norm, x = norm1(x + self_attn(x)); x = norm2(x + linear2(gelu(linear1(x)))),
/// with PyTorch's LayerNorm eps 1e-5 and exact GELU. Keys <c>self_attn.in_proj_weight</c>, <c>self_attn.in_proj_bias</c>,
/// <c>self_attn.out_proj.*</c>, <c>linear1.*</c>, <c>linear2.*</c>, <c>norm1.*</c>, <c>norm2.*</c>.
/// </summary>
public sealed class TorchTransformerEncoderLayer : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "self_attn")]
    private readonly TorchMultiheadAttention selfAttn;

    [ComponentName(Name = "linear1")]
    private readonly Linear linear1;

    [ComponentName(Name = "linear2")]
    private readonly Linear linear2;

    [ComponentName(Name = "norm1")]
    private readonly LayerNorm norm1;

    [ComponentName(Name = "norm2")]
    private readonly LayerNorm norm2;

    public TorchTransformerEncoderLayer(int modelDim, int heads, int feedForward, Device? device = null, ScalarType? dtype = null)
        : base(nameof(TorchTransformerEncoderLayer))
    {
        selfAttn = new TorchMultiheadAttention(modelDim, heads, device, dtype);
        linear1 = nn.Linear(modelDim, feedForward, hasBias: true, device: device, dtype: dtype);
        linear2 = nn.Linear(feedForward, modelDim, hasBias: true, device: device, dtype: dtype);
        norm1 = nn.LayerNorm(modelDim, eps: 1e-5, device: device, dtype: dtype);
        norm2 = nn.LayerNorm(modelDim, eps: 1e-5, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = norm1.call(x + selfAttn.call(x));
        return norm2.call(x + linear2.call(nn.functional.gelu(linear1.call(x))));
    }
}

/// <summary>
/// <c>torch.nn.MultiheadAttention(embed_dim, num_heads)</c> in its packed form (query = key = value dimension): one
/// <c>in_proj_weight</c> [3E, E] and <c>in_proj_bias</c> [3E] (q, k, v stacked in that order, heads contiguous within
/// each), and <c>out_proj</c>. Initialised as PyTorch's <c>_reset_parameters</c> does: Xavier-uniform in_proj, zero
/// biases. Self-attention over one unbatched sequence [S, E].
/// </summary>
public sealed class TorchMultiheadAttention : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "in_proj_weight")]
    private readonly Parameter inProjWeight;

    [ComponentName(Name = "in_proj_bias")]
    private readonly Parameter inProjBias;

    [ComponentName(Name = "out_proj")]
    private readonly Linear outProj;

    private readonly int heads;

    public TorchMultiheadAttention(int embedDim, int heads, Device? device = null, ScalarType? dtype = null)
        : base(nameof(TorchMultiheadAttention))
    {
        if (heads <= 0 || embedDim % heads != 0)
        {
            throw new ArgumentException($"Attention width {embedDim} must be a multiple of the head count {heads}.", nameof(heads));
        }

        this.heads = heads;
        using (torch.no_grad())
        {
            var weight = torch.empty(new long[] { 3L * embedDim, embedDim }, dtype: dtype, device: device);
            nn.init.xavier_uniform_(weight);
            inProjWeight = new Parameter(weight, requires_grad: true);
            inProjBias = new Parameter(torch.zeros(new long[] { 3L * embedDim }, dtype: dtype, device: device), requires_grad: true);
            inProjWeight.DetachFromDisposeScope();
            inProjBias.DetachFromDisposeScope();
        }

        outProj = nn.Linear(embedDim, embedDim, hasBias: true, device: device, dtype: dtype);
        using (torch.no_grad())
        {
            nn.init.zeros_(outProj.bias!);
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var length = x.shape[0];
        var width = x.shape[1];

        // [S, 3E] -> [3, heads, S, head_dim]: PyTorch splits q, k, v first, then each into heads.
        var parts = nn.functional.linear(x, inProjWeight, inProjBias)
            .reshape(length, 3, heads, width / heads)
            .permute(1, 2, 0, 3)
            .unbind(0);
        var attended = nn.functional.scaled_dot_product_attention(parts[0], parts[1], parts[2]); // scale 1/√head_dim, as PyTorch's
        return outProj.call(attended.permute(1, 0, 2).reshape(length, width));
    }
}
