using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Composition;
using GeoDsl.Runtime.Features;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GeoDsl.Bench.Runtime;

/// <summary>One way of running a model: how its logits come from pixels, and what AdamW trains.</summary>
public sealed record StepVariant(string Name, Func<Tensor, Tensor> Forward, IReadOnlyList<Parameter> Parameters)
{
    public long ParameterCount => Parameters.Sum(p => p.numel());
}

/// <summary>The timings of one variant: every measured step after the warm-up, in seconds.</summary>
public sealed record StepTimings(string Variant, long Parameters, IReadOnlyList<double> Seconds)
{
    public double MedianSeconds => Timing.Median(Seconds);
}

/// <summary>
/// Issue 9 §3: forward + cross-entropy + backward + AdamW step, the variants interleaved step by step (A, B, A, B, …)
/// so that the other load on a shared machine falls on both alike.
/// </summary>
public static class TrainingStepBench
{
    public static IReadOnlyList<StepTimings> Run(IReadOnlyList<StepVariant> variants, Tensor pixels, Tensor labels, int warmup, int steps)
    {
        var optimizers = variants.Select(v => torch.optim.AdamW(v.Parameters, 1e-4, weight_decay: 0.05)).ToArray();
        var times = variants.Select(_ => new List<double>()).ToArray();
        try
        {
            for (int step = 0; step < warmup + steps; step++)
            {
                for (int v = 0; v < variants.Count; v++)
                {
                    // Alternate which variant goes first, so neither always follows the other's memory traffic.
                    int index = step % 2 == 0 ? v : variants.Count - 1 - v;
                    double seconds = Timing.Seconds(() => Step(variants[index], optimizers[index], pixels, labels));
                    if (step >= warmup)
                    {
                        times[index].Add(seconds);
                    }
                }
            }
        }
        finally
        {
            foreach (var optimizer in optimizers)
            {
                optimizer.Dispose();
            }
        }

        return variants.Select((v, i) => new StepTimings(v.Name, v.ParameterCount, times[i])).ToArray();
    }

    private static void Step(StepVariant variant, optim.Optimizer optimizer, Tensor pixels, Tensor labels)
    {
        using var scope = torch.NewDisposeScope();
        optimizer.zero_grad();
        var logits = variant.Forward(pixels);
        var loss = nn.functional.cross_entropy(logits, labels);
        loss.backward();
        optimizer.step();
    }

    public static StepVariant Generated(string name, GeoModel model)
    {
        model.train();
        return new StepVariant(name, pixels => model.call(new BackboneInput(pixels)).Output, model.parameters().ToArray());
    }

    public static StepVariant HandComposed(string name, HandComposedModel model)
    {
        model.Train();
        return new StepVariant(name, model.Forward, model.Parameters.ToArray());
    }
}

/// <summary>Forward passes without gradients (evaluation mode), interleaved like <see cref="TrainingStepBench"/>.</summary>
public static class ForwardBench
{
    public static IReadOnlyList<StepTimings> Run(IReadOnlyList<StepVariant> variants, Tensor pixels, int warmup, int repeats)
    {
        var times = variants.Select(_ => new List<double>()).ToArray();
        using var noGrad = torch.no_grad();
        for (int repeat = 0; repeat < warmup + repeats; repeat++)
        {
            for (int v = 0; v < variants.Count; v++)
            {
                int index = repeat % 2 == 0 ? v : variants.Count - 1 - v;
                double seconds = Timing.Seconds(() =>
                {
                    using var scope = torch.NewDisposeScope();
                    variants[index].Forward(pixels);
                });
                if (repeat >= warmup)
                {
                    times[index].Add(seconds);
                }
            }
        }

        return variants.Select((v, i) => new StepTimings(v.Name, v.ParameterCount, times[i])).ToArray();
    }
}
