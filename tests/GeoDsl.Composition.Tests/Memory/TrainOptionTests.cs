using GeoDsl.Composition.Specs;
using GeoDsl.Composition.Tests.Diagnostics;

namespace GeoDsl.Composition.Tests.Memory;

/// <summary>The train block's memory and option settings: how they bind, how they are written back, and the GEO3xxx rules.</summary>
public sealed class TrainOptionTests
{
    /// <summary>Column (one-based) of <paramref name="fragment"/> on line 9, the train block of <see cref="Estimates.Tiny"/>.</summary>
    private static int Column(string text, string fragment) => text.Split('\n')[8].IndexOf(fragment, StringComparison.Ordinal) + 1;

    [Fact]
    public void LeftOutTheNewSettingsMeanNoPeftNoSchedulerAndFusedAttention()
    {
        var train = Estimates.Analyze(Estimates.Tiny()).Spec.Train;

        Assert.Equal((null, null, AttentionImplementation.Fused), (train.PeftConfig, train.Scheduler, train.Attention));
        Assert.Null(train.Lora);
    }

    [Fact]
    public void LoraTakesPeftsNamesAndDefaults()
    {
        var lora = Estimates.Analyze(Estimates.Tiny("peft_config = lora { target_modules = [qkv, fc1] }")).Spec.Train.Lora!;

        Assert.Equal((8, 8.0, 0.0, false), (lora.Rank, lora.Alpha, lora.Dropout, lora.Quantized));
        Assert.Equal(new[] { "qkv", "fc1" }, lora.TargetModules);
    }

    [Fact]
    public void QloraDefaultsToNf4WithDoubleQuantisationAndBf16Compute()
    {
        var lora = Estimates.Analyze(Estimates.Tiny("peft_config = qlora { r = 16, lora_alpha = 32 }")).Spec.Train.Lora!;

        Assert.Equal((16, 32.0, true, "nf4", true, "bf16"), (lora.Rank, lora.Alpha, lora.Quantized, lora.QuantType, lora.DoubleQuant, lora.ComputeDtype));
        Assert.Equal(new[] { "qkv" }, lora.TargetModules);
    }

    [Theory]
    [InlineData("peft_config = lora { r = 4, lora_alpha = 8, lora_dropout = 0.05, target_modules = [qkv, proj, fc1, fc2] }")]
    [InlineData("peft_config = qlora { bnb_4bit_quant_type = fp4, bnb_4bit_use_double_quant = false, bnb_4bit_compute_dtype = fp16 }")]
    [InlineData("scheduler = cosine { warmup_epochs = 2, eta_min = 0.000001 }")]
    [InlineData("scheduler = step { step_size = 3, gamma = 0.5 }")]
    [InlineData("scheduler = plateau { patience = 2, factor = 0.2 }")]
    [InlineData("optimizer = adamw { lr = 0.0001 }, scheduler = onecycle { max_lr = 0.001 }")]
    [InlineData("attention = materialized, optimizer = adamw8bit { lr = 0.0002 }")]
    public void TheCanonicalTextCompilesBackToTheSameSpec(string train)
    {
        var spec = Estimates.Analyze(Estimates.Tiny(train)).Spec;
        string canonical = ModelSpecWriter.Write(spec);

        Assert.Equal(spec, Estimates.Analyze(canonical).Spec);
        Assert.Equal(canonical, ModelSpecWriter.Write(Estimates.Analyze(canonical).Spec));
    }

