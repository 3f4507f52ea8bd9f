using GeoDsl.Composition.Specs;
using GeoDsl.Composition.Tests.Diagnostics;

namespace GeoDsl.Composition.Tests.Binding;

/// <summary>Enumerations (loss, precision) and object choices (optimizer) with their own arguments.</summary>
public sealed class ChoiceArgumentTests
{
    private static string Train(string arguments) => Diagnosed.ValidPlus("train { " + arguments + " }");

    [Fact]
    public void MisspelledLossSuggestsTheClosest()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Train("loss = dcie")), "GEO0014", 9, 20);

        Assert.StartsWith("'loss' of train must be one of 'ce', 'dice',", d.Message, StringComparison.Ordinal);
        Assert.EndsWith("got 'dcie'. Did you mean 'dice'?", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MisspelledPrecisionSuggestsTheClosest()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Train("precision = bf16mixed")), "GEO0014", 9, 25);

        Assert.Equal("'precision' of train must be one of 'fp32', 'fp16_mixed', 'bf16_mixed' or 'bf16'; got 'bf16mixed'. Did you mean 'bf16_mixed'?", d.Message);
    }

    [Fact]
    public void EnumMayBeWrittenAsAString()
    {
        var spec = TestModels.Single(Diagnosed.Compile(Train("loss = \"dice\", precision = \"bf16_mixed\""))).Spec;

        Assert.Equal(("dice", Precision.Bf16Mixed), (spec.Train.Loss, spec.Train.Precision));
    }

    [Fact]
    public void LossOfAnotherTaskIsRejectedWithTheTasksLosses()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Train("loss = mse")), "GEO0014", 9, 20);

        Assert.Equal("'loss' of a segmentation model must be one of 'ce', 'dice', 'focal', 'jaccard' or 'lovasz'; got 'mse'", d.Message);
    }

    [Fact]
    public void OptimizerWithArgumentsKeepsThemAndFillsTheRest()
    {
        var spec = TestModels.Single(Diagnosed.Compile(Train("optimizer = adamw { lr = 1e-4 }"))).Spec;

        Assert.Equal("adamw { lr = 0.0001, weight_decay = 0.05 }", spec.Train.Optimizer.ToSource());
        Assert.Equal(1e-4, spec.Train.LearningRate);
    }

    [Fact]
    public void OptimizerByNameAloneGetsAllItsDefaults()
    {
        var spec = TestModels.Single(Diagnosed.Compile(Train("optimizer = sgd"))).Spec;

        Assert.Equal("sgd { lr = 0.01, momentum = 0.9, weight_decay = 0, nesterov = false }", spec.Train.Optimizer.ToSource());
    }

    [Fact]
    public void MisspelledOptimizerSuggestsTheClosest()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Train("optimizer = sgdd")), "GEO0014", 9, 25);

        Assert.Equal("'optimizer' of train must be one of 'adamw', 'adam', 'sgd' or 'adamw8bit'; got 'sgdd'. Did you mean 'sgd'?", d.Message);
    }

    [Fact]
    public void MisspelledOptimizerWithArgumentsIsOneError()
    {
        Diagnosed.Single(Diagnosed.Compile(Train("optimizer = adamww { lr = 1e-4 }")), "GEO0014", 9, 25);
    }

    [Fact]
    public void UnknownOptimizerArgumentNamesTheOptimizer()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Train("optimizer = adamw { lrr = 1 }")), "GEO0012", 9, 33);

        Assert.Equal("Optimizer 'adamw' has no argument 'lrr'. Did you mean 'lr'? Its arguments: lr, weight_decay", d.Message);
    }

    [Fact]
    public void OptimizerArgumentOutOfRangeNamesTheOptimizer()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Train("optimizer = adamw { lr = 11 }")), "GEO0014", 9, 38);

        Assert.Equal("'lr' of optimizer 'adamw' must be a number from 0 to 10; got 11", d.Message);
    }

    [Fact]
    public void NumberWhereAnOptimizerBelongsIsAMismatch()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Train("optimizer = 5")), "GEO0013", 9, 25);

        Assert.Equal("'optimizer' of train must be one of 'adamw', 'adam', 'sgd' or 'adamw8bit'; got the number 5", d.Message);
    }

    [Fact]
    public void ArgumentsOfTheOptimizerAreBoundLikeAnyOthers()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Train("optimizer = sgd { nesterov = yes }")), "GEO0013", 9, 42);

        Assert.Equal("'nesterov' of optimizer 'sgd' must be true or false; got the name 'yes'", d.Message);
    }

    [Fact]
    public void ClassWeightsGiveOneWeightPerClass()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Train("class_weights = [1, 2, 3]")), "GEO0014", 9, 29);

        Assert.Equal("'class_weights' of train must be one weight per class (2, the 'head' num_classes); got 3 weight(s)", d.Message);
    }

    [Fact]
    public void ClassWeightsMatchingTheClassesAreKept()
    {
        var spec = TestModels.Single(Diagnosed.Compile(Train("class_weights = [0.3, 0.7]"))).Spec;

        Assert.Equal(new[] { 0.3, 0.7 }, spec.Train.ClassWeights);
    }
}
