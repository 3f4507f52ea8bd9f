using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using GeoDsl.Bench.Parity;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

// Usage: GeoDsl.Bench.Parity <model> <work folder> [--tolerance 1e-4]
// Reads <model>.weights/input/reference/reference64.safetensors and <model>.reference.json written by
// bench/parity/reference.py; writes <model>.result.json. Exit code 0 when both goals hold:
//   float32: the model output's max |Δ| ≤ tolerance (the issue's goal, 1e-4);
//   float64: every output's max |Δ| ≤ 1e-9 (the same function, evaluated exactly enough to show it).
// Taps (intermediate outputs) are reported in float32 beside torch's own float32 rounding error, the scale two
// correct float32 implementations can differ by.
const double Float64Goal = 1e-9;
if (args.Length < 2 || !ParityModels.All.TryGetValue(args[0], out var row))
{
    Console.Error.WriteLine($"usage: GeoDsl.Bench.Parity <model> <work folder> [--tolerance 1e-4]; models: {string.Join(", ", ParityModels.All.Keys)}");
    return 2;
}

string model = args[0];
string work = args[1];
double tolerance = args.Length >= 4 && args[2] == "--tolerance" ? double.Parse(args[3], CultureInfo.InvariantCulture) : 1e-4;
string PathOf(string suffix) => Path.Combine(work, $"{model}.{suffix}");

using var referenceJson = JsonDocument.Parse(File.ReadAllText(PathOf("reference.json")));
var rounding = referenceJson.RootElement.GetProperty("outputs").EnumerateObject()
    .ToDictionary(o => o.Name, o => o.Value.GetProperty("torch_float32_rounding").GetDouble());
var input = SafetensorsFile.Read(PathOf("input.safetensors"))["input"];

// Runs GeoDsl's module in one precision on the reference input; returns (name, shape, max |ref|, max |Δ|) per output.
List<(string Name, long[] Shape, double Scale, double Difference)> Compare(ScalarType dtype, string referenceFile, out int loaded)
{
    using var module = row.Build(dtype);
    loaded = module.LoadSafetensors(PathOf("weights.safetensors")).Loaded.Count; // strict: a missing, unexpected or reshaped tensor throws
    module.eval();
    var expected = SafetensorsFile.Read(PathOf(referenceFile));
    using var noGrad = no_grad();
    var actual = row.Run(module, input.to(dtype));
    var rows = new List<(string, long[], double, double)>();
    foreach (var (name, reference) in expected)
    {
        if (!actual.TryGetValue(name, out var output) || !output.shape.SequenceEqual(reference.shape))
        {
            throw new InvalidOperationException(output is null
                ? $"{model}: GeoDsl gives no '{name}' (it gives {string.Join(", ", actual.Keys)})."
                : $"{model}: '{name}' is [{string.Join(", ", output.shape)}], the reference [{string.Join(", ", reference.shape)}].");
        }

        rows.Add((name, reference.shape, reference.abs().max().to(float64).item<double>(), (output.to(float64) - reference.to(float64)).abs().max().item<double>()));
    }

    return rows;
}

var results32 = Compare(ScalarType.Float32, "reference.safetensors", out int loaded);
var results64 = Compare(ScalarType.Float64, "reference64.safetensors", out _);

double outputDifference = results32.Single(r => r.Name == "output").Difference;
double worst64 = results64.Max(r => r.Difference);
bool pass = outputDifference <= tolerance && worst64 <= Float64Goal;
foreach (var (r32, r64) in results32.Zip(results64))
{
    Console.WriteLine(FormattableString.Invariant(
        $"{model,-12} {r32.Name,-8} {"[" + string.Join("×", r32.Shape) + "]",-16} max |ref| {r32.Scale,8:G4}  float32 max |Δ| {r32.Difference:E2} (torch's own float32 rounding {rounding.GetValueOrDefault(r32.Name):E2})  float64 max |Δ| {r64.Difference:E2}"));
}

string torchSharp = typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "?";
var summary = new Dictionary<string, object>
{
    ["model"] = model,
    ["module"] = row.Module,
    ["torchsharp"] = torchSharp,
    ["libtorch"] = torch.__version__,
    ["loaded_tensors"] = loaded,
    ["outputs"] = results32.Zip(results64).Select(p => new Dictionary<string, object>
    {
        ["name"] = p.First.Name,
        ["shape"] = p.First.Shape,
        ["max_abs_reference"] = p.First.Scale,
        ["float32_max_abs_difference"] = p.First.Difference,
        ["torch_float32_rounding"] = rounding.GetValueOrDefault(p.First.Name),
        ["float64_max_abs_difference"] = p.Second.Difference,
    }).ToList(),
    ["float32_output_max_abs_difference"] = outputDifference,
    ["float64_max_abs_difference"] = worst64,
    ["tolerance"] = tolerance,
    ["float64_goal"] = Float64Goal,
    ["pass"] = pass,
};
File.WriteAllText(PathOf("result.json"), JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine(FormattableString.Invariant(
    $"{model}: {loaded} tensors loaded strictly; float32 output max |Δ| {outputDifference:E2} (goal ≤ {tolerance:G}), float64 max |Δ| {worst64:E2} (goal ≤ {Float64Goal:G}): {(pass ? "PASS" : "FAIL")}"));
return pass ? 0 : 1;
