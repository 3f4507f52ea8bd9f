using GeoDsl.Composition.Specs;
using GeoDsl.Composition.Tests.Diagnostics;

namespace GeoDsl.Composition.Tests.Binding;

/// <summary>A model's task: written after the name, or inferred from the head.</summary>
public sealed class TaskTests
{
    [Fact]
    public void TaskIsInferredFromTheHeadWhenNotWritten()
    {
        var spec = TestModels.Single(Diagnosed.Compile(Diagnosed.ValidWith("model M : segmentation {", "model M {"))).Spec;

        Assert.Equal(ModelTask.Segmentation, spec.Task);
    }

    [Fact]
    public void RegressionInferredFromTheHeadDefaultsToMseLoss()
    {
        string text = Diagnosed.ValidWith("model M : segmentation {", "model M {").Replace("head segmentation { num_classes = 2 }", "head regression");

        var spec = TestModels.Single(Diagnosed.Compile(text)).Spec;

        Assert.Equal((ModelTask.Regression, "mse"), (spec.Task, spec.Train.Loss));
    }

    [Fact]
    public void MissingTaskWithoutAHeadIsReportedAtTheModelName()
    {
        string text = Diagnosed.ValidWith("model M : segmentation {", "model M {").Replace("    head segmentation { num_classes = 2 }\n", string.Empty);

        var d = Diagnosed.Single(Diagnosed.Compile(text), "GEO0016", 1, 7);

        Assert.Equal("Model 'M' has no task; add one, e.g. 'model M : segmentation { … }'", d.Message);
    }

    [Fact]
    public void MisspelledTaskSuggestsTheClosest()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidWith(": segmentation", ": segmentaton")), "GEO0010", 1, 11);

        Assert.Equal("Unknown task 'segmentaton'. Did you mean 'segmentation'? A model's task is 'segmentation', 'regression' or 'classification'", d.Message);
    }

    [Fact]
    public void ColonWithoutATaskIsOneError()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidWith(": segmentation {", ": {")), "GEO0001", 1, 11);

        Assert.Equal("Unexpected '{'; expected a task: segmentation, regression or classification", d.Message);
    }
}
