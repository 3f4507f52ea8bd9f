using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using GeoDsl.Bench.Runtime;
using TorchSharp;
using static TorchSharp.torch;

// Runtime benches of issue 9, one per command; each writes one JSON document for bench/runtime/report.py.
//   train --model prithvi|resnet --threads N --batch B --warmup W --steps S --out FILE
//   overhead --threads N --warmup W --steps S --out FILE      (the tiny model: what the generated class adds)
//   scene --size PIXELS --out FILE.tif
//   infer --mode tiled|whole --threads N --batch TILES --scene FILE.tif --prediction FILE.tif --out FILE
// bench/runtime/run.sh runs 'train' interleaved with the PyTorch side (bench/runtime/pytorch_step.py);
// bench/runtime/run-inference.sh runs 'scene' and 'infer'.
try
{
    var options = BenchArguments.Parse(args);
    torch.set_num_threads(options.Threads);
    Dictionary<string, object>? document = options.Command switch
    {
        "train" => TrainCommand(options),
        "overhead" => OverheadCommand(options),
        "scene" => SceneCommand(options),
        "infer" => InferenceBench.Run(new BenchResNet18UperNetScene(), options.Text("mode"), options.Text("scene"), options.Text("prediction"), options.Batch),
        _ => throw new BenchUsageException($"Unknown command '{options.Command}'; use train, scene or infer."),
    };

    if (document is not null)
    {
        File.WriteAllText(options.Output, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
    }

    Console.WriteLine($"wrote {options.Output}");
    return 0;
}
catch (BenchUsageException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine("usage: GeoDsl.Bench.Runtime train --model prithvi|resnet --threads N --batch B --warmup W --steps S --out FILE");
    Console.Error.WriteLine("       GeoDsl.Bench.Runtime scene --size PIXELS --out FILE.tif");
    Console.Error.WriteLine("       GeoDsl.Bench.Runtime infer --mode tiled|whole --threads N --batch TILES --scene FILE.tif --prediction FILE.tif --out FILE");
    return 2;
}

// §5: on a model whose forward takes milliseconds, the generated class's checks, padding decision, neck dispatch and
// output resize are a visible share, if they cost anything; training steps and evaluation forwards, interleaved.
static Dictionary<string, object> OverheadCommand(BenchArguments options)
{
    torch.manual_seed(0);
    var generated = new BenchTinyPrithviUNet64();
    torch.manual_seed(0);
    var hand = HandComposedModel.TinyPrithviUNet(64);
    var variants = new[] { TrainingStepBench.Generated("generated", generated), TrainingStepBench.HandComposed("hand-composed", hand) };
    torch.manual_seed(1);
    using var pixels = torch.randn(8, 6, 64, 64);
    using var labels = torch.randint(0, 2, new long[] { 8, 64, 64 }, dtype: ScalarType.Int64);
    var steps = TrainingStepBench.Run(variants, pixels, labels, options.Warmup, options.Steps);
    generated.eval();
    hand.Eval();
    var forwards = ForwardBench.Run(variants, pixels, options.Warmup, options.Steps);
    foreach (var (kind, timings) in new[] { ("training step", steps), ("eval forward", forwards) })
    {
        foreach (var t in timings)
        {
            Console.WriteLine($"tiny {kind} {t.Variant}: median {t.MedianSeconds * 1e3:F2} ms over {t.Seconds.Count}");
        }
    }

    return new Dictionary<string, object>
    {
        ["model"] = "tiny",
        ["batch"] = 8,
        ["threads"] = torch.get_num_threads(),
        ["trainingSteps"] = steps,
        ["evalForwards"] = forwards,
    };
}

// The scene is the command's output: no JSON document.
static Dictionary<string, object>? SceneCommand(BenchArguments options)
{
    InferenceBench.WriteScene(options.Output, options.Number("size", 2048));
    return null;
}

static Dictionary<string, object> TrainCommand(BenchArguments options)
{
    double peakBefore = Timing.MatmulFlopsPerSecond();
    int size = options.Model switch
    {
        "prithvi" => 224,
        "resnet" => 256,
        _ => throw new BenchUsageException($"Unknown model '{options.Model}'; use prithvi or resnet."),
    };
    int channels = options.Model == "prithvi" ? 6 : 3;

    // The same seed before each model: both start from the same initialisation where the modules are built alike.
    torch.manual_seed(0);
    GeoDsl.Runtime.Composition.GeoModel generated = options.Model == "prithvi" ? new BenchPrithviUNet224() : new BenchResNet50UperNet256();
    torch.manual_seed(0);
    var hand = options.Model == "prithvi" ? HandComposedModel.PrithviUNet(size) : HandComposedModel.ResNet50UperNet();

    var variants = new[]
    {
        TrainingStepBench.Generated("generated", generated),
        TrainingStepBench.HandComposed("hand-composed", hand),
    };
    if (variants[0].ParameterCount != variants[1].ParameterCount)
    {
        throw new InvalidOperationException(
            $"The generated model has {variants[0].ParameterCount:N0} parameters but the hand composition {variants[1].ParameterCount:N0}: they are not the same model.");
    }

    torch.manual_seed(1);
    using var pixels = torch.randn(options.Batch, channels, size, size);
    using var labels = torch.randint(0, 2, new long[] { options.Batch, size, size }, dtype: ScalarType.Int64);
    var timings = TrainingStepBench.Run(variants, pixels, labels, options.Warmup, options.Steps);
    double peakAfter = Timing.MatmulFlopsPerSecond();

    foreach (var t in timings)
    {
        Console.WriteLine($"{options.Model} {t.Variant}: median {t.MedianSeconds:F3} s/step over {t.Seconds.Count} steps ({t.Parameters:N0} parameters)");
    }

    return new Dictionary<string, object>
    {
        ["runtime"] = "TorchSharp " + typeof(torch).Assembly.GetName().Version + " (libtorch " + torch.__version__ + ")",
        ["model"] = options.Model,
        ["imageSize"] = size,
        ["batch"] = options.Batch,
        ["threads"] = torch.get_num_threads(),
        ["warmup"] = options.Warmup,
        ["matmulFlopsPerSecond"] = new[] { peakBefore, peakAfter },
        ["variants"] = timings,
    };
}
