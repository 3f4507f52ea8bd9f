using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace GeoDsl.Runtime.Training;

/// <summary>history.csv: one row per epoch with the losses, every score and the speed, for spreadsheets and plots.</summary>
internal static class TrainingHistoryFile
{
    /// <param name="firstEpoch">
    /// Epochs before this one (0-based) come from an interrupted run that this one resumed: their rows are kept from
    /// the file as it is, and the rows of <paramref name="epochs"/> follow.
    /// </param>
    public static void Write(string path, IReadOnlyList<EpochSummary> epochs, int firstEpoch = 0)
    {
        var trainNames = epochs.Count > 0 ? epochs[0].TrainMetrics.Scalars.Keys.ToList() : new List<string>();
        var validationNames = epochs.FirstOrDefault(e => e.ValidationMetrics is not null)?.ValidationMetrics!.Scalars.Keys.ToList() ?? new List<string>();
        var csv = new StringBuilder();
        csv.Append("epoch,train_loss,val_loss,learning_rate,elapsed_s,samples_per_s,best");
        foreach (var name in trainNames)
        {
            csv.Append(",train_").Append(name);
        }

        foreach (var name in validationNames)
        {
            csv.Append(",val_").Append(name);
        }

        csv.AppendLine();
        if (firstEpoch > 0 && File.Exists(path))
        {
            foreach (var row in File.ReadLines(path).Skip(1).Where(r => int.TryParse(r.Split(',')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int e) && e <= firstEpoch))
            {
                csv.AppendLine(row);
            }
        }

        foreach (var epoch in epochs)
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"{epoch.Epoch},{Number(epoch.TrainLoss)},{Number(epoch.ValidationLoss)},{Number(epoch.LearningRate)},{Number(epoch.Elapsed.TotalSeconds)},{Number(epoch.SamplesPerSecond)},{(epoch.IsBest ? 1 : 0)}");
            foreach (var name in trainNames)
            {
                csv.Append(',').Append(Number(epoch.TrainMetrics.Scalars.TryGetValue(name, out double v) ? v : null));
            }

            foreach (var name in validationNames)
            {
                csv.Append(',').Append(Number(epoch.ValidationMetrics is { } m && m.Scalars.TryGetValue(name, out double v) ? v : null));
            }

            csv.AppendLine();
        }

        string temporary = path + ".partial";
        File.WriteAllText(temporary, csv.ToString());
        File.Move(temporary, path, overwrite: true);
    }

    private static string Number(double? value) =>
        value is double v && !double.IsNaN(v) ? v.ToString("G6", CultureInfo.InvariantCulture) : "";
}
