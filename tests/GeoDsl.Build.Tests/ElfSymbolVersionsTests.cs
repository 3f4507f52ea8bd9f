using GeoDsl.Build.Elf;

namespace GeoDsl.Build.Tests;

public sealed class ElfSymbolVersionsTests
{
    [Fact]
    public void RequirementsAreReadPerNeededLibrary()
    {
        var image = new ElfImageBuilder().Needs("libc.so.6", "GLIBC_2.34").Needs("libstdc++.so.6", "GLIBCXX_3.4.30", "GLIBCXX_3.4.32").Build();
        var versions = ElfSymbolVersions.Parse("fake.so", image);
        Assert.Equal(
            new[] { "libc.so.6:GLIBC_2.34", "libstdc++.so.6:GLIBCXX_3.4.30", "libstdc++.so.6:GLIBCXX_3.4.32" },
            versions.Requirements.Select(r => r.File + ":" + r.Version));
        Assert.All(versions.Requirements, r => Assert.False(r.IsWeak));
    }

    [Fact]
    public void DefinitionsAreRead()
    {
        var image = new ElfImageBuilder().Defines("libstdc++.so.6", "GLIBCXX_3.4", "GLIBCXX_3.4.30").Build();
        Assert.Equal(new[] { "libstdc++.so.6", "GLIBCXX_3.4", "GLIBCXX_3.4.30" }, ElfSymbolVersions.Parse("fake.so", image).Definitions);
    }

    [Fact]
    public void ANonElfFileIsRejectedWithItsName()
    {
        var error = Assert.Throws<InvalidDataException>(() => ElfSymbolVersions.Parse("notes.txt", new byte[100]));
        Assert.Contains("'notes.txt'", error.Message);
        Assert.Contains("not an ELF file", error.Message);
    }

    [Fact]
    public void ATruncatedFileIsRejectedNotMisread()
    {
        var image = new ElfImageBuilder().Needs("libstdc++.so.6", "GLIBCXX_3.4.32").Build();
        var truncated = image.Take(image.Length - 80).ToArray();
        var error = Assert.Throws<InvalidDataException>(() => ElfSymbolVersions.Parse("cut.so", truncated));
        Assert.Contains("truncated", error.Message);
    }
}
