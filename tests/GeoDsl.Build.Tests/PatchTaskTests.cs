using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using GeoDsl.Build.Elf;

namespace GeoDsl.Build.Tests;

public sealed class PatchTaskTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("geodsl-task-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (PatchLibTorchSharpForOldLibStdCxx Task, RecordingEngine Engine, string Library) Setup(params string[] providerVersions)
    {
        string library = Path.Combine(_folder, "libLibTorchSharp.so");
        File.WriteAllBytes(library, new ElfImageBuilder().Needs("libstdc++.so.6", "GLIBCXX_3.4.30", "GLIBCXX_3.4.32").Build());
        string provider = Path.Combine(_folder, "libstdc++.so.6");
        File.WriteAllBytes(provider, new ElfImageBuilder().Defines(providerVersions).Build());
        var engine = new RecordingEngine();
        var task = new PatchLibTorchSharpForOldLibStdCxx
        {
            BuildEngine = engine,
            Libraries = new ITaskItem[] { new TaskItem(library), new TaskItem(Path.Combine(_folder, "missing", "libLibTorchSharp.so")) },
            ProvidingLibraryPath = provider,
        };
        return (task, engine, library);
    }

    [Fact]
    public void AnOldLibStdCxxGetsTheRequirementMarkedWeakAndTheBuildLogSaysSo()
    {
        var (task, engine, library) = Setup("GLIBCXX_3.4.29", "GLIBCXX_3.4.30");
        Assert.True(task.Execute());
        Assert.True(ElfSymbolVersions.Read(library).Requirements.Single(r => r.Version == "GLIBCXX_3.4.32").IsWeak);
        Assert.Contains(engine.Messages, m => m.Contains("lacks GLIBCXX_3.4.32") && m.Contains(library));
    }

    [Fact]
    public void ANewLibStdCxxLeavesTheLibraryUntouched()
    {
        var (task, engine, library) = Setup("GLIBCXX_3.4.31", "GLIBCXX_3.4.32");
        var before = File.ReadAllBytes(library);
        Assert.True(task.Execute());
        Assert.Equal(before, File.ReadAllBytes(library));
        Assert.Contains(engine.Messages, m => m.Contains("needs no change"));
    }

    [Fact]
    public void RunningTheTaskAgainIsHarmless()
    {
        var (task, engine, library) = Setup("GLIBCXX_3.4.30");
        Assert.True(task.Execute());
        var once = File.ReadAllBytes(library);
        Assert.True(task.Execute());
        Assert.Equal(once, File.ReadAllBytes(library));
        Assert.Contains(engine.Messages, m => m.Contains("already tolerates"));
    }

    [Fact]
    public void AnUnreadableProviderIsABuildErrorThatSaysWhatToDo()
    {
        var (task, engine, _) = Setup("GLIBCXX_3.4.30");
        File.WriteAllText(task.ProvidingLibraryPath!, "not a library");
        Assert.False(task.Execute());
        var error = Assert.Single(engine.Errors);
        Assert.Equal("GEOB001", error.Code);
        Assert.Contains("GeoDslPatchLibTorchSharp=false", error.Message);
    }
}
