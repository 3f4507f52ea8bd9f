using System;
using System.Globalization;
using System.IO;
using System.Linq;
using TorchSharp;

namespace GeoDsl.Runtime.Training;

/// <summary>One optimizer-side step of a run: the batch's loss and the rate it trained with.</summary>
/// <param name="Epoch">1-based.</param>
/// <param name="Batch">1-based within the epoch.</param>
/// <param name="GlobalBatch">1-based over the run.</param>
public sealed record StepRecord(int Epoch, int Batch, int GlobalBatch, double Loss, double LearningRate);

/// <summary>
/// The files a person watches while a run goes: <c>steps.csv</c> (every batch's loss and rate, appended as it goes)
/// and TensorBoard event files under <c>tensorboard/</c> (TorchSharp's SummaryWriter: train/loss and lr per batch,
/// every epoch score). A resumed run first cuts <c>steps.csv</c> back to the checkpoint, so no step appears twice.
/// </summary>
internal sealed class TrainingLogs : IDisposable
{
    private const string StepsHeader = "epoch,batch,global_batch,loss,learning_rate";
    private readonly StreamWriter steps;
    private readonly TorchSharp.Modules.SummaryWriter tensorBoard;

    public TrainingLogs(string outputFolder, int resumedGlobalBatches)
    {
        string stepsPath = Path.Combine(outputFolder, "steps.csv");
        var kept = File.Exists(stepsPath) && resumedGlobalBatches > 0
            ? File.ReadLines(stepsPath).Skip(1).Where(line => int.TryParse(line.Split(',')[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int g) && g <= resumedGlobalBatches).ToList()
            : new System.Collections.Generic.List<string>();
        File.WriteAllLines(stepsPath, new[] { StepsHeader }.Concat(kept));
        steps = new StreamWriter(stepsPath, append: true) { AutoFlush = true };
        TensorBoardFolder = Path.Combine(outputFolder, "tensorboard");
        tensorBoard = torch.utils.tensorboard.SummaryWriter(TensorBoardFolder);
    }

    public string TensorBoardFolder { get; }

    public void Step(StepRecord step)
    {
        steps.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{step.Epoch},{step.Batch},{step.GlobalBatch},{step.Loss:R},{step.LearningRate:R}"));
        tensorBoard.add_scalar("train/loss", (float)step.Loss, step.GlobalBatch);
        tensorBoard.add_scalar("train/lr", (float)step.LearningRate, step.GlobalBatch);
    }

    public void Epoch(EpochSummary summary)
    {
        tensorBoard.add_scalar("epoch/train_loss", (float)summary.TrainLoss, summary.Epoch);
        if (summary.ValidationLoss is double validationLoss)
        {
            tensorBoard.add_scalar("epoch/val_loss", (float)validationLoss, summary.Epoch);
        }

        foreach (var (name, value) in summary.TrainMetrics.Scalars.Where(s => double.IsFinite(s.Value)))
        {
            tensorBoard.add_scalar("train/" + name, (float)value, summary.Epoch);
        }

        foreach (var (name, value) in summary.ValidationMetrics?.Scalars.Where(s => double.IsFinite(s.Value)) ?? Enumerable.Empty<System.Collections.Generic.KeyValuePair<string, double>>())
        {
            tensorBoard.add_scalar("val/" + name, (float)value, summary.Epoch);
        }
    }

    public void Dispose()
    {
        // TorchSharp's SummaryWriter appends each event to its file as it is added and holds nothing open.
        steps.Dispose();
    }
}
