using GeoDsl.Composition.Catalog;

namespace GeoDsl.Composition.Tests.Memory;

/// <summary>The GPU catalog: the cards issue 4 asks for, each with its size and where that size comes from.</summary>
public sealed class GpuCatalogTests
{
    public static TheoryData<string, long> Required() => new()
    {
        { "rtx_3090", 24 * 1024 }, { "rtx_4090", 24564 }, { "rtx_5090", 32 * 1024 }, { "a10g", 24 * 1024 }, { "l4", 24 * 1024 },
        { "t4", 16 * 1024 }, { "v100_16gb", 16 * 1024 }, { "v100_32gb", 32 * 1024 }, { "a100_40gb", 40 * 1024 }, { "a100_80gb", 80 * 1024 },
        { "l40s", 48 * 1024 }, { "h100_80gb", 80 * 1024 }, { "h200", 141 * 1024 },
    };

    [Theory]
    [MemberData(nameof(Required))]
    public void EveryRequiredGpuHasItsSizeInMiBAndASource(string name, long mib)
    {
        var gpu = Gpus.Find(name);

        Assert.NotNull(gpu);
        Assert.Equal(mib, gpu.MemoryMiB);
        Assert.False(string.IsNullOrWhiteSpace(gpu.Source));
    }

    [Fact]
    public void TheRtx4090IsTheDefaultAtItsNvidiaSmiTotal()
    {
        Assert.Equal("rtx_4090", Gpus.Default.Name);
        Assert.Contains("nvidia-smi", Gpus.Default.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void NamesAreUnique() => Assert.Equal(Gpus.All.Count, Gpus.Names.Distinct(StringComparer.Ordinal).Count());

    [Fact]
    public void ACustomBudgetIsRoundedToWholeMiB()
    {
        Assert.Equal(20 * 1024 + 512, Gpus.Custom(20.5).MemoryMiB);
        Assert.Equal(Gpus.CustomName, Gpus.Custom(20).Name);
        Assert.Equal("rtx_3090", Gpus.Custom(20, Gpus.Find("rtx_3090")).Name);
    }
}
