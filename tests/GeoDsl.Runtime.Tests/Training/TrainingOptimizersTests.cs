using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Training;
using TorchSharp;
using TorchSharp.Modules;

namespace GeoDsl.Runtime.Tests.Training;

public sealed class TrainingOptimizersTests
{
    private static ObjectValue Optimizer(string name, params (string Name, ArgValue Value)[] args) =>
        new(name, args.Select(a => new Argument(a.Name, a.Value)).ToEquatableArray());

    private static Parameter[] Parameters() => new[] { new Parameter(torch.ones(3)) };

    [Theory]
    [InlineData("adamw", typeof(AdamW))]
    [InlineData("adam", typeof(Adam))]
    [InlineData("sgd", typeof(SGD))]
    public void TheNamePicksTheOptimizerAndTheLearningRateIsApplied(string name, Type type)
    {
        using var optimizer = TrainingOptimizers.Create(Optimizer(name, ("lr", new FloatValue(0.02))), Parameters());
        Assert.IsType(type, optimizer);
        Assert.Equal(0.02, optimizer.ParamGroups.First().LearningRate, 12);
    }

    [Fact]
    public void AnOverrideReplacesTheLearningRate()
    {
        using var optimizer = TrainingOptimizers.Create(Optimizer("adamw", ("lr", new FloatValue(0.02))), Parameters(), learningRate: 0.5);
        Assert.Equal(0.5, optimizer.ParamGroups.First().LearningRate, 12);
    }

    [Fact]
    public void SgdWithNesterovStepsLikeTorch()
    {
        // One step on f(w) = Σw²/2 (gradient w): with momentum m and Nesterov, w ← w − lr·(g + m·g) on the first step.
        var weight = new Parameter(torch.tensor(new float[] { 1f, -2f }));
        using var optimizer = TrainingOptimizers.Create(
            Optimizer("sgd", ("lr", new FloatValue(0.1)), ("momentum", new FloatValue(0.9)), ("nesterov", new BoolValue(true))), new[] { weight });
        (weight.pow(2).sum() / 2).backward();
        optimizer.step();
        Assert.Equal(new[] { 1f - 0.1f * 1.9f, -2f + 0.1f * 2f * 1.9f }, weight.data<float>().ToArray(), new FloatTolerance(1e-6f));
    }

    [Fact]
    public void NesterovWithoutMomentumIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => TrainingOptimizers.Create(
            Optimizer("sgd", ("lr", new FloatValue(0.1)), ("momentum", new FloatValue(0)), ("nesterov", new BoolValue(true))), Parameters()));
        Assert.Contains("momentum", error.Message);
    }

    private sealed class FloatTolerance : IEqualityComparer<float>
    {
        private readonly float tolerance;

        public FloatTolerance(float tolerance) => this.tolerance = tolerance;

        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