    [Fact]
    public void OneCycleNeedsItsPeakRate()
    {
        string text = Estimates.Tiny("scheduler = onecycle { pct_start = 0.3 }");

        var d = Diagnosed.Single(GeoModelCompiler.Compile("t.geomodel", text), "GEO0020", 9, Column(text, "onecycle"));
        Assert.StartsWith("Scheduler 'onecycle' needs 'max_lr'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoraOnAFrozenBackboneIsGeo3001OnFreezeBackbone()
    {
        string text = Estimates.Tiny("peft_config = lora { r = 8 }, freeze_backbone = true");

        var d = Diagnosed.Single(GeoModelCompiler.Compile("t.geomodel", text), "GEO3001", 9, Column(text, "true"));
        Assert.StartsWith("peft_config 'lora' trains adapters inside the backbone, but freeze_backbone = true", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALoraTargetTheBackboneLacksIsGeo3002OnThatItem()
    {
        string text = Estimates.Tiny("peft_config = lora { target_modules = [qkv, fc2] }").Replace("prithvi_eo_tiny", "prithvi_eo_tiny { }", StringComparison.Ordinal);
        Assert.Empty(GeoModelCompiler.Compile("t.geomodel", text).Diagnostics);

        string resnet = """
            model R : segmentation {
                input { bands = [RED, GREEN, BLUE], size = 256 }
                backbone resnet18 { out_indices = [1, 2, 3, 4] }
                decoder uper_net { channels = 64 }
                head segmentation { num_classes = 2 }
                train { peft_config = lora { target_modules = [qkv, fc2] } }
            }
            """;
        var file = GeoModelCompiler.Compile("r.geomodel", resnet);
        string line = resnet.Split('\n')[5];
        Assert.Equal(new[] { $"GEO3002 (6,{line.IndexOf("qkv", StringComparison.Ordinal) + 1})", $"GEO3002 (6,{line.IndexOf("fc2", StringComparison.Ordinal) + 1})" },
            Diagnosed.Positions(file));
        Assert.Equal("backbone 'resnet18' has no 'qkv' layers for LoRA to adapt; GeoDsl knows no linear layers of it that LoRA could adapt, so peft_config does not apply to it; fine-tune it fully or freeze it",
            file.Diagnostics[0].Message);
    }

    [Theory]
    [InlineData("epochs = 10, scheduler = cosine { warmup_epochs = 10 }", "warmup_epochs = 10", "scheduler 'cosine' warms up for 10 epoch(s), but training lasts 10 epoch(s)")]
    [InlineData("epochs = 10, scheduler = step { step_size = 30 }", "step_size = 30", "scheduler 'step' decays every 30 epoch(s), but training lasts 10 epoch(s)")]
    [InlineData("epochs = 5, scheduler = plateau { patience = 5 }", "patience = 5", "scheduler 'plateau' waits 5 epoch(s) without improvement, but training lasts 5 epoch(s)")]
    public void AScheduleThatNeverActsIsGeo3003OnItsArgument(string train, string argument, string message)
    {
        string text = Estimates.Tiny(train);
        string value = argument.Substring(argument.IndexOf('=', StringComparison.Ordinal) + 2);

        var d = Diagnosed.Single(GeoModelCompiler.Compile("t.geomodel", text), "GEO3003", 9, Column(text, argument) + argument.Length - value.Length);
        Assert.StartsWith(message, d.Message, StringComparison.Ordinal);
        Assert.Equal(Composition.Diagnostics.DiagnosticSeverity.Warning, d.Severity);
    }

    [Fact]
    public void AOneCyclePeakBelowTheLearningRateIsGeo3004()
    {
        string text = Estimates.Tiny("optimizer = adamw { lr = 0.001 }, scheduler = onecycle { max_lr = 0.0001 }");

        var d = Diagnosed.Single(GeoModelCompiler.Compile("t.geomodel", text), "GEO3004", 9, Column(text, "0.0001"));
        Assert.StartsWith("onecycle's max_lr 0.0001 is below the optimizer's lr 0.001", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JaccardWithAnIgnoredLabelIsGeo3005AndTheDefaultIgnoresNothing()
    {
        string text = Estimates.Tiny("loss = jaccard, ignore_index = 255");

        Diagnosed.Single(GeoModelCompiler.Compile("t.geomodel", text), "GEO3005", 9, Column(text, "255"));
        Assert.Empty(GeoModelCompiler.Compile("t.geomodel", Estimates.Tiny("loss = jaccard")).Diagnostics);
    }

    [Theory]
    [InlineData("dice")]
    [InlineData("focal")]
    [InlineData("jaccard")]
    [InlineData("lovasz")]
    public void ClassWeightsWithALossOtherThanCrossEntropyAreGeo3006(string loss)
    {
        string text = Estimates.Tiny($"loss = {loss}, class_weights = [1, 3]");

        var d = Diagnosed.Single(GeoModelCompiler.Compile("t.geomodel", text), "GEO3006", 9, Column(text, "[1, 3]"));
        Assert.Contains($"loss '{loss}' would train unweighted", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NesterovWithoutMomentumIsGeo3007OnNesterov()
    {
        string text = Estimates.Tiny("optimizer = sgd { momentum = 0, nesterov = true }");

        var d = Diagnosed.Single(GeoModelCompiler.Compile("t.geomodel", text), "GEO3007", 9, Column(text, "true"));
        Assert.StartsWith("sgd with nesterov = true needs momentum above 0 (it is 0)", d.Message, StringComparison.Ordinal);
    }
}
