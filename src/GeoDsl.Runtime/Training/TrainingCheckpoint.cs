using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using GeoDsl.Runtime.Adapters;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Training;

/// <summary>Where a run stands, beside the tensors: enough to continue it step for step.</summary>
/// <param name="Model">The model's name, checked on resume.</param>
/// <param name="Epoch">The 0-based epoch in progress (or about to start).</param>
/// <param name="BatchesDone">Batches of <paramref name="Epoch"/> already trained (0 at an epoch boundary).</param>
/// <param name="OptimizerStep">Optimizer steps taken over the run.</param>
/// <param name="EpochWeightedLoss">Σ loss × batch size over the batches done in this epoch.</param>
/// <param name="EpochSamples">Samples trained in this epoch so far.</param>
/// <param name="TrainMetricState">The epoch's training-metric sums so far.</param>
/// <param name="SchedulerState">The learning-rate scheduler's own state.</param>
/// <param name="RngState">torch's default generator state (dropout, drop path).</param>
/// <param name="BestScore">The best epoch's score so far (primary validation score, or training loss without validation); NaN before the first.</param>
/// <param name="BestEpoch">The best epoch so far, 1-based; 0 before the first.</param>
/// <param name="EpochsWithoutImprovement">Epochs since the best one, for early stopping.</param>
/// <param name="Fingerprint">The settings a resumed run must share for its steps to match (batch size, seed, accumulation, data size).</param>
public sealed record TrainingCheckpointState(
    string Model,
    int Epoch,
    int BatchesDone,
    int OptimizerStep,
    double EpochWeightedLoss,
    int EpochSamples,
    double[] TrainMetricState,
    double[] SchedulerState,
    byte[] RngState,
    double BestScore,
    int BestEpoch,
    int EpochsWithoutImprovement,
    string Fingerprint);

/// <summary>
/// A training checkpoint in one file: a header (<see cref="TrainingCheckpointState"/> as JSON), the model's state dict,
/// the LoRA adapters if any, and the optimizer's state (TorchSharp's binary formats). It is written to a temporary file
/// in the same folder, flushed to disk and renamed over the old one, so a run killed while saving leaves the previous
/// checkpoint whole.
/// </summary>
public static class TrainingCheckpoint
{
    /// <summary>The file name of the latest checkpoint in a run's output folder.</summary>
    public const string LastFileName = "last.ckpt";

    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("GEODSL-CKPT-1\n");

    // ReduceLROnPlateau's best loss starts at +∞ and the best score at NaN, which plain JSON numbers cannot hold.
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static void Write(string path, TrainingCheckpointState state, nn.Module model, LoraAdapters? adapters, optim.Optimizer optimizer)
    {
        string fullPath = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                var header = JsonSerializer.SerializeToUtf8Bytes(state, Json);
                writer.Write(header.Length);
                writer.Write(header);
                model.save(writer);
                writer.Write(adapters is not null);
                adapters?.save(writer);
                Stateful(optimizer).save_state_dict(writer);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Reads the header only, to check a checkpoint fits before touching the model.</summary>
    public static TrainingCheckpointState ReadState(string path)
    {
        using var stream = Open(path);
        using var reader = new BinaryReader(stream);
        return ReadHeader(path, reader);
    }

    /// <summary>Loads the tensors into <paramref name="model"/>, <paramref name="adapters"/> and <paramref name="optimizer"/> and returns the header.</summary>
    public static TrainingCheckpointState Read(string path, nn.Module model, LoraAdapters? adapters, optim.Optimizer optimizer)
    {
        using var stream = Open(path);
        using var reader = new BinaryReader(stream);
        var state = ReadHeader(path, reader);
        try
        {
            model.load(reader, strict: true);
            bool hasAdapters = reader.ReadBoolean();
            if (hasAdapters != adapters is not null)
            {
                throw new TrainingException(hasAdapters
                    ? $"{path} was saved with LoRA adapters but the model has no peft_config; resume with the train block the run started with."
                    : $"{path} was saved without LoRA adapters but the model has a peft_config; resume with the train block the run started with.");
            }

            adapters?.load(reader, strict: true);
            Stateful(optimizer).load_state_dict(reader);
        }
        catch (Exception e) when (e is not TrainingException)
        {
            throw new TrainingException(
                $"{path}: the checkpoint does not fit {state.Model}'s layers or optimizer ({e.Message}). Resume with the model and train block the run started with.", e);
        }

        return state;
    }

    private static FileStream Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new TrainingException($"No checkpoint at {path}. Give the {LastFileName} of an earlier run, or its output folder.");
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
    }

    private static TrainingCheckpointState ReadHeader(string path, BinaryReader reader)
    {
        try
        {
            var magic = reader.ReadBytes(Magic.Length);
            if (!magic.SequenceEqual(Magic))
            {
                throw new TrainingException($"{path} is not a GeoDsl training checkpoint (it does not start with the checkpoint marker).");
            }

            int length = reader.ReadInt32();
            if (length <= 0 || length > reader.BaseStream.Length)
            {
                throw new TrainingException($"{path}: the checkpoint header claims {length} bytes; the file is damaged or truncated.");
            }

            return JsonSerializer.Deserialize<TrainingCheckpointState>(reader.ReadBytes(length), Json)
                ?? throw new TrainingException($"{path}: the checkpoint header is empty.");
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException)
        {
            throw new TrainingException($"{path}: the checkpoint is truncated or damaged ({e.Message}); resume from an earlier copy or start again.", e);
        }
    }

    // TorchSharp's optimizers all derive from OptimizerHelper, which holds the state (de)serialisation.
    private static TorchSharp.Modules.OptimizerHelper Stateful(optim.Optimizer optimizer) =>
        optimizer as TorchSharp.Modules.OptimizerHelper
        ?? throw new TrainingException($"The optimizer {optimizer.GetType().Name} cannot save its state, so the run cannot be checkpointed.");

    /// <summary>torch's default generator state as bytes.</summary>
    public static byte[] CaptureRng()
    {
        using var state = torch.get_rng_state();
        return state.data<byte>().ToArray();
    }

    public static void RestoreRng(byte[] state)
    {
        using var tensor = torch.tensor(state, dtype: ScalarType.Byte);
        torch.set_rng_state(tensor);
    }
}
