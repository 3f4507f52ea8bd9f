using System;

namespace GeoDsl.Runtime.Data.Synthetic;

/// <summary>Rivers (meandering curves a few pixels wide) and lakes (lobed blobs) drawn into a water map.</summary>
internal static class WaterShapes
{
    /// <summary>
    /// A river entering on a random edge and crossing the scene: its heading swings in a sine (the meanders) plus a
    /// slow random walk; its width drifts between about 2 and 7 pixels.
    /// </summary>
    public static void DrawRiver(bool[] water, int size, DeterministicRandom random)
    {
        int edge = random.NextInt(4);
        double along = random.NextDouble(0.15, 0.85) * size;
        var (x, y, heading) = edge switch
        {
            0 => (0.0, along, 0.0),                   // from the left, heading east
            1 => (size - 1.0, along, Math.PI),        // from the right, heading west
            2 => (along, 0.0, Math.PI / 2),           // from the top, heading south
            _ => (along, size - 1.0, -Math.PI / 2),   // from the bottom, heading north
        };
        double baseHeading = heading + random.NextDouble(-0.4, 0.4);
        double meanderAmplitude = random.NextDouble(0.35, 0.9);
        double meanderLength = random.NextDouble(0.15, 0.4) * size;
        double phase = random.NextDouble(0, 2 * Math.PI);
        double width = random.NextDouble(2.0, 5.0);
        double drift = 0;

        for (int step = 0; step < size * 4; step++)
        {
            drift = Math.Clamp(drift + random.NextDouble(-0.05, 0.05), -0.5, 0.5);
            width = Math.Clamp(width + random.NextDouble(-0.15, 0.15), 2.0, 7.0);
            double direction = baseHeading + drift + meanderAmplitude * Math.Sin(2 * Math.PI * step / meanderLength + phase);
            x += Math.Cos(direction);
            y += Math.Sin(direction);
            if (step > 2 && (x < -width || y < -width || x > size + width || y > size + width))
            {
                break;
            }

            FillDisc(water, size, x, y, width / 2);
        }
    }

    /// <summary>A lake: a disc whose radius varies with angle by a few random harmonics, so its shore has lobes and bays.</summary>
    public static void DrawLake(bool[] water, int size, double radius, DeterministicRandom random)
    {
        double cx = random.NextDouble(0.1, 0.9) * size;
        double cy = random.NextDouble(0.1, 0.9) * size;
        const int Harmonics = 3;
        var amplitudes = new double[Harmonics];
        var phases = new double[Harmonics];
        for (int k = 0; k < Harmonics; k++)
        {
            amplitudes[k] = random.NextDouble(0.05, 0.22);
            phases[k] = random.NextDouble(0, 2 * Math.PI);
        }

        int reach = (int)Math.Ceiling(radius * 1.7);
        for (int y = Math.Max(0, (int)cy - reach); y <= Math.Min(size - 1, (int)cy + reach); y++)
        {
            for (int x = Math.Max(0, (int)cx - reach); x <= Math.Min(size - 1, (int)cx + reach); x++)
            {
                double dx = x - cx, dy = y - cy;
                double angle = Math.Atan2(dy, dx);
                double shore = radius;
                for (int k = 0; k < Harmonics; k++)
                {
                    shore += radius * amplitudes[k] * Math.Cos((k + 2) * angle + phases[k]);
                }

                if (dx * dx + dy * dy <= shore * shore)
                {
                    water[y * size + x] = true;
                }
            }
        }
    }

    private static void FillDisc(bool[] water, int size, double cx, double cy, double radius)
    {
        int reach = (int)Math.Ceiling(radius);
        for (int y = (int)Math.Floor(cy) - reach; y <= (int)Math.Ceiling(cy) + reach; y++)
        {
            for (int x = (int)Math.Floor(cx) - reach; x <= (int)Math.Ceiling(cx) + reach; x++)
            {
                if (x >= 0 && y >= 0 && x < size && y < size && (x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius)
                {
                    water[y * size + x] = true;
                }
            }
        }
    }
}
