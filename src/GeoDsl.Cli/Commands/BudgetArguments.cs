using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Options;

namespace GeoDsl.Cli.Commands;

/// <summary>
/// <c>--gpu NAME</c> and <c>--gpu-memory-gib N</c>: the budget of models without <c>target</c>, as a project sets it
/// with <c>GeoDslTargetGpu</c> and <c>GeoDslGpuMemoryGiB</c>, so the CLI reports what the build reports.
/// </summary>
internal sealed class BudgetArguments
{
    public Option<string?> Gpu { get; } = new("--gpu") { Description = "GPU for models without 'target' (e.g. rtx_3090; default rtx_4090), as GeoDslTargetGpu" };

    public Option<double?> GpuMemoryGiB { get; } = new("--gpu-memory-gib") { Description = "Memory budget in GiB for models without 'target', as GeoDslGpuMemoryGiB" };

    public void AddTo(Command command)
    {
        command.Options.Add(Gpu);
        command.Options.Add(GpuMemoryGiB);
    }

    /// <summary>The options the arguments give, or null after telling <paramref name="error"/> what is wrong with them.</summary>
    public CompileOptions? Read(ParseResult parse, TextWriter error) => Options(parse.GetValue(Gpu), parse.GetValue(GpuMemoryGiB), error);

    public static CompileOptions? Options(string? gpu, double? memoryGiB, TextWriter error)
    {
        var options = CompileOptions.Default;
        if (gpu is not null)
        {
            string name = gpu.Trim().ToLowerInvariant();
            if (Gpus.Find(name) is null)
            {
                error.WriteLine($"geodsl: --gpu '{gpu}' is not a known GPU.{Spelling.DidYouMean(name, Gpus.Names)} Known GPUs: {string.Join(", ", Gpus.Names)}.");
                return null;
            }

            options = options with { TargetGpu = name };
        }

        if (memoryGiB is { } gib)
        {
            if (!(gib > 0) || gib > 65536 || double.IsNaN(gib))
            {
                error.WriteLine($"geodsl: --gpu-memory-gib must be a size in GiB above 0; got {gib.ToString(CultureInfo.InvariantCulture)}.");
                return null;
            }

            options = options with { GpuMemoryGiB = gib };
        }

        return options;
    }
}
