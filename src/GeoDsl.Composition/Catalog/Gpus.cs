using System.Collections.Generic;
using System.Linq;

namespace GeoDsl.Composition.Catalog;

/// <summary>A GPU a model can target, with the total memory the driver reports for it.</summary>
public sealed record Gpu(string Name, string DisplayName, long MemoryMiB, string Source)
{
    public long MemoryBytes => MemoryMiB * 1024 * 1024;
}

/// <summary>GPUs by the name used in <c>target …</c>. The RTX 4090 is the default: it is what most users have.</summary>
public static class Gpus
{
    private const string Smi = "total memory as nvidia-smi reports it";

    public static IReadOnlyList<Gpu> All { get; } = new[]
    {
        // memory-facts.md: "an RTX 4090, which nvidia-smi reports as 24564 MiB total" (hume-vla/hume#4).
        new Gpu("rtx_4090", "RTX 4090 (24 GiB)", 24564, Smi + " (memory-facts.md)"),
        new Gpu("rtx_3090", "RTX 3090 (24 GiB)", 24576, "24 GiB GDDR6X, NVIDIA specification"),
        new Gpu("rtx_4080", "RTX 4080 (16 GiB)", 16384, "16 GiB GDDR6X, NVIDIA specification"),
        new Gpu("rtx_a6000", "RTX A6000 (48 GiB)", 49152, "48 GiB GDDR6, NVIDIA specification"),
        new Gpu("t4", "Tesla T4 (16 GiB)", 15360, Smi + " (15360 MiB)"),
        new Gpu("l4", "L4 (24 GiB)", 23034, Smi + " (23034 MiB)"),
        new Gpu("v100_16gb", "V100 16 GB", 16384, "16 GiB HBM2, NVIDIA specification"),
        new Gpu("v100_32gb", "V100 32 GB", 32768, "32 GiB HBM2, NVIDIA specification"),
        new Gpu("a100_40gb", "A100 40 GB", 40960, "40 GiB HBM2, NVIDIA specification"),
        new Gpu("a100_80gb", "A100 80 GB", 81920, "80 GiB HBM2e, NVIDIA specification"),
        new Gpu("h100_80gb", "H100 80 GB", 81559, Smi + " (81559 MiB)"),
    };

    public static Gpu Default => All[0];

    public static Gpu? Find(string name) => All.FirstOrDefault(g => g.Name == name);

    public static IEnumerable<string> Names => All.Select(g => g.Name);
}
