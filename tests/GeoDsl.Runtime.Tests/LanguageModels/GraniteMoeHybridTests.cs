using GeoDsl.Composition.Catalog.LanguageModels;
using GeoDsl.Runtime.LanguageModels;
using TorchSharp;
using static TorchSharp.torch;
using Catalog = GeoDsl.Composition.Catalog.LanguageModels.LanguageModels;

namespace GeoDsl.Runtime.Tests.LanguageModels;

/// <summary>Granite 4.0-H's layers: the chunked scan, expert routing, names, counts and a training step.</summary>
public sealed class GraniteMoeHybridTests
{
    /// <summary>Granite 4.0-H-Tiny's flags at 32 wide: 4 blocks (1 attention), 4 Mamba heads of 8, state 6, 4 experts (top 2).</summary>
    private static LanguageModelConfig Tiny => Catalog.Find("granite_4_0_h_tiny")! with
    {
        Name = "granite_tiny", Hidden = 32, Layers = 4, Heads = 4, KvHeads = 2, HeadDim = 8, Intermediate = 16, Vocab = 53,
        Hybrid = new HybridLayout(AttentionLayers: 1, MambaHeads: 4, MambaHeadDim: 8, MambaState: 6, MambaGroups: 2, MambaConvKernel: 4,
            Experts: 4, ExpertsPerToken: 2, ExpertHidden: 16, SharedExpertHidden: 24),
    };

