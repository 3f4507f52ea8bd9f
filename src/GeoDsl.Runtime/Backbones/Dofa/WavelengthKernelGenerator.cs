using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.Dofa;

/// <summary>
/// What DOFA's <c>TransformerWeightGenerator</c> and Clay's <c>WavesTransformer</c> share: learned weight tokens, the
/// band embeddings and a bias token through one transformer layer; each band's output plus its input becomes a
/// flattened kernel, the bias token's output the projection bias. The two modules keep their own fields (their
/// state-dict names differ: <c>transformer_encoder</c> vs <c>encoder</c>) and call this for the rest.
/// </summary>
internal static class WavelengthKernelGenerator
{
    /// <summary><c>weight_tokens</c> [latent, dim] and <c>bias_token</c> [1, dim], both N(0, 0.02) as both sources draw them.</summary>
    public static (Parameter WeightTokens, Parameter BiasToken) Tokens(int latentTokens, int dim, Device? device, ScalarType? dtype)
    {
        using (torch.no_grad())
        {
            var tokens = torch.empty(new long[] { latentTokens, dim }, dtype: dtype, device: device);
            nn.init.normal_(tokens, 0.0, 0.02);
            var weightTokens = new Parameter(tokens, requires_grad: true);
            var bias = torch.empty(new long[] { 1, dim }, dtype: dtype, device: device);
            nn.init.normal_(bias, 0.0, 0.02);
            var biasToken = new Parameter(bias, requires_grad: true);
            weightTokens.DetachFromDisposeScope();
            biasToken.DetachFromDisposeScope();
            return (weightTokens, biasToken);
        }
    }

    /// <summary>Band embeddings [C, E] → flattened kernels [C, outputDim] and bias [embedDim].</summary>
    public static (Tensor Weight, Tensor Bias) Generate(TorchTransformerEncoder encoder, Linear fcWeight, Linear fcBias,
        Parameter weightTokens, Parameter biasToken, Tensor waves)
    {
        var bands = waves.shape[0];
        var sequence = torch.cat(new[] { weightTokens, waves, biasToken }, dim: 0);
        var encoded = encoder.call(sequence);
        var weight = fcWeight.call(encoded.narrow(0, weightTokens.shape[0], bands) + waves);
        var bias = fcBias.call(encoded[-1]);
        return (weight, bias);
    }
}
