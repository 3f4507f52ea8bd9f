using System;
using System.IO;
using System.Linq;
using GeoDsl.Build.Elf;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace GeoDsl.Build;

/// <summary>
/// Lets TorchSharp's native library load on systems whose libstdc++ predates GCC 13 (Debian 12, Ubuntu 22.04).
/// libLibTorchSharp.so requires GLIBCXX_3.4.32 for one link-time marker symbol nothing calls; where the system
/// libstdc++ lacks that version, the requirement is marked weak in the copies in the output folder. Where the
/// system has it, nothing is touched. Running it again changes nothing.
/// </summary>
public sealed class PatchLibTorchSharpForOldLibStdCxx : Task
{
    /// <summary>The copies of libLibTorchSharp.so to check (missing paths are skipped).</summary>
    [Required]
    public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The version whose requirement is made weak.</summary>
    public string RequiredVersion { get; set; } = "GLIBCXX_3.4.32";

    /// <summary>The library that should define <see cref="RequiredVersion"/>.</summary>
    public string ProvidingLibrary { get; set; } = "libstdc++.so.6";

    /// <summary>Overrides the system lookup of <see cref="ProvidingLibrary"/> (tests, unusual layouts).</summary>
    public string? ProvidingLibraryPath { get; set; }

    /// <summary>
    /// Patch whatever this machine's libstdc++ has: for files that ship to other machines (a tool package). A weak
    /// requirement changes nothing where the version exists.
    /// </summary>
    public bool Always { get; set; }

    public override bool Execute()
    {
        var libraries = Libraries.Select(item => item.GetMetadata("FullPath")).Where(File.Exists).Distinct().ToList();
        if (libraries.Count == 0)
        {
            return true;
        }

        if (Always)
        {
            foreach (string library in libraries)
            {
                var shipped = WeakVersionPatcher.MarkWeak(library, ProvidingLibrary, RequiredVersion);
                Log.LogMessage(MessageImportance.High, $"GeoDsl: {library}: {RequiredVersion} requirement {(shipped == PatchOutcome.NotRequired ? "absent; left unchanged" : "marked weak for machines whose libstdc++ lacks it")}.");
            }

            return true;
        }

        string? provider = string.IsNullOrEmpty(ProvidingLibraryPath) ? SystemLibraryLocator.Find(ProvidingLibrary) : ProvidingLibraryPath;
        if (provider is null)
        {
            Log.LogMessage(MessageImportance.Normal, $"GeoDsl: no system {ProvidingLibrary} found; TorchSharp's native library left as shipped.");
            return true;
        }

        try
        {
            if (ElfSymbolVersions.Read(provider).Definitions.Contains(RequiredVersion))
            {
                Log.LogMessage(MessageImportance.Low, $"GeoDsl: {provider} defines {RequiredVersion}; TorchSharp's native library needs no change.");
                return true;
            }

            foreach (string library in libraries)
            {
                var outcome = WeakVersionPatcher.MarkWeak(library, ProvidingLibrary, RequiredVersion);
                string message = outcome switch
                {
                    PatchOutcome.Patched => $"GeoDsl: {provider} lacks {RequiredVersion}; marked that requirement weak in {library} so TorchSharp loads.",
                    PatchOutcome.AlreadyWeak => $"GeoDsl: {library} already tolerates a {ProvidingLibrary} without {RequiredVersion}.",
                    _ => $"GeoDsl: {library} does not require {RequiredVersion}; left unchanged.",
                };
                Log.LogMessage(outcome == PatchOutcome.Patched ? MessageImportance.High : MessageImportance.Low, message);
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            Log.LogError(subcategory: null, errorCode: "GEOB001", helpKeyword: null, file: provider, lineNumber: 0, columnNumber: 0,
                endLineNumber: 0, endColumnNumber: 0,
                message: $"GeoDsl could not adjust TorchSharp's native library for this system's libstdc++: {e.Message} " +
                         "Install a libstdc++ from GCC 13 or newer, or set GeoDslPatchLibTorchSharp=false and load TorchSharp another way.");
        }

        return !Log.HasLoggedErrors;
    }
}
