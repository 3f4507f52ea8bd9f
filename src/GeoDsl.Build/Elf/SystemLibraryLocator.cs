using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace GeoDsl.Build.Elf;

/// <summary>Finds the shared library the dynamic loader would pick for a soname, the way ld.so does it.</summary>
public static class SystemLibraryLocator
{
    // Multiarch and classic locations of Debian/Ubuntu, Fedora/RHEL and Alpine, in ld.so's default order.
    private static readonly string[] DefaultDirectories =
    {
        "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
        "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
        "/lib64", "/usr/lib64", "/lib", "/usr/lib",
    };

    /// <summary>The path of <paramref name="soname"/> (e.g. <c>libstdc++.so.6</c>), or null when none is found.</summary>
    public static string? Find(string soname)
    {
        foreach (string candidate in FromLoaderCache(soname))
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        foreach (string directory in DefaultDirectories)
        {
            string candidate = Path.Combine(directory, soname);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Entries of <c>ldconfig -p</c> for the soname, matching this process's architecture first.</summary>
    private static IEnumerable<string> FromLoaderCache(string soname)
    {
        string output;
        try
        {
            using var process = Process.Start(new ProcessStartInfo("ldconfig", "-p")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                yield break;
            }

            output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            yield break; // No ldconfig on PATH (some containers): the default directories still apply.
        }

        foreach (string line in output.Split('\n'))
        {
            // "	libstdc++.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libstdc++.so.6"
            string trimmed = line.Trim();
            if (!trimmed.StartsWith(soname + " ", StringComparison.Ordinal))
            {
                continue;
            }

            int arrow = trimmed.IndexOf("=> ", StringComparison.Ordinal);
            if (arrow > 0)
            {
                yield return trimmed.Substring(arrow + 3).Trim();
            }
        }
    }
}
