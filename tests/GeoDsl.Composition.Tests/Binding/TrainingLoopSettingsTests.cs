using GeoDsl.Composition.Specs;
using GeoDsl.Composition.Tests.Diagnostics;

namespace GeoDsl.Composition.Tests.Binding;

/// <summary>accumulate_grad_batches, gradient_clip_val, early_stopping_patience and the per-stage learning rates.</summary>
public sealed class TrainingLoopSettingsTests
{
    private const string Settings = "accumulate_grad_batches = 4, gradient_clip_val = 1.5, early_stopping_patience = 3, backbone_lr = 1e-5, head_lr = 0.001";

    private static ModelSpec Compile(string train) => TestModels.Single(Diagnosed.Compile(Diagnosed.ValidPlus($"train {{ {train} }}"))).Spec;

    [Fact]
    public void TheSettingsBindToTheTrainSpec()
    {
        var train = Compile(Settings).Train;
        Assert.Equal(4, train.AccumulateGradBatches);
        Assert.Equal(1.5, train.GradientClipValue);
        Assert.Equal(3, train.EarlyStoppingPatience);
        Assert.Equal(new StageLearningRates(1e-5, null, null, 0.001), train.StageLearningRates);
    }

    [Fact]
    public void TheCanonicalTextKeepsThemAndLeavesThemOutWhenDefault()
    {
        var spec = Compile(Settings);
        string canonical = ModelSpecWriter.Write(spec);
        Assert.Equal(spec, TestModels.Single(Diagnosed.Compile(canonical)).Spec);
        Assert.DoesNotContain("accumulate_grad_batches", ModelSpecWriter.Write(Compile("seed = 1")));
    }

    [Fact]
    public void AnAccumulationOfZeroIsOutOfRange()
    {
        var file = Diagnosed.Compile(Diagnosed.ValidPlus("train { accumulate_grad_batches = 0 }"));
        Assert.Contains(file.Diagnostics, d => d.Message.Contains("accumulate_grad_batches", StringComparison.Ordinal));
    }
}
