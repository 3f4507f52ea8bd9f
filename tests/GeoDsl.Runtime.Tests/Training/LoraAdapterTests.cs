using GeoDsl.Runtime.Adapters;
using GeoDsl.Runtime.Training;
using GeoDsl.Runtime.Training.Progress;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Training;

[Collection(TrainingCollection.Name)]
public sealed class LoraAdapterTests
{
    private const string Lora = "peft_config = lora { r = 2, lora_alpha = 4, target_modules = [qkv, fc1] }";

    private static readonly TrainingOptions Quiet = new() { Progress = TrainingProgressMode.Off, WriteCurves = false };

    private readonly TinyWaterTraining data;

    public LoraAdapterTests(TinyWaterTraining data) => this.data = data;

    private static string Text() => TinyWaterTraining.ModelText($"batch_size = 4, epochs = 1, optimizer = adamw {{ lr = 0.01 }}, {Lora}");

    private Tensor Predict(GeoDsl.Runtime.Composition.GeoModel model)
    {
        using var noGrad = no_grad();
        model.eval();
        using var batch = data.HeldOut.GetBatch(new[] { 0, 1 });
        return model.Predict(batch.Images).Output.detach().clone();
    }

    [Fact]
    public void NewAdaptersChangeNothingAndSitOnTheTargetLayersWithPeftNames()
    {
        using var model = TinyWaterTraining.Build(Text());
        var before = Predict(model);
        var adapters = LoraAdapters.Attach(model.Encoder, model.Spec.Train.Lora!);

        Assert.Equal(before, Predict(model)); // B starts at zero
        Assert.Equal(8, adapters.AdaptedLayers.Count); // 4 blocks × (qkv, fc1)
        Assert.Contains("base_model.model.encoder.blocks.0.attn.qkv.lora_A.weight", adapters.AdapterTensors().Keys);
        Assert.Equal(new long[] { 2, 32 }, adapters.AdapterTensors()["base_model.model.encoder.blocks.0.attn.qkv.lora_A.weight"].shape);
        Assert.Equal(new long[] { 96, 2 }, adapters.AdapterTensors()["base_model.model.encoder.blocks.0.attn.qkv.lora_B.weight"].shape);
        Assert.Equal(2.0, adapters.Scaling);
    }

    [Fact]
    public void TrainingMovesOnlyTheAdaptersInTheBackboneAndTheyMergeAndReloadToTheSameOutputs()
    {
        string output = data.Scratch("lora-" + Guid.NewGuid().ToString("N"));
        using var model = TinyWaterTraining.Build(Text());
        var backbone = model.Encoder.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        var report = GeoTrainer.Fit(model, data.Train, null, Quiet with { OutputFolder = output });
        var adapters = report.Adapters!;

        Assert.All(model.Encoder.state_dict(), p => Assert.True(p.Value.allclose(backbone[p.Key], rtol: 0, atol: 0), p.Key));
        Assert.Contains(adapters.AdapterTensors(), t => t.Key.EndsWith("lora_B.weight", StringComparison.Ordinal) && t.Value.abs().max().item<float>() > 0);
        var adapted = Predict(model);

        // The saved adapters on a fresh copy of the model give the trained outputs.
        using var reloaded = TinyWaterTraining.Build(Text());
        reloaded.load_state_dict(model.state_dict());
        var fresh = LoraAdapters.Attach(reloaded.Encoder, reloaded.Spec.Train.Lora!);
        fresh.Load(Path.Combine(output, "adapters.safetensors"));
        Assert.True(Predict(reloaded).allclose(adapted, rtol: 1e-5, atol: 1e-5));

        // Merged into the weights, the model alone gives them too.
        adapters.Merge();
        adapters.Detach();
        Assert.True(Predict(model).allclose(adapted, rtol: 1e-4, atol: 1e-4));
        Assert.False(model.Encoder.state_dict().All(p => p.Value.allclose(backbone[p.Key], rtol: 0, atol: 0)));
    }

    [Fact]
    public void QloraIsRefusedWithTheReasonAndTheAlternative()
    {
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText(
            "batch_size = 4, epochs = 1, optimizer = adamw { lr = 0.01 }, peft_config = qlora { r = 2, target_modules = [qkv] }"));
        var error = Assert.ThrowsAny<Exception>(() => GeoTrainer.Fit(model, data.Train, null, Quiet));
        Assert.Contains("bitsandbytes", error.Message);
        Assert.Contains("peft_config = lora", error.Message);
    }
}
