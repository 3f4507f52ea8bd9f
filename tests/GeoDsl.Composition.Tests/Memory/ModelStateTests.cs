namespace GeoDsl.Composition.Tests.Memory;

/// <summary>Weights, gradients and optimizer states per parameter, by precision and optimizer (memory-facts.md §1.1).</summary>
public sealed class ModelStateTests
{
    private static readonly ModelAnalysis Fp32AdamW = Estimates.Analyze(Estimates.Tiny("precision = fp32, optimizer = adamw"));

    private static long Parameters => Fp32AdamW.Parameters.Total;

    [Fact]
    public void Fp32AdamWKeepsFourBytesOfWeightAndGradientAndEightOfStatesPerParameter()
    {
        var memory = Fp32AdamW.Memory;

        Assert.Equal(4 * Parameters, memory.Item("weights"));
        Assert.Equal(4 * Parameters, memory.Item("gradients"));
        Assert.Equal(8 * Parameters, memory.Item("optimizer states"));
        Assert.Equal(0, memory.Item("weight casts"));
    }

    [Theory]
    [InlineData("fp16_mixed")]
    [InlineData("bf16_mixed")]
    public void MixedPrecisionKeepsFp32WeightsAndGradientsPlusSixteenBitCastsOfTheTrainedWeights(string precision)
    {
        var memory = Estimates.Of(Estimates.Tiny($"precision = {precision}"));

        Assert.Equal(4 * Parameters, memory.Item("weights"));
        Assert.Equal(2 * Parameters, memory.Item("weight casts"));
        Assert.Equal(4 * Parameters, memory.Item("gradients"));
        Assert.Equal(8 * Parameters, memory.Item("optimizer states"));
    }

    [Fact]
    public void PureBf16HalvesWeightsGradientsAndAdamStates()
    {
        var memory = Estimates.Of(Estimates.Tiny("precision = bf16"));

        Assert.Equal(2 * Parameters, memory.Item("weights"));
        Assert.Equal(2 * Parameters, memory.Item("gradients"));
        Assert.Equal(4 * Parameters, memory.Item("optimizer states"));
    }

    [Theory]
    [InlineData("adam", 8)]
    [InlineData("sgd { momentum = 0.9 }", 4)]
    [InlineData("sgd { momentum = 0 }", 0)]
    [InlineData("adamw8bit", 2)]
    public void OptimizerStatesPerTrainedParameterFollowTheOptimizer(string optimizer, int bytesPerParameter)
    {
        var memory = Estimates.Of(Estimates.Tiny($"optimizer = {optimizer}"));

        Assert.Equal(bytesPerParameter * Parameters, memory.Item("optimizer states"));
    }

    [Fact]
    public void FreezingTheBackboneDropsItsGradientsAndStatesButKeepsItsWeights()
    {
        var frozen = Estimates.Analyze(Estimates.Tiny("freeze_backbone = true"));
        long backbone = Parameters - frozen.Parameters.Trainable;

        Assert.Equal(3_553_280, backbone);
        Assert.Equal(4 * Parameters, frozen.Memory.Item("weights"));
        Assert.Equal(4 * frozen.Parameters.Trainable, frozen.Memory.Item("gradients"));
        Assert.Equal(8 * frozen.Parameters.Trainable, frozen.Memory.Item("optimizer states"));
    }

    [Fact]
    public void TheBreakdownSumsToThePeakAndTheDeviceAddsHeadroomAndTheCudaContext()
    {
        var memory = Fp32AdamW.Memory;

        Assert.Equal(memory.TrainingPeakBytes, memory.TrainingBreakdown.Sum(i => i.Bytes));
        Assert.Equal(memory.InferencePeakBytes, memory.InferenceBreakdown.Sum(i => i.Bytes));
        Assert.Equal((long)(memory.TrainingPeakBytes * 1.10) + (426L << 20), memory.TrainingDeviceBytes);
    }

    [Fact]
    public void InferenceNeedsLessThanTraining()
    {
        var memory = Fp32AdamW.Memory;

        Assert.True(memory.InferencePeakBytes < memory.TrainingPeakBytes / 2, $"{memory.InferencePeakBytes} vs {memory.TrainingPeakBytes}");
    }
}
