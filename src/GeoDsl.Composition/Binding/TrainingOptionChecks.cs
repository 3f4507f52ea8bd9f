using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;
using GeoDsl.Composition.Text;

namespace GeoDsl.Composition.Binding;

/// <summary>
/// Rules about a <c>train { }</c> block as a whole, after each argument was bound on its own: settings that contradict
/// each other (LoRA on a frozen backbone), name layers the backbone does not have, make the scheduler idle, or that
/// TerraTorch or PyTorch would reject only once training starts. Errors void the train block; warnings do not.
/// </summary>
internal static class TrainingOptionChecks
{
    /// <summary>Reports every broken rule; false when one of them is an error.</summary>
    public static bool Check(TrainSpec train, ComponentSpec? backbone, InputSpec? input, ComponentCatalog catalog, SpecLocations locations, DiagnosticSink diagnostics)
    {
        bool ok = true;
        if (train.PeftConfig is { } peft)
        {
            ok &= CheckLora(train, peft, backbone, input, catalog, locations, diagnostics);
        }

        if (train.ClassWeights.Count > 0 && train.Loss != "ce")
        {
            diagnostics.Report(DiagnosticDescriptors.ClassWeightsIgnoredByLoss, locations.Find("train", "class_weights"), train.Loss);
            ok = false;
        }

        if (train.Loss == "jaccard" && train.IgnoreIndex >= 0)
        {
            // Labels are class indices from 0; the default -1 marks no pixel, which TerraTorch writes as ignore_index = None.
            diagnostics.Report(DiagnosticDescriptors.LossIgnoresIndexInTerraTorch, locations.Find("train", "ignore_index"), Int(train.IgnoreIndex));
        }

        var optimizer = train.Optimizer.Args;
        if (train.Optimizer.Name == "sgd" && optimizer.Bool("nesterov") && !(optimizer.Double("momentum") > 0))
        {
            diagnostics.Report(DiagnosticDescriptors.NesterovWithoutMomentum, Nested(locations, "train.optimizer", "nesterov", "optimizer"),
                Number(optimizer.Double("momentum")));
            ok = false;
        }

        if (train.Scheduler is { } scheduler)
        {
            CheckScheduler(train, scheduler, locations, diagnostics);
        }

        return ok;
    }

    private static bool CheckLora(TrainSpec train, ObjectValue peft, ComponentSpec? backbone, InputSpec? input, ComponentCatalog catalog, SpecLocations locations, DiagnosticSink diagnostics)
    {
        if (train.FreezeBackbone)
        {
            // TerraTorch means to refuse this too, but its check reads a key that is never set (terratorch-facts.md §5).
            diagnostics.Report(DiagnosticDescriptors.LoraOnFrozenBackbone, locations.Find("train", "freeze_backbone"), peft.Name);
            return false;
        }

        if (backbone is null || input is null || catalog.FindBackbone(backbone.Name) is not { } descriptor)
        {
            return true; // The backbone's own problem is reported where it is written.
        }

        var lora = LoraSpec.From(peft);
        var layers = descriptor is ILinearLayers linear
            ? linear.LinearLayers(TemporalPooling.InnerInput(descriptor, input, backbone.Args), backbone.Args).Select(g => g.Module).Distinct().ToList()
            : new System.Collections.Generic.List<string>();
        bool ok = true;
        for (int i = 0; i < lora.TargetModules.Count; i++)
        {
            string module = lora.TargetModules[i];
            if (layers.Contains(module))
            {
                continue;
            }

            string known = layers.Count == 0
                ? "GeoDsl knows no linear layers of it that LoRA could adapt, so peft_config does not apply to it; fine-tune it fully or freeze it"
                : "its adaptable modules are " + string.Join(", ", layers);
            diagnostics.Report(DiagnosticDescriptors.LoraTargetNotInBackbone, Nested(locations, "train.peft_config", SpecLocations.Item("target_modules", i), "peft_config"),
                backbone.Name, module, known);
            ok = false;
        }

        return ok;
    }

    private static void CheckScheduler(TrainSpec train, ObjectValue scheduler, SpecLocations locations, DiagnosticSink diagnostics)
    {
        var args = scheduler.Args;
        string epochs = Int(train.Epochs);
        switch (scheduler.Name)
        {
            case "cosine" when args.Int("warmup_epochs") >= train.Epochs:
                diagnostics.Report(DiagnosticDescriptors.ScheduleOutlastsTraining, Nested(locations, "train.scheduler", "warmup_epochs", "scheduler"), scheduler.Name,
                    $"warms up for {Int(args.Int("warmup_epochs"))} epoch(s)", epochs, "the learning rate never reaches its peak or decays; shorten warmup_epochs");
                break;
            case "step" when args.Int("step_size") >= train.Epochs:
                diagnostics.Report(DiagnosticDescriptors.ScheduleOutlastsTraining, Nested(locations, "train.scheduler", "step_size", "scheduler"), scheduler.Name,
                    $"decays every {Int(args.Int("step_size"))} epoch(s)", epochs, "the learning rate never changes; use a step_size below the epochs");
                break;
            case "plateau" when args.Int("patience") >= train.Epochs:
                diagnostics.Report(DiagnosticDescriptors.ScheduleOutlastsTraining, Nested(locations, "train.scheduler", "patience", "scheduler"), scheduler.Name,
                    $"waits {Int(args.Int("patience"))} epoch(s) without improvement", epochs, "it can never reduce the learning rate; lower patience");
                break;
            case "onecycle" when args.Double("max_lr") < train.LearningRate:
                diagnostics.Report(DiagnosticDescriptors.OneCyclePeakBelowLearningRate, Nested(locations, "train.scheduler", "max_lr", "scheduler"),
                    Number(args.Double("max_lr")), Number(train.LearningRate));
                break;
        }
    }

    /// <summary>An argument inside a choice (<c>scheduler = step { step_size = 30 }</c>), or the choice itself when it was not written.</summary>
    private static TextSpan Nested(SpecLocations locations, string path, string argument, string choice)
    {
        var span = locations.Find(path, argument);
        return span == locations.ModelName ? locations.Find("train", choice) : span;
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
