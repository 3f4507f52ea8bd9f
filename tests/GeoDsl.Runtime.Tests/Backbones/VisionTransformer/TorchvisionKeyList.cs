using System.Globalization;
using System.Runtime.CompilerServices;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.VisionTransformer;

/// <summary>
/// A committed key list <c>bench/keys/&lt;model&gt;.txt</c> (written by <c>bench/tools/dump_state_dict_keys.py</c> from
/// Debian's torchvision 0.14): the reference state dict's keys and shapes in order, and the parameter count in its header.
/// </summary>
internal sealed record TorchvisionKeyList(IReadOnlyList<(string Key, long[] Shape)> Entries, long? Parameters)
{
    /// <summary>The repository's <c>bench/keys</c> folder, found from this source file (build output may live elsewhere).</summary>
    public static string Folder => Path.Combine(RepositoryRoot(), "bench", "keys");

    public static TorchvisionKeyList Read(string model)
    {
        var path = Path.Combine(Folder, model + ".txt");
        var entries = new List<(string, long[])>();
        long? parameters = null;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith('#'))
            {
                // "# 152 state-dict entries; 86567656 parameters (…)"
                var at = line.IndexOf(" parameters", StringComparison.Ordinal);
                if (at > 0)
                {
                    var start = line.LastIndexOf(' ', at - 1) + 1;
                    parameters = long.Parse(line[start..at].Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
                }

                continue;
            }

            if (line.Length == 0)
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            var dims = line[(space + 1)..].Trim('[', ']');
            var shape = dims.Length == 0 ? Array.Empty<long>() : dims.Split(',').Select(d => long.Parse(d, CultureInfo.InvariantCulture)).ToArray();
            entries.Add((line[..space], shape));
        }

        return new TorchvisionKeyList(entries, parameters);
    }

    /// <summary>"key [d0,d1]" lines of a module's state dict, in the reference file's notation.</summary>
    public static IReadOnlyList<string> Describe(torch.nn.Module module) =>
        module.state_dict().Select(p => $"{p.Key} [{string.Join(",", p.Value.shape)}]").ToList();

    public IReadOnlyList<string> Lines => Entries.Select(e => $"{e.Key} [{string.Join(",", e.Shape)}]").ToList();

    private static string RepositoryRoot([CallerFilePath] string thisFile = "")
    {
        for (var dir = Path.GetDirectoryName(thisFile); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "GeoDsl.sln")))
            {
                return dir;
            }
        }

        throw new DirectoryNotFoundException($"No GeoDsl.sln above {thisFile}.");
    }
}
