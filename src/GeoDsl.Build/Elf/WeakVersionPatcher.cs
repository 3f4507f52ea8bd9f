using System;
using System.IO;
using System.Linq;

namespace GeoDsl.Build.Elf;

public enum PatchOutcome
{
    /// <summary>The flag was set and the file rewritten.</summary>
    Patched,

    /// <summary>The requirement was already weak: nothing written.</summary>
    AlreadyWeak,

    /// <summary>The library does not require that version at all.</summary>
    NotRequired,
}

/// <summary>
/// Marks one version requirement of a shared library as weak, so that the dynamic loader accepts an older
/// provider. Safe only where no called symbol needs that version: libLibTorchSharp asks GLIBCXX_3.4.32 for
/// <c>_ZSt21ios_base_library_initv</c> alone, a link-time marker GCC 13 headers emit and nothing calls.
/// </summary>
public static class WeakVersionPatcher
{
    public static PatchOutcome MarkWeak(string libraryPath, string neededFile, string version)
    {
        byte[] image = File.ReadAllBytes(libraryPath);
        var versions = ElfSymbolVersions.Parse(libraryPath, image);
        var requirement = versions.Requirements.FirstOrDefault(r => r.File == neededFile && r.Version == version);
        if (requirement.Version is null)
        {
            return PatchOutcome.NotRequired;
        }

        if (requirement.IsWeak)
        {
            return PatchOutcome.AlreadyWeak;
        }

        // Patch a copy and swap it in: an interrupted build never leaves a half-written library, a hard link
        // into the NuGet cache is never written through, and File.Copy keeps the file mode.
        var originalTime = File.GetLastWriteTimeUtc(libraryPath);
        string temporary = libraryPath + ".geodsl-tmp";
        File.Copy(libraryPath, temporary, overwrite: true);
        ushort flags = (ushort)(requirement.Flags | ElfSymbolVersions.WeakFlag);
        using (var stream = new FileStream(temporary, FileMode.Open, FileAccess.Write))
        {
            stream.Position = requirement.FlagsOffset;
            stream.WriteByte((byte)(flags & 0xff));
            stream.WriteByte((byte)(flags >> 8));
        }

        File.Delete(libraryPath);
        File.Move(temporary, libraryPath);

        // Same size and time as the copy MSBuild made, so its incremental copy leaves the patched file alone.
        File.SetLastWriteTimeUtc(libraryPath, originalTime);
        return PatchOutcome.Patched;
    }
}
