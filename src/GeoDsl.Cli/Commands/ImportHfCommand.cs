using System.CommandLine;
using System.IO;
using System.Linq;
using GeoDsl.Composition;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Memory;
using GeoDsl.Runtime.HuggingFace;

namespace GeoDsl.Cli.Commands;

/// <summary>
/// <c>geodsl import hf &lt;config.json&gt; [--bands …] [--name …] [--classes K] [--output file.geomodel]</c>: a Hugging Face
/// config as a <c>.geomodel</c> model on the catalog's equivalent backbone (GeoDsl.Runtime.HuggingFace does the work),
/// checked by the front end before it is written.
/// </summary>
internal static class ImportHfCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var config = new Argument<string>("config") { Description = "The model's config.json (or its folder)" };
        var bands = new Option<string?>("--bands") { Description = "Input bands in order, comma-separated (needed when num_channels is not 3)" };
        var name = new Option<string?>("--name") { Description = "Model name (default: from the config's folder)" };
        var classes = new Option<int>("--classes") { Description = "Classes of the segmentation head", DefaultValueFactory = _ => 2 };
        var file = new Option<string?>("--output", "-o") { Description = "Write the model here instead of printing it" };
        var hf = new Command("hf", "Import a Hugging Face config.json (vit, swin, swinv2, convnext, resnet) as a .geomodel.") { config, bands, name, classes, file };
        hf.SetAction(parse => Run(parse.GetValue(config)!, parse.GetValue(bands), parse.GetValue(name), parse.GetValue(classes), parse.GetValue(file), output, error));
        return hf;
    }

    public static int Run(string configPath, string? bands, string? name, int classes, string? outputPath, TextWriter output, TextWriter error)
    {
        HuggingFaceImportResult result;
        try
        {
            var options = new HuggingFaceImportOptions
            {
                ModelName = name,
                NumClasses = classes,
                Bands = bands?.Split(',', System.StringSplitOptions.RemoveEmptyEntries | System.StringSplitOptions.TrimEntries),
            };
            result = HuggingFaceImport.Import(HuggingFaceConfig.Read(configPath), options);
        }
        catch (HuggingFaceConfigException e)
        {
            error.WriteLine("error: " + e.Message);
            return GeoDslCommandLine.UsageError;
        }

        string target = outputPath ?? "<stdout>";
        var analysis = GeoModelCompiler.Compile(target, result.ModelText);
        foreach (var diagnostic in analysis.Diagnostics)
        {
            error.WriteLine(diagnostic.ToCompilerString());
        }

        if (outputPath is null)
        {
            output.Write(result.ModelText);
        }
        else
        {
            File.WriteAllText(outputPath, result.ModelText);
            output.WriteLine($"Wrote {outputPath}: backbone {result.Backbone.CatalogName}" + (result.Backbone.Arguments.Count > 0 ? $" {{ {string.Join(", ", result.Backbone.Arguments)} }}" : string.Empty));
        }

        foreach (var model in analysis.Models)
        {
            var memory = model.Memory;
            error.WriteLine($"{model.Spec.Name}: {model.Parameters.Total:N0} parameters; training at batch {model.Spec.Train.BatchSize} needs about {MemoryEstimate.Format(memory.TrainingDeviceBytes)} " +
                $"on the {memory.GpuDisplayName} ({(memory.Fits ? "fits" : "does not fit")} in {MemoryEstimate.Format(memory.BudgetBytes)}).");
        }

        foreach (string note in result.Backbone.Notes)
        {
            error.WriteLine("note: " + note);
        }

        return analysis.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) ? GeoDslCommandLine.ModelErrors : GeoDslCommandLine.Success;
    }
}
