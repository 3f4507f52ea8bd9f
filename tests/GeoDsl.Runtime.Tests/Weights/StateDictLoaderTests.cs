using GeoDsl.Runtime.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Weights;

public sealed class StateDictLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Parameters (Linear, LayerNorm) and buffers (BatchNorm's running statistics).</summary>
    private static Sequential SmallModel(int seed)
    {
        torch.manual_seed(seed);
        return nn.Sequential(
            ("0", nn.Linear(4, 8)),
            ("1", nn.LayerNorm(8)),
            ("2", nn.BatchNorm1d(8)));
    }

    /// <summary>A trained-looking model: its BatchNorm statistics have moved away from their defaults.</summary>
    private string SaveTrainedModel(out Sequential model, string fileName = "model.safetensors")
    {
        model = SmallModel(seed: 1);
        model.train();
        using (torch.no_grad())
        {
            model.forward(torch.randn(16, 4) * 3 + 1);
        }
        model.eval();
        var path = _dir.File(fileName);
        model.SaveSafetensors(path);
        return path;
    }

    private static Dictionary<string, Tensor> StateWithRenamedKeys(nn.Module model, Func<string, string> rename) =>
        model.state_dict().ToDictionary(p => rename(p.Key), p => p.Value);

    [Fact]
    public void ASavedModuleLoadsStrictlyAndReproducesItsOutputs()
    {
        var path = SaveTrainedModel(out var trained);
        var fresh = SmallModel(seed: 2);
        fresh.eval();
        var input = torch.randn(5, 4);
        Assert.False(trained.forward(input).equal(fresh.forward(input)).all().item<bool>());

        var report = fresh.LoadSafetensors(path);

        Assert.True(report.IsComplete);
        Assert.Equal(trained.state_dict().Count, report.Loaded.Count);
        Assert.Contains("2.running_mean", report.Loaded);
        TensorAssert.Identical(trained.forward(input), fresh.forward(input));
    }

    [Fact]
    public void LoadingKeepsTheParameterObjectsSoAnExistingOptimizerStillTrainsThem()
    {
        var path = SaveTrainedModel(out var trained);
        var model = SmallModel(seed: 2);
        var parametersBefore = model.parameters().ToList();
        var optimizer = torch.optim.SGD(model.parameters(), learningRate: 0.1);

        model.LoadSafetensors(path);

        var parametersAfter = model.parameters().ToList();
        Assert.Equal(parametersBefore.Count, parametersAfter.Count);
        Assert.All(parametersBefore.Zip(parametersAfter), pair => Assert.Same(pair.First, pair.Second));
        TensorAssert.Identical(trained.state_dict()["0.weight"], model.state_dict()["0.weight"]);
        Assert.True(parametersAfter[0].requires_grad);

        model.train();
        optimizer.zero_grad();
        model.forward(torch.randn(8, 4)).pow(2).sum().backward();
        optimizer.step();
        Assert.False(trained.state_dict()["0.weight"].equal(model.state_dict()["0.weight"]).all().item<bool>(),
            "the optimizer no longer updates the module's parameters");
    }

    [Fact]
    public void MissingUnexpectedAndMismatchedTensorsAreReportedByName()
    {
        var model = SmallModel(seed: 2);
        var source = new Dictionary<string, Tensor>
        {
            ["0.weight"] = torch.ones(8, 4),
            ["0.bias"] = torch.ones(7),                 // wrong shape
            ["1.weight"] = torch.ones(8),
            ["1.bias"] = torch.ones(8),
            ["mask_token"] = torch.ones(1, 1, 8),       // not in the module
        };                                              // 2.* (BatchNorm) absent

        var report = StateDictLoader.Load(model, source, new LoadOptions { Strict = false });

        Assert.Equal(new[] { "0.weight", "1.bias", "1.weight" }, report.Loaded);
        Assert.Equal(new[] { "2.bias", "2.num_batches_tracked", "2.running_mean", "2.running_var", "2.weight" }, report.Missing);
        Assert.Equal(new[] { "mask_token" }, report.Unexpected);
        var mismatch = Assert.Single(report.Mismatched);
        Assert.Equal("0.bias", mismatch.Name);
        Assert.Equal(new long[] { 8 }, mismatch.ExpectedShape);
        Assert.Equal(new long[] { 7 }, mismatch.FileShape);
        Assert.False(report.IsComplete);
        Assert.True(model.state_dict()["0.weight"].eq(1f).all().item<bool>());
        Assert.False(model.state_dict()["0.bias"].eq(1f).all().item<bool>());
    }

    [Fact]
    public void StrictLoadingListsEveryProblemSortedWithCountsAndLeavesTheModuleUnchanged()
    {
        var model = SmallModel(seed: 2);
        var weightBefore = model.state_dict()["0.weight"].clone();
        var source = new Dictionary<string, Tensor>
        {
            ["0.weight"] = torch.ones(8, 4),
            ["0.bias"] = torch.ones(7),
            ["zeta"] = torch.ones(1),
            ["alpha"] = torch.ones(1),
        };

        var error = Assert.Throws<StateDictMismatchException>(() => StateDictLoader.Load(model, source, LoadOptions.Default, "ckpt.safetensors"));

        Assert.StartsWith("'ckpt.safetensors' do not match the module (9 tensors): 7 missing, 2 unexpected, 1 shape mismatch. Nothing was loaded.", error.Message);
        var lines = error.Message.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var missingAt = lines.IndexOf("Missing, in the module but not in the file (7):");
        Assert.Equal(
            new[] { "  1.bias", "  1.weight", "  2.bias", "  2.num_batches_tracked", "  2.running_mean", "  2.running_var", "  2.weight" },
            lines.Skip(missingAt + 1).Take(7));
        var unexpectedAt = lines.IndexOf("Unexpected, in the file but not in the module (2):");
        Assert.Equal(new[] { "  alpha", "  zeta" }, lines.Skip(unexpectedAt + 1).Take(2));
        Assert.Contains("Shape mismatch (1):", lines);
        Assert.Contains("  0.bias: module [8], file [7]", lines);
        Assert.Contains("Fix:", error.Message);
        Assert.Equal(2, error.Report.Unexpected.Count);
        TensorAssert.Identical(weightBefore, model.state_dict()["0.weight"]);
    }

    [Fact]
    public void APrefixRewriteStripsTheEncoderPrefixOfAWrappedCheckpoint()
    {
        var trained = SmallModel(seed: 1);
        var source = StateWithRenamedKeys(trained, key => "encoder." + key);
        var model = SmallModel(seed: 2);

        var report = StateDictLoader.Load(model, source, LoadOptions.StripPrefix("encoder."));

        Assert.True(report.IsComplete);
        TensorAssert.Identical(trained.state_dict()["1.weight"], model.state_dict()["1.weight"]);
    }

    [Fact]
    public void TheMismatchMessageSuggestsThePrefixToStrip()
    {
        var source = StateWithRenamedKeys(SmallModel(seed: 1), key => "model.encoder." + key);

        var error = Assert.Throws<StateDictMismatchException>(() => StateDictLoader.Load(SmallModel(seed: 2), source));

        Assert.Contains("Hint: 9 file tensor(s) match module tensors once the prefix 'model.encoder.' is removed", error.Message);
        Assert.Contains("PrefixRewrite.Strip(\"model.encoder.\")", error.Message);
    }

    [Fact]
    public void TheMismatchMessageSuggestsAPrefixToAddWhenTheModuleWrapsTheCheckpoint()
    {
        var wrapper = nn.Sequential(("backbone", SmallModel(seed: 2)));
        var source = SmallModel(seed: 1).state_dict();

        var error = Assert.Throws<StateDictMismatchException>(() => StateDictLoader.Load(wrapper, source));

        Assert.Contains("once the prefix 'backbone.' is added", error.Message);
        Assert.True(StateDictLoader.Load(wrapper, source, new LoadOptions { PrefixRewrites = new[] { PrefixRewrite.Add("backbone.") } }).IsComplete);
    }

    [Fact]
    public void IgnorePatternsSkipAMissingDecoderAndAnUnexpectedMaskToken()
    {
        torch.manual_seed(3);
        var pretrained = nn.Sequential(("encoder", nn.Linear(4, 4)));
        var model = nn.Sequential(("encoder", nn.Linear(4, 4)), ("decoder", nn.Linear(4, 2)));
        var source = new Dictionary<string, Tensor>(pretrained.state_dict()) { ["mask_token"] = torch.zeros(1, 1, 4) };

        var report = StateDictLoader.Load(model, source, new LoadOptions { IgnorePatterns = new[] { "decoder.*", "mask_token" } });

        Assert.Equal(new[] { "encoder.bias", "encoder.weight" }, report.Loaded);
        Assert.Equal(new[] { "decoder.bias", "decoder.weight", "mask_token" }, report.Ignored);
        Assert.True(report.IsComplete);
    }

    [Fact]
    public void ATensorAllowedToDifferInShapeIsSkippedWithANoteAndKeepsItsValues()
    {
        torch.manual_seed(4);
        var trainedAt224 = new TinyVit(tokens: 9);
        var modelAt160 = new TinyVit(tokens: 5);
        var positionsBefore = modelAt160.pos_embed.clone();
        var path = _dir.File("vit.safetensors");
        trainedAt224.SaveSafetensors(path);

        var report = modelAt160.LoadSafetensors(path, new LoadOptions { AllowShapeMismatch = new[] { "pos_embed" } });

        Assert.True(report.IsComplete);
        var skipped = Assert.Single(report.SkippedShapeMismatches);
        Assert.Equal("pos_embed", skipped.Name);
        Assert.Equal(new long[] { 1, 5, 4 }, skipped.ExpectedShape);
        Assert.Equal(new long[] { 1, 9, 4 }, skipped.FileShape);
        Assert.Equal(new[] { "proj.bias", "proj.weight" }, report.Loaded);
        TensorAssert.Identical(positionsBefore, modelAt160.pos_embed);
        Assert.Contains("Skipped, shape allowed to differ; the module kept its own values (1):", report.ToString());
    }

    [Fact]
    public void BFloat16WeightsAreConvertedToTheModulesFloat32()
    {
        var trained = SmallModel(seed: 1);
        var path = _dir.File("bf16.safetensors");
        SafetensorsFile.Write(path, trained.state_dict().ToDictionary(
            p => p.Key, p => p.Value.is_floating_point() ? p.Value.to(ScalarType.BFloat16) : p.Value));
        var model = SmallModel(seed: 2);

        var report = model.LoadSafetensors(path);

        Assert.Equal(ScalarType.Float32, model.state_dict()["0.weight"].dtype);
        TensorAssert.Identical(trained.state_dict()["0.weight"].to(ScalarType.BFloat16).to(ScalarType.Float32), model.state_dict()["0.weight"]);
        Assert.Equal(8, report.Converted.Count);
        Assert.All(report.Converted, c => Assert.Equal((ScalarType.BFloat16, ScalarType.Float32), (c.From, c.To)));
        Assert.Contains("Converted 8 tensor(s) from BFloat16 to Float32.", report.ToString());
    }

    [Fact]
    public void AKeyMappingRenamesKeysAndDropsThoseItReturnsNullFor()
    {
        var source = StateWithRenamedKeys(SmallModel(seed: 1), key => key.Replace("0.", "fc.", StringComparison.Ordinal));
        source["aux_head.weight"] = torch.ones(3);

        var report = StateDictLoader.Load(SmallModel(seed: 2), source, new LoadOptions
        {
            KeyMapping = key => key.StartsWith("aux_", StringComparison.Ordinal) ? null : key.Replace("fc.", "0.", StringComparison.Ordinal),
        });

        Assert.True(report.IsComplete);
        Assert.Equal(new[] { "aux_head.weight" }, report.Ignored);
    }

    [Fact]
    public void TwoFileTensorsMappingToOneModuleKeyIsAnError()
    {
        var source = new Dictionary<string, Tensor> { ["encoder.0.weight"] = torch.ones(8, 4), ["0.weight"] = torch.ones(8, 4) };

        var error = Assert.Throws<ArgumentException>(() => StateDictLoader.Load(SmallModel(seed: 2), source, LoadOptions.StripPrefix("encoder.")));

        Assert.Contains("both map to module key '0.weight'", error.Message);
    }

    [Fact]
    public void TheReportReadsWellInAConsole()
    {
        var model = SmallModel(seed: 2);
        var source = new Dictionary<string, Tensor>
        {
            ["0.weight"] = torch.ones(8, 4),
            ["0.bias"] = torch.ones(7),
            ["mask_token"] = torch.ones(1),
            ["decoder.weight"] = torch.ones(1),
        };

        var text = StateDictLoader.Load(model, source, new LoadOptions { Strict = false, IgnorePatterns = new[] { "decoder.*" } }, "mae.safetensors").ToString();

        Assert.Equal(
            """
            Loaded 1 of 9 module tensors from 'mae.safetensors': 7 missing, 1 unexpected, 1 shape mismatch.
            Missing, in the module but not in the file (7):
              1.bias
              1.weight
              2.bias
              2.num_batches_tracked
              2.running_mean
              2.running_var
              2.weight
            Unexpected, in the file but not in the module (1):
              mask_token
            Shape mismatch (1):
              0.bias: module [8], file [7]
            Ignored (1):
              decoder.weight
            """,
            text.ReplaceLineEndings("\n"));
    }

    /// <summary>The shape of a ViT's state dict in miniature: a positional embedding sized by the image, and a projection.</summary>
    private sealed class TinyVit : nn.Module<Tensor, Tensor>
    {
#pragma warning disable IDE1006 // PyTorch's state-dict names
        public readonly Parameter pos_embed;
        private readonly Linear proj;
#pragma warning restore IDE1006

        public TinyVit(int tokens) : base(nameof(TinyVit))
        {
            pos_embed = nn.Parameter(torch.randn(1, tokens, 4));
            proj = nn.Linear(4, 4);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => proj.forward(input + pos_embed);
    }
}