    [Theory]
    [InlineData(13, 4)] // 13 tokens: three full chunks and a padded one
    [InlineData(8, 8)]  // one chunk
    [InlineData(5, 1)]  // chunks of one token: the chunked form degenerates to the recurrence
    public void TheChunkedScanEqualsTheSequentialRecurrence(int length, int chunk)
    {
        var generator = new Generator(51);
        var x = torch.randn(new long[] { 2, length, 3, 4 }, generator: generator);
        var dt = nn.functional.softplus(torch.randn(new long[] { 2, length, 3 }, generator: generator));
        var a = -torch.rand(3, generator: generator) - 0.1;
        var b = torch.randn(new long[] { 2, length, 3, 5 }, generator: generator);
        var c = torch.randn(new long[] { 2, length, 3, 5 }, generator: generator);
        var initial = torch.randn(new long[] { 2, 3, 4, 5 }, generator: generator);

        var (ySequential, stateSequential) = Mamba2Scan.Sequential(x, dt, a, b, c, initial);
        var (yChunked, stateChunked) = Mamba2Scan.Chunked(x, dt, a, b, c, chunk, initial);

        Assert.True(yChunked.allclose(ySequential, rtol: 1e-4, atol: 1e-5), $"max |Δy| = {(yChunked - ySequential).abs().max().item<float>()}");
        Assert.True(stateChunked.allclose(stateSequential, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void OneScanStepIsTheHandComputedRecurrence()
    {
        // One head, head_dim 1, state 1: S1 = dt·x·B = 0.5·2·3 = 3, y1 = S1·C = 3·4 = 12;
        // S2 = exp(0.5·(−1))·3 + 0.5·1·3 = 1.81959 + 1.5 = 3.31959, y2 = 3.31959·4 = 13.27837.
        var x = torch.tensor(new float[] { 2, 1 }).reshape(1, 2, 1, 1);
        var dt = torch.tensor(new float[] { 0.5f, 0.5f }).reshape(1, 2, 1);
        var b = torch.full(new long[] { 1, 2, 1, 1 }, 3f);
        var c = torch.full(new long[] { 1, 2, 1, 1 }, 4f);
        var (y, _) = Mamba2Scan.Chunked(x, dt, torch.tensor(new float[] { -1 }), b, c, chunkSize: 2);
        Assert.Equal(12f, y[0, 0, 0, 0].item<float>(), 4);
        Assert.Equal(13.27837f, y[0, 1, 0, 0].item<float>(), 4);
    }

    [Fact]
    public void EachTokenGetsTheSoftmaxWeightedSumOfItsTopKExperts()
    {
        torch.manual_seed(52);
        using var moe = new TopKMixtureOfExperts(hidden: 6, experts: 3, expertsPerToken: 2, expertHidden: 5);
        using var noGrad = torch.no_grad();
        var tokens = torch.randn(4, 6);
        var state = moe.state_dict();
        var logits = torch.matmul(tokens, state["router.layer.weight"].t());

        var expected = torch.zeros(4, 6);
        for (var t = 0; t < 4; t++)
        {
            var (top, index) = logits[t].topk(2);
            var weights = top.softmax(0);
            for (var j = 0; j < 2; j++)
            {
                var e = index[j].item<long>();
                var up = torch.matmul(state["input_linear.weight"][e], tokens[t]).chunk(2);
                var expertOut = torch.matmul(state["output_linear.weight"][e], nn.functional.silu(up[0]) * up[1]);
                expected[t] += weights[j] * expertOut;
            }
        }

        Assert.True(moe.call(tokens).allclose(expected, rtol: 1e-4, atol: 1e-6));
    }

    [Fact]
    public void MambaAndAttentionBlocksHaveGraniteMoeHybridsKeys()
    {
        using var model = new GraniteMoeHybridForCausalLM(Tiny);
        var keys = model.state_dict().Keys.ToHashSet();
        var attentionBlock = Enumerable.Range(0, 4).Single(i => keys.Contains($"model.layers.{i}.self_attn.q_proj.weight"));
        var mambaBlock = attentionBlock == 0 ? 1 : 0;
        foreach (var key in new[] { "in_proj.weight", "conv1d.weight", "conv1d.bias", "dt_bias", "A_log", "D", "norm.weight", "out_proj.weight" })
        {
            Assert.Contains($"model.layers.{mambaBlock}.mamba.{key}", keys);
        }

        foreach (var key in new[]
        {
            "input_layernorm.weight", "post_attention_layernorm.weight", "block_sparse_moe.router.layer.weight", "block_sparse_moe.input_linear.weight",
            "block_sparse_moe.output_linear.weight", "shared_mlp.input_linear.weight", "shared_mlp.output_linear.weight",
        })
        {
            Assert.Contains($"model.layers.{attentionBlock}.{key}", keys);
        }

        Assert.Contains("model.embed_tokens.weight", keys);
        Assert.Contains("model.norm.weight", keys);
        Assert.DoesNotContain("lm_head.weight", keys);
        Assert.DoesNotContain(keys, k => k.Contains("rotary", StringComparison.Ordinal));
        Assert.Equal(new long[] { 4, 32, 32 }, model.state_dict()[$"model.layers.{mambaBlock}.block_sparse_moe.input_linear.weight"].shape);
    }

    [Fact]
    public void TheRealSizeModelHasTheFrontEndsClosedFormCountAndThePublishedSizeClass()
    {
        // Published: "~7 B total, ~1 B active" (backbone-facts.md §C7); the finer dims are (U), so the card check is to 0.5 B.
        var config = Catalog.Find("granite_4_0_h_tiny")!;
        using var model = new GraniteMoeHybridForCausalLM(config, device: torch.META);
        var counts = LanguageModelCounts.Of(config);
        Assert.Equal(counts.Total, model.ParameterCount());
        Assert.InRange(counts.Total / 1e9, 6.5, 7.5);
        Assert.InRange(counts.Active / 1e9, 0.5, 1.5);
    }

    [Fact]
    public void ATinyModelTrainsWithFiniteGradientsAndAFallingLoss()
    {
        torch.manual_seed(53);
        using var model = new GraniteMoeHybridForCausalLM(Tiny, new GraniteRuntimeOptions(ChunkSize: 4));
        var tokens = LanguageModelTestModels.Tokens(2, 10, 53, seed: 9);
        var optimizer = torch.optim.AdamW(model.parameters(), lr: 1e-2);
        float first = 0, last = 0;
        for (var step = 0; step < 4; step++)
        {
            optimizer.zero_grad();
            var loss = NextTokenLoss.Of(model.forward(tokens), tokens);
            loss.backward();
            Assert.All(model.named_parameters(), p => Assert.True(p.parameter.grad is null || p.parameter.grad.isfinite().all().item<bool>(), p.name));
            optimizer.step();
            last = loss.item<float>();
            if (step == 0)
            {
                first = last;
            }
        }

        Assert.True(last < first, $"loss went from {first} to {last}");
    }

    [Fact]
    public void MisplacedAttentionLayersAreReportedWithTheFix()
    {
        var error = Assert.Throws<ArgumentException>(() => new GraniteMoeHybridForCausalLM(Tiny, new GraniteRuntimeOptions(AttentionLayerIndices: new[] { 9 })));
        Assert.Contains("0 … 3", error.Message);
    }
}
