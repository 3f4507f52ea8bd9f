using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace GeoDsl.Composition.Catalog;

/// <summary>A GPU a model can target, with its total memory and where that figure comes from.</summary>
/// <param name="Name">The name used in <c>target …</c> and in <c>GeoDslTargetGpu</c>.</param>
/// <param name="MemoryMiB">Total memory in MiB: the nvidia-smi total where a measured one is known, else the vendor's
/// nominal size (GPU memory is sold in binary units: a "24 GB" card has 24 GiB of chips).</param>
/// <param name="Source">Where <paramref name="MemoryMiB"/> comes from.</param>
public sealed record Gpu(string Name, string DisplayName, long MemoryMiB, string Source)
{
    public long MemoryBytes => MemoryMiB * 1024 * 1024;

    public double MemoryGiB => MemoryMiB / 1024.0;
}

/// <summary>
/// GPUs by the name used in <c>target …</c>. The RTX 4090 is the default: it is what most users have. Nominal sizes
/// are slightly above what a process can allocate (the driver keeps some memory back; the RTX 4090's 24 GiB shows as
/// 24564 MiB in nvidia-smi), so a measured nvidia-smi total is preferred where one is documented.
/// </summary>
public static class Gpus
{
    private const string SpecSheet = "NVIDIA specification";

    public static IReadOnlyList<Gpu> All { get; } = new[]
    {
        // memory-facts.md: "an RTX 4090, which nvidia-smi reports as 24564 MiB total" (github.com/hume-vla/hume/issues/4).
        new Gpu("rtx_4090", "RTX 4090 (24 GiB)", 24564, "nvidia-smi total 24564 MiB (memory-facts.md, hume-vla/hume#4)"),
        new Gpu("rtx_3090", "RTX 3090 (24 GiB)", Gib(24), SpecSheet + ": 24 GB GDDR6X"),
        new Gpu("rtx_5090", "RTX 5090 (32 GiB)", Gib(32), SpecSheet + ": 32 GB GDDR7"),
        new Gpu("rtx_4080", "RTX 4080 (16 GiB)", Gib(16), SpecSheet + ": 16 GB GDDR6X"),
        new Gpu("rtx_a6000", "RTX A6000 (48 GiB)", Gib(48), SpecSheet + ": 48 GB GDDR6"),
        new Gpu("rtx_6000_ada", "RTX 6000 Ada (48 GiB)", Gib(48), SpecSheet + ": 48 GB GDDR6"),
        new Gpu("t4", "Tesla T4 (16 GiB)", Gib(16), SpecSheet + ": 16 GB GDDR6"),
        new Gpu("l4", "L4 (24 GiB)", Gib(24), SpecSheet + ": 24 GB GDDR6"),
        new Gpu("a10g", "A10G (24 GiB)", Gib(24), "AWS G5 instance specification: 24 GB GDDR6 per A10G"),
        new Gpu("l40s", "L40S (48 GiB)", Gib(48), SpecSheet + ": 48 GB GDDR6 with ECC"),
        new Gpu("v100_16gb", "V100 16 GB", Gib(16), SpecSheet + ": 16 GB HBM2"),
        new Gpu("v100_32gb", "V100 32 GB", Gib(32), SpecSheet + ": 32 GB HBM2"),
        new Gpu("a100_40gb", "A100 40 GB", Gib(40), SpecSheet + ": 40 GB HBM2"),
        new Gpu("a100_80gb", "A100 80 GB", Gib(80), SpecSheet + ": 80 GB HBM2e"),
        new Gpu("h100_80gb", "H100 80 GB", Gib(80), SpecSheet + ": 80 GB HBM3 (SXM) / HBM2e (PCIe)"),
        new Gpu("h200", "H200 (141 GB)", Gib(141), SpecSheet + ": 141 GB HBM3e"),
    };

    /// <summary>What a model is checked against when neither the model nor the project names a GPU.</summary>
    public static Gpu Default => All[0];

    public static Gpu? Find(string name) => All.FirstOrDefault(g => g.Name == name);

    public static IEnumerable<string> Names => All.Select(g => g.Name);

    /// <summary>A budget given in GiB rather than by card (<c>target { memory_gib = 20 }</c>, <c>GeoDslGpuMemoryGiB</c>).</summary>
    public static Gpu Custom(double memoryGiB, Gpu? card = null)
    {
        string size = memoryGiB.ToString("0.##", CultureInfo.InvariantCulture);
        long mib = (long)Math.Round(memoryGiB * 1024, MidpointRounding.AwayFromZero);
        return card is null
            ? new Gpu(CustomName, "custom budget", mib, "memory_gib")
            : new Gpu(card.Name, $"{card.DisplayName}, {size} GiB usable", mib, "memory_gib");
    }

    /// <summary>The target name of a budget that names no card.</summary>
    public const string CustomName = "custom";

    private static long Gib(long gib) => gib * 1024;
}
