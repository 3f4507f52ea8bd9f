using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using GeoDsl.Bench.Generator;
using Microsoft.CodeAnalysis;

// bench/generator/run.sh → dotnet run -c Release --project bench/GeoDsl.Bench.Generator -- <output.md>
string output = args.Length > 0 ? args[0] : Path.Combine(Workload.RepositoryRoot(), "bench", "generator", "RESULTS.md");

// In-process: no separate project to build; one invocation per iteration because the incremental case needs a
// fresh warm driver each time.
var config = ManualConfig.CreateMinimumViable()
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(2).WithIterationCount(15).WithInvocationCount(1).WithUnrollFactor(1))
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
var summary = BenchmarkRunner.Run<GeneratorBenchmarks>(config);

double Median(string method) => summary.Reports.Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method).ResultStatistics!.Median / 1e6;
double cold = Median(nameof(GeneratorBenchmarks.ColdRun));
double incremental = Median(nameof(GeneratorBenchmarks.IncrementalRunAfterOneEdit));
double analyzers = Median(nameof(GeneratorBenchmarks.AnalyzersOverAllFiles));
int n = GeneratorBenchmarks.FileCount;

// The proof of what was reused: the tracked steps' run reasons of one incremental run.
var workload = Workload.Create(n);
var warm = workload.CreateDriver().RunGenerators(workload.Compilation);
var (old, edited) = workload.EditOne(n / 2);
var result = warm.ReplaceAdditionalText(old, edited).RunGenerators(workload.Compilation).GetRunResult().Results.Single();
var reasons = result.TrackedSteps.Concat(result.TrackedOutputSteps)
    .OrderBy(p => p.Key, StringComparer.Ordinal)
    .Select(p => (Step: p.Key, Counts: p.Value.SelectMany(run => run.Outputs).GroupBy(o => o.Reason).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}")))
    .ToList();

var md = new StringBuilder();
var inv = CultureInfo.InvariantCulture;
md.AppendLine("# Generator and analyzers: cold vs incremental").AppendLine();
md.AppendLine("Written by `bench/generator/run.sh`; rerun it rather than editing this file.").AppendLine();
md.AppendLine(inv, $"- Date: {DateTime.UtcNow:yyyy-MM-dd}; machine: {Environment.OSVersion}, {Environment.ProcessorCount} logical CPUs, .NET {Environment.Version}");
md.AppendLine(inv, $"- Workload: {n} `.geomodel` files (the reference models of `models/`, renamed), one C# file; BenchmarkDotNet in-process, 15 iterations after 2 warm-ups, one invocation each; medians.");
md.AppendLine().AppendLine("| Measure | Median | Per file |").AppendLine("|---|---|---|");
md.AppendLine(inv, $"| Cold generator run ({n} files) | {cold:F1} ms | {cold / n:F2} ms |");
md.AppendLine(inv, $"| Incremental run after editing 1 file | {incremental:F2} ms | |");
md.AppendLine(inv, $"| Analyzers over all {n} files | {analyzers:F1} ms | {analyzers / n:F2} ms |");
md.AppendLine().AppendLine(inv, $"**Incremental / cold = {incremental / cold:F4} (1/{cold / incremental:F0}); goal ≤ 1/50.**").AppendLine();
md.AppendLine("Run reasons of the tracked steps in one incremental run (what was reused):").AppendLine();
md.AppendLine("| Step | Outputs by reason |").AppendLine("|---|---|");
foreach (var (step, counts) in reasons)
{
    md.AppendLine(inv, $"| {step} | {string.Join(", ", counts)} |");
}

File.WriteAllText(output, md.ToString());
Console.WriteLine(md.ToString());
Console.WriteLine("wrote " + output);
