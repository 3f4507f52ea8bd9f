using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Weights;

/// <summary>
/// Copies a state dict (from a checkpoint) into a module's parameters and buffers, matching by name,
/// and reports what matched. Values are copied in place (<c>no_grad</c> + <c>copy_</c>), so the
/// module keeps its parameter objects, and an optimizer built on them stays valid; the file's dtype
/// and device are converted to the module's.
/// </summary>
public static class StateDictLoader
{
    /// <summary>
    /// Loads <paramref name="source"/> into <paramref name="module"/>. In strict mode (the default) any
    /// missing, unexpected or mismatched tensor throws <see cref="StateDictMismatchException"/> before the
    /// module is touched; otherwise what matches is loaded and the rest reported. <paramref name="sourceName"/>
    /// names the source in the report and errors, e.g. the checkpoint's file name.
    /// </summary>
    /// <exception cref="ArgumentException">Two file tensors map to the same module key.</exception>
    public static LoadReport Load(nn.Module module, IReadOnlyDictionary<string, Tensor> source, LoadOptions? options = null, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(source);
        options ??= LoadOptions.Default;

        var ignored = new List<string>();
        var byModuleKey = MapFileKeys(source, options, ignored);

        var moduleState = module.state_dict();
        var missing = new List<string>();
        var mismatched = new List<ShapeMismatch>();
        var skipped = new List<ShapeMismatch>();
        var plan = new List<(string Name, Tensor Target, Tensor Value)>();
        foreach (var (name, target) in moduleState)
        {
            if (options.IsIgnored(name))
            {
                ignored.Add(name);
                byModuleKey.Remove(name);
                continue;
            }
            if (!byModuleKey.Remove(name, out var match))
            {
                missing.Add(name);
                continue;
            }
            if (!target.shape.SequenceEqual(match.Tensor.shape))
            {
                var difference = new ShapeMismatch(name, match.FileKey, target.shape, match.Tensor.shape);
                (options.IsShapeMismatchAllowed(name) || options.IsShapeMismatchAllowed(match.FileKey) ? skipped : mismatched).Add(difference);
                continue;
            }
            plan.Add((name, target, match.Tensor));
        }
        var unexpected = byModuleKey.Values.Select(v => v.FileKey).ToList();
        var hint = SuggestPrefixRewrite(missing, byModuleKey.Keys.ToList());

        LoadReport Report(IEnumerable<string> loaded, IEnumerable<DTypeConversion> converted) => new(
            sourceName, moduleState.Count, loaded, missing, unexpected, mismatched, skipped, ignored, converted, hint);

        if (options.Strict && (missing.Count > 0 || unexpected.Count > 0 || mismatched.Count > 0))
        {
            throw new StateDictMismatchException(Report(Array.Empty<string>(), Array.Empty<DTypeConversion>()));
        }

        var conversions = new List<DTypeConversion>();
        using (torch.no_grad())
        {
            foreach (var (name, target, value) in plan)
            {
                if (value.dtype != target.dtype)
                {
                    conversions.Add(new DTypeConversion(name, value.dtype, target.dtype));
                }
                target.copy_(value);
            }
        }
        return Report(plan.Select(p => p.Name), conversions);
    }

    private static Dictionary<string, (string FileKey, Tensor Tensor)> MapFileKeys(
        IReadOnlyDictionary<string, Tensor> source, LoadOptions options, List<string> ignored)
    {
        var byModuleKey = new Dictionary<string, (string FileKey, Tensor Tensor)>(StringComparer.Ordinal);
        foreach (var (fileKey, tensor) in source)
        {
            var moduleKey = options.IsIgnored(fileKey) ? null : options.MapKey(fileKey);
            if (moduleKey is null || options.IsIgnored(moduleKey))
            {
                ignored.Add(fileKey);
                continue;
            }
            if (byModuleKey.TryGetValue(moduleKey, out var earlier))
            {
                throw new ArgumentException(
                    $"File tensors '{earlier.FileKey}' and '{fileKey}' both map to module key '{moduleKey}'. " +
                    "Change LoadOptions.PrefixRewrites or KeyMapping so each module key gets one tensor, or ignore one of them with IgnorePatterns.",
                    nameof(options));
            }
            byModuleKey.Add(moduleKey, (fileKey, tensor));
        }
        return byModuleKey;
    }

    /// <summary>
    /// The usual cause of a wholesale mismatch is a prefix: a checkpoint saved from a wrapper
    /// ("encoder.blocks.0...") loaded into the bare part ("blocks.0..."), or the reverse. Finds the
    /// dotted prefix that would pair the most unexpected keys with missing ones.
    /// </summary>
    private static string? SuggestPrefixRewrite(IReadOnlyList<string> missing, IReadOnlyList<string> unexpected)
    {
        if (missing.Count == 0 || unexpected.Count == 0)
        {
            return null;
        }
        var strip = CountPrefixes(unexpected, new HashSet<string>(missing, StringComparer.Ordinal));
        var add = CountPrefixes(missing, new HashSet<string>(unexpected, StringComparer.Ordinal));
        if (strip.Count >= add.Count && strip.Count > 0)
        {
            return $"{strip.Count} file tensor(s) match module tensors once the prefix '{strip.Prefix}' is removed; " +
                   $"set PrefixRewrites = [PrefixRewrite.Strip(\"{strip.Prefix}\")].";
        }
        if (add.Count > 0)
        {
            return $"{add.Count} file tensor(s) match module tensors once the prefix '{add.Prefix}' is added; " +
                   $"set PrefixRewrites = [PrefixRewrite.Add(\"{add.Prefix}\")].";
        }
        return null;
    }

    private static (string Prefix, int Count) CountPrefixes(IReadOnlyList<string> longer, HashSet<string> shorter)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var key in longer)
        {
            for (var dot = key.IndexOf('.'); dot >= 0 && dot < key.Length - 1; dot = key.IndexOf('.', dot + 1))
            {
                if (shorter.Contains(key[(dot + 1)..]))
                {
                    var prefix = key[..(dot + 1)];
                    counts[prefix] = counts.GetValueOrDefault(prefix) + 1;
                }
            }
        }
        return counts.Count == 0
            ? ("", 0)
            : counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key.Length).Select(p => (p.Key, p.Value)).First();
    }
}
