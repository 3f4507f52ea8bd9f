using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Specs;
using GeoDsl.Composition.Vlm;
using GeoDsl.Generators.Model;

namespace GeoDsl.Generators.Emit;

/// <summary>
/// Emits a vision-language model's typed description: its name and canonical text, its parts (component, output,
/// parameters, training mode), visual tokens, parameter counts, the memory estimate on its target and every fine-tuning
/// mode with its device total. The TorchSharp modules of these models are the runtime's (issue 8); this class is what
/// the front end knows, as constants a program can read without parsing the file.
/// </summary>
internal static class VlmClassEmitter
{
    public static string Emit(VlmGenerationTarget target)
    {
        var analysis = target.Analysis;
        var spec = analysis.Spec;
        var memory = analysis.Memory;
        var writer = ModelClassEmitter.Start(target.Origin, target.Namespace, "CS8981 // Model names come from .geomodel files: lower case is theirs to choose.");

        writer.Doc("<summary>");
        writer.Doc(SourceWriter.Xml($"{spec.Name}: a vision-language model, {string.Join(" → ", analysis.Stages.Select(s => s.Name))}."));
        writer.Doc("</summary>");
        writer.Doc("<remarks>");
        writer.Doc($"<para>Parameters: {Count(analysis.Parameters.Total)} ({Count(analysis.Parameters.Trainable)} trainable).</para>");
        writer.Doc(SourceWriter.Xml($"Training on {memory.GpuDisplayName}: {MemoryEstimate.Format(memory.TrainingDeviceBytes)} on the device ({memory.DescribeTraining()}); {(memory.Fits ? "fits" : "does not fit")} {MemoryEstimate.Format(memory.BudgetBytes)}."));
        writer.Doc("</remarks>");
        writer.Line($"[global::System.CodeDom.Compiler.GeneratedCode(\"{ModelClassEmitter.GeneratorName}\", \"{ModelClassEmitter.GeneratorVersion}\")]");
        // An attributed class keeps the user's modifiers (its accessibility, static or not); the members are static either way.
        writer.Open($"{(target.IsAttributed ? "partial" : "public static partial")} class {Identifier(target.ClassName)}");

        writer.Doc("<summary>The model in canonical <c>.geomodel</c> form, every value explicit.</summary>");
        writer.Line("public const string CanonicalSource = " + SourceWriter.Verbatim(ModelSpecWriter.Write(spec)) + ";");
        writer.Line();
        writer.Doc("<summary>The model's name as declared.</summary>");
        writer.Line($"public const string Name = {SourceWriter.Literal(spec.Name)};");
        writer.Doc("<summary>Tokens per training sequence, visual tokens included.</summary>");
        writer.Line($"public const int ContextLength = {Int(spec.ContextLength)};");
        writer.Doc("<summary>Tokens one image tile becomes in the language model's sequence (0 without vision).</summary>");
        writer.Line($"public const int VisualTokensPerTile = {Int(analysis.VisualTokensPerTile)};");
        writer.Doc("<summary>Visual tokens of all tiles of all images of one sample.</summary>");
        writer.Line($"public const int VisualTokensPerSample = {Int(analysis.VisualTokensPerSample)};");
        writer.Doc("<summary>All parameters of the parts and their adapters.</summary>");
        writer.Line($"public const long TotalParameters = {Long(analysis.Parameters.Total)};");
        writer.Doc("<summary>Parameters that get gradients with the declared training modes.</summary>");
        writer.Line($"public const long TrainableParameters = {Long(analysis.Parameters.Trainable)};");
        writer.Doc("<summary>" + SourceWriter.Xml($"The target's memory budget in bytes ({memory.GpuDisplayName}).") + "</summary>");
        writer.Line($"public const long BudgetBytes = {Long(memory.BudgetBytes)};");
        writer.Doc("<summary>Estimated device total of training (allocated peak, allocator headroom and CUDA context).</summary>");
        writer.Line($"public const long TrainingDeviceBytes = {Long(memory.TrainingDeviceBytes)};");
        writer.Doc("<summary>Estimated device total of inference with a KV cache over the whole context.</summary>");
        writer.Line($"public const long InferenceDeviceBytes = {Long(memory.InferenceDeviceBytes)};");
        writer.Line();

        writer.Doc("<summary>One part of the model: where it sits (vision, projector, language_model), its component, output, parameters and training mode.</summary>");
        writer.Line("public sealed record Part(string Path, string Component, string Output, long Parameters, string Training);");
        writer.Line();
        writer.Doc("<summary>A fine-tuning mode: how to write it in <c>train { }</c>, what trains, its device total and whether that fits the target.</summary>");
        writer.Line("public sealed record FineTuningMode(string Mode, string Train, long TrainableParameters, long DeviceBytes, bool FitsTarget);");
        writer.Line();
        writer.Doc("<summary>The parts in data-flow order.</summary>");
        writer.Open("public static global::System.Collections.Generic.IReadOnlyList<Part> Parts { get; } = new Part[]");
        foreach (var stage in analysis.Stages)
        {
            writer.Line($"new({SourceWriter.Literal(stage.Path)}, {SourceWriter.Literal(stage.Name)}, {SourceWriter.Literal(stage.Output)}, {Long(stage.Parameters)}, {SourceWriter.Literal(stage.Training)}),");
        }

        writer.Close(";");
        writer.Line();
        writer.Doc("<summary>Every usual fine-tuning mode at the model's batch and context, against its target.</summary>");
        writer.Open("public static global::System.Collections.Generic.IReadOnlyList<FineTuningMode> FineTuning { get; } = new FineTuningMode[]");
        foreach (var option in analysis.Options)
        {
            writer.Line($"new({SourceWriter.Literal(option.Mode)}, {SourceWriter.Literal(option.Train)}, {Long(option.TrainableParameters)}, {Long(option.DeviceBytes)}, {(option.Fits ? "true" : "false")}),");
        }

        writer.Close(";");
        writer.Close();
        if (target.Namespace is not null)
        {
            writer.Close();
        }

        return writer.ToString();
    }

    private static string Count(long value) => ModelClassEmitter.Count(value);

    private static string Int(int value) => ModelClassEmitter.Int(value);

    private static string Identifier(string name) => ModelClassEmitter.Identifier(name);

    private static string Long(long value) => value.ToString(CultureInfo.InvariantCulture) + "L";
}
