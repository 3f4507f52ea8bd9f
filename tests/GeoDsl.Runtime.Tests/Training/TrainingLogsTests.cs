using System.Buffers.Binary;
using System.Text;
using GeoDsl.Runtime.Training;
using GeoDsl.Runtime.Training.Progress;

namespace GeoDsl.Runtime.Tests.Training;

/// <summary>What a run leaves for a person to watch: steps.csv, TensorBoard event files and the curves.</summary>
[Collection(TrainingCollection.Name)]
public sealed class TrainingLogsTests
{
    private readonly TinyWaterTraining data;

    public TrainingLogsTests(TinyWaterTraining data) => this.data = data;

    [Fact]
    public void TheEventFileHoldsEveryStepLossAndEpochScoreAsTensorBoardReadsIt()
    {
        string output = data.Scratch("logs-" + Guid.NewGuid().ToString("N"));
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText("batch_size = 4, epochs = 2, optimizer = adamw { lr = 0.003 }"));
        var report = GeoTrainer.Fit(model, data.Train, data.HeldOut, new TrainingOptions { Progress = TrainingProgressMode.Off, OutputFolder = output });

        var file = Assert.Single(Directory.GetFiles(Path.Combine(output, "tensorboard"), "events.out.tfevents.*", SearchOption.AllDirectories));
        var scalars = EventFile.Scalars(file);
        var losses = scalars.Where(s => s.Tag == "train/loss").ToList();
        Assert.Equal(report.Steps.Select(s => (long)s.GlobalBatch), losses.Select(s => s.Step));
        Assert.Equal(report.Steps.Select(s => (float)s.Loss), losses.Select(s => s.Value));
        var mIoU = scalars.Where(s => s.Tag == "val/mIoU").ToList();
        Assert.Equal(report.Epochs.Select(e => (float)e.ValidationMetrics!.Primary), mIoU.Select(s => s.Value));

        var steps = File.ReadAllLines(Path.Combine(output, "steps.csv"));
        Assert.Equal("epoch,batch,global_batch,loss,learning_rate", steps[0]);
        Assert.Equal(report.Steps.Count + 1, steps.Length);
        var png = File.ReadAllBytes(Path.Combine(output, "curves.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png.Take(4));
    }

    /// <summary>
    /// A reader written from the formats' specifications, independent of TorchSharp's writer: TFRecord framing (length,
    /// masked CRC-32C of the length, data, masked CRC-32C of the data) around tensorflow.Event protobufs (step = 2,
    /// summary = 5 → value = 1 → tag = 1, simple_value = 2).
    /// </summary>
    private static class EventFile
    {
        public static List<(string Tag, long Step, float Value)> Scalars(string path)
        {
            var bytes = File.ReadAllBytes(path);
            var scalars = new List<(string, long, float)>();
            int at = 0;
            while (at < bytes.Length)
            {
                var lengthBytes = bytes.AsSpan(at, 8);
                long length = BinaryPrimitives.ReadInt64LittleEndian(lengthBytes);
                Assert.Equal(MaskedCrc(lengthBytes), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8, 4)));
                var record = bytes.AsSpan(at + 12, (int)length);
                Assert.Equal(MaskedCrc(record), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + (int)length, 4)));
                long step = 0;
                foreach (var (field, value, _) in Fields(record.ToArray()))
                {
                    if (field == 2)
                    {
                        step = (long)value;
                    }
                }

                foreach (var (field, _, summary) in Fields(record.ToArray()).Where(f => f.Field == 5))
                {
                    foreach (var (_, _, entry) in Fields(summary!).Where(f => f.Field == 1))
                    {
                        var parts = Fields(entry!).ToList();
                        var tag = parts.FirstOrDefault(p => p.Field == 1).Bytes;
                        var simple = parts.FirstOrDefault(p => p.Field == 2);
                        if (tag is not null && simple.Bytes is null && parts.Any(p => p.Field == 2))
                        {
                            scalars.Add((Encoding.UTF8.GetString(tag), step, BitConverter.Int32BitsToSingle((int)simple.Value)));
                        }
                    }
                }

                at += 12 + (int)length + 4;
            }

            return scalars;
        }

        /// <summary>Protobuf fields: varints and 32/64-bit values in Value, length-delimited ones in Bytes.</summary>
        private static IEnumerable<(int Field, ulong Value, byte[]? Bytes)> Fields(byte[] message)
        {
            int at = 0;
            while (at < message.Length)
            {
                ulong key = Varint(message, ref at);
                int field = (int)(key >> 3);
                switch (key & 7)
                {
                    case 0:
                        yield return (field, Varint(message, ref at), null);
                        break;
                    case 1:
                        yield return (field, BinaryPrimitives.ReadUInt64LittleEndian(message.AsSpan(at, 8)), null);
                        at += 8;
                        break;
                    case 2:
                        int length = (int)Varint(message, ref at);
                        yield return (field, 0, message.AsSpan(at, length).ToArray());
                        at += length;
                        break;
                    case 5:
                        yield return (field, BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(at, 4)), null);
                        at += 4;
                        break;
                    default:
                        throw new InvalidDataException($"Unexpected protobuf wire type {key & 7}.");
                }
            }
        }

        private static ulong Varint(byte[] data, ref int at)
        {
            ulong value = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = data[at++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
        }

        // TFRecord's checksum: CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), rotated right by 15 plus 0xa282ead8.
        private static uint MaskedCrc(ReadOnlySpan<byte> data)
        {
            uint crc = 0xFFFFFFFF;
            foreach (byte b in data)
            {
                crc ^= b;
                for (int i = 0; i < 8; i++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
                }
            }

            crc = ~crc;
            return unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8);
        }
    }
}
