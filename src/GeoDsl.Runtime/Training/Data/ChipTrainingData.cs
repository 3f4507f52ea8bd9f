using System.Collections.Generic;
using System.IO;
using System.Linq;
using GeoDsl.Runtime.Data;
using TorchSharp;

namespace GeoDsl.Runtime.Training.Data;

/// <summary>A <see cref="GeoTiffChipDataset"/> as training data: images in, masks (int64 labels, ignore index applied) as targets.</summary>
public sealed class ChipTrainingData : ITrainingData
{
    public ChipTrainingData(GeoTiffChipDataset chips) => Chips = chips;

    public GeoTiffChipDataset Chips { get; }

    public int Count => Chips.Count;

    public long? IgnoreIndex => Chips.Options.IgnoreIndex;

    public TrainingBatch GetBatch(IReadOnlyList<int> indices, torch.Device device)
    {
        var batch = Chips.GetBatch(indices, device);
        return new TrainingBatch(batch.Images, batch.Masks, batch.Chips.Select(c => Path.GetFileName(c.ImagePath)).ToArray());
    }
}
