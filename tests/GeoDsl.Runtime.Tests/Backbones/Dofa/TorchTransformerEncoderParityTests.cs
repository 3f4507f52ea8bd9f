using System.Runtime.CompilerServices;
using GeoDsl.Runtime.Backbones.Dofa;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.Dofa;

/// <summary>
/// The weight generators' encoder reproduces PyTorch's own nn.TransformerEncoder(nn.TransformerEncoderLayer(gelu,
/// dropout 0, post-norm)): a seeded torch 1.13 encoder's weights, input and output (Fixtures/, written by
/// bench/tools/torch_encoder_layer_fixture.py) load by name and give the same output. This pins the packed in_proj order,
/// the head split, the post-norm placement and the exact GELU.
/// </summary>
public sealed class TorchTransformerEncoderParityTests
{
    private static string Fixture([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Fixtures", "torch_transformer_encoder_layer.safetensors");

    [Fact]
    public void PyTorchsWeightsLoadByNameAndGiveItsOutput()
    {
        var tensors = SafetensorsFile.Read(Fixture());
        var weights = tensors.Where(t => t.Key is not "input" and not "output").ToDictionary(t => t.Key, t => t.Value);
        using var encoder = new TorchTransformerEncoder(modelDim: 8, heads: 2, feedForward: 16);

        var report = StateDictLoader.Load(encoder, weights, sourceName: "torch 1.13");
        using var noGrad = torch.no_grad();
        var output = encoder.call(tensors["input"]);

        Assert.True(report.IsComplete, report.ToString());
        Assert.Equal(tensors["output"].shape, output.shape);
        Assert.True((output - tensors["output"]).abs().max().item<float>() < 1e-5f);
    }
}
