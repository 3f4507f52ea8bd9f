using GeoDsl.Build.Elf;

namespace GeoDsl.Build.Tests;

public sealed class WeakVersionPatcherTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("geodsl-elf-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(byte[] image)
    {
        string path = Path.Combine(_folder, "libLibTorchSharp.so");
        File.WriteAllBytes(path, image);
        return path;
    }

    [Fact]
    public void PatchingSetsOnlyTheWeakFlagOfThatRequirement()
    {
        var original = new ElfImageBuilder().Needs("libstdc++.so.6", "GLIBCXX_3.4.30", "GLIBCXX_3.4.32").Build();
        string path = Write(original);

        Assert.Equal(PatchOutcome.Patched, WeakVersionPatcher.MarkWeak(path, "libstdc++.so.6", "GLIBCXX_3.4.32"));

        var patched = File.ReadAllBytes(path);
        var differing = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToList();
        Assert.Single(differing);
        var requirements = ElfSymbolVersions.Parse(path, patched).Requirements;
        Assert.True(requirements.Single(r => r.Version == "GLIBCXX_3.4.32").IsWeak);
        Assert.False(requirements.Single(r => r.Version == "GLIBCXX_3.4.30").IsWeak);
    }

    [Fact]
    public void PatchingTwiceChangesNothingTheSecondTime()
    {
        string path = Write(new ElfImageBuilder().Needs("libstdc++.so.6", "GLIBCXX_3.4.32").Build());
        WeakVersionPatcher.MarkWeak(path, "libstdc++.so.6", "GLIBCXX_3.4.32");
        var once = File.ReadAllBytes(path);
        var time = File.GetLastWriteTimeUtc(path);

        Assert.Equal(PatchOutcome.AlreadyWeak, WeakVersionPatcher.MarkWeak(path, "libstdc++.so.6", "GLIBCXX_3.4.32"));
        Assert.Equal(once, File.ReadAllBytes(path));
        Assert.Equal(time, File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public void ALibraryWithoutThatRequirementIsLeftAlone()
    {
        var image = new ElfImageBuilder().Needs("libstdc++.so.6", "GLIBCXX_3.4.30").Build();
        string path = Write(image);
        Assert.Equal(PatchOutcome.NotRequired, WeakVersionPatcher.MarkWeak(path, "libstdc++.so.6", "GLIBCXX_3.4.32"));
        Assert.Equal(image, File.ReadAllBytes(path));
    }

    [Fact]
    public void PatchingKeepsTheTimestampSoMsbuildsCopyDoesNotUndoIt()
    {
        string path = Write(new ElfImageBuilder().Needs("libstdc++.so.6", "GLIBCXX_3.4.32").Build());
        var stamp = new DateTime(2026, 2, 13, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, stamp);
        WeakVersionPatcher.MarkWeak(path, "libstdc++.so.6", "GLIBCXX_3.4.32");
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
        Assert.False(File.Exists(path + ".geodsl-tmp"));
    }

    [Fact]
    public void TheRealLibTorchSharpAsksForGlibcxx3432AndIsPatchedInPlace()
    {
        // The file TorchSharp-cpu ships (restored by the runtime tests); absent on machines that never restored it.
        string home = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string shipped = Path.Combine(home, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!File.Exists(shipped))
        {
            return;
        }

        string path = Path.Combine(_folder, "real.so");
        File.Copy(shipped, path);
        var before = ElfSymbolVersions.Read(path).Requirements.Single(r => r.Version == "GLIBCXX_3.4.32");
        Assert.Equal("libstdc++.so.6", before.File);
        Assert.False(before.IsWeak);

        Assert.Equal(PatchOutcome.Patched, WeakVersionPatcher.MarkWeak(path, "libstdc++.so.6", "GLIBCXX_3.4.32"));
        Assert.True(ElfSymbolVersions.Read(path).Requirements.Single(r => r.Version == "GLIBCXX_3.4.32").IsWeak);
        Assert.Equal(new FileInfo(shipped).Length, new FileInfo(path).Length);
    }
}
