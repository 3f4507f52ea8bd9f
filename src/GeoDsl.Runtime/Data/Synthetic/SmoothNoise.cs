using System;

namespace GeoDsl.Runtime.Data.Synthetic;

/// <summary>
/// Smooth random fields in [0, 1] (value noise): random values on a coarse lattice, interpolated with a smoothstep,
/// summed over octaves. Used for land-cover patches, turbidity, brightness variation and clouds.
/// </summary>
internal static class SmoothNoise
{
    public static float[] Field(int size, double cellSize, int octaves, DeterministicRandom random)
    {
        var field = new float[size * size];
        double amplitude = 1, total = 0;
        for (int octave = 0; octave < octaves; octave++)
        {
            AddOctave(field, size, Math.Max(1.0, cellSize / Math.Pow(2, octave)), amplitude, random);
            total += amplitude;
            amplitude *= 0.5;
        }

        for (int i = 0; i < field.Length; i++)
        {
            field[i] = (float)(field[i] / total);
        }

        return field;
    }

    /// <summary>The value below which the given fraction of the field lies (for thresholds that give a chosen coverage).</summary>
    public static float Quantile(float[] field, double fraction)
    {
        var sorted = (float[])field.Clone();
        Array.Sort(sorted);
        int index = (int)Math.Clamp(Math.Round(fraction * (sorted.Length - 1)), 0, sorted.Length - 1);
        return sorted[index];
    }

    private static void AddOctave(float[] field, int size, double cellSize, double amplitude, DeterministicRandom random)
    {
        int cells = (int)Math.Ceiling(size / cellSize) + 2;
        var lattice = new double[cells * cells];
        for (int i = 0; i < lattice.Length; i++)
        {
            lattice[i] = random.NextDouble();
        }

        for (int y = 0; y < size; y++)
        {
            double gy = y / cellSize;
            int y0 = (int)gy;
            double ty = Smoothstep(gy - y0);
            for (int x = 0; x < size; x++)
            {
                double gx = x / cellSize;
                int x0 = (int)gx;
                double tx = Smoothstep(gx - x0);
                double top = Lerp(lattice[y0 * cells + x0], lattice[y0 * cells + x0 + 1], tx);
                double bottom = Lerp(lattice[(y0 + 1) * cells + x0], lattice[(y0 + 1) * cells + x0 + 1], tx);
                field[y * size + x] += (float)(amplitude * Lerp(top, bottom, ty));
            }
        }
    }

    private static double Smoothstep(double t) => t * t * (3 - 2 * t);

    private static double Lerp(double a, double b, double t) => a + (b - a) * t;
}
