using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.HuggingFace;

/// <summary>The catalog backbone a Hugging Face config maps to: its name, the overrides, and what the import could not keep.</summary>
/// <param name="CatalogName">The catalog entry with the same architecture (e.g. <c>vit_base_patch16</c>).</param>
/// <param name="Arguments">Overrides in <c>.geomodel</c> syntax, e.g. <c>hidden_dim = 384</c>.</param>
/// <param name="TailLines">Necks, decoder and head lines that turn its features into a segmentation (a starting point to edit).</param>
/// <param name="Notes">Differences between the Hugging Face model and the catalog's (e.g. LayerNorm eps), for the user to judge.</param>
public sealed record HuggingFaceBackbone(string CatalogName, IReadOnlyList<string> Arguments, IReadOnlyList<string> TailLines, IReadOnlyList<string> Notes);

/// <summary>Hugging Face tensors renamed to the catalog module's state-dict names.</summary>
/// <param name="Mapped">Module key → tensor (fused where the module fuses, e.g. ViT's q/k/v).</param>
/// <param name="Dropped">Hugging Face keys of parts a backbone does not have (pooler, classifier), left out on purpose.</param>
/// <param name="Unmapped">Hugging Face keys no rule maps: a strict load fails on them.</param>
public sealed record HuggingFaceKeyMapping(IReadOnlyDictionary<string, Tensor> Mapped, IReadOnlyList<string> Dropped, IReadOnlyList<string> Unmapped);

/// <summary>
/// One Hugging Face architecture family: which <c>model_type</c>s it reads, the catalog backbone they become, and the
/// key mapping of their checkpoints. The extension point for new families (InternViT, Qwen2 and SigLIP come with the
/// vision-language work): implement this and call <see cref="HuggingFaceArchitectures.Register"/>.
/// </summary>
public interface IHuggingFaceArchitecture
{
    IReadOnlyList<string> ModelTypes { get; }

    HuggingFaceBackbone Backbone(HuggingFaceConfig config);

    HuggingFaceKeyMapping MapKeys(HuggingFaceConfig config, IReadOnlyDictionary<string, Tensor> tensors);
}

/// <summary>The architectures <c>geodsl import hf</c> knows, by <c>model_type</c>.</summary>
public static class HuggingFaceArchitectures
{
    private static readonly Dictionary<string, IHuggingFaceArchitecture> ByModelType = new(System.StringComparer.Ordinal);

    static HuggingFaceArchitectures()
    {
        Register(new HuggingFaceViT());
        Register(new HuggingFaceResNet());
        Register(new HuggingFaceSwin());
        Register(new HuggingFaceConvNeXt());
    }

    public static IReadOnlyCollection<string> ModelTypes
    {
        get
        {
            lock (ByModelType)
            {
                return ByModelType.Keys.OrderBy(k => k, System.StringComparer.Ordinal).ToList();
            }
        }
    }

    /// <summary>Adds (or replaces) the architecture for each of its model types.</summary>
    public static void Register(IHuggingFaceArchitecture architecture)
    {
        lock (ByModelType)
        {
            foreach (string type in architecture.ModelTypes)
            {
                ByModelType[type] = architecture;
            }
        }
    }

    /// <exception cref="HuggingFaceConfigException">GeoDsl has no mapping for the config's model_type.</exception>
    public static IHuggingFaceArchitecture For(HuggingFaceConfig config)
    {
        lock (ByModelType)
        {
            return ByModelType.TryGetValue(config.ModelType, out var architecture)
                ? architecture
                : throw new HuggingFaceConfigException(config.Path,
                    $"has model_type \"{config.ModelType}\", which GeoDsl cannot import; it imports {string.Join(", ", ByModelType.Keys.OrderBy(k => k, System.StringComparer.Ordinal))} (register an IHuggingFaceArchitecture for others)");
        }
    }
}

/// <summary>Renaming rules shared by the families: a prefix to strip, heads to drop, and a per-key rename.</summary>
internal static class KeyRules
{
    /// <summary>Strips the task model's prefix (<c>vit.</c>, <c>resnet.</c>): checkpoints of *ForImageClassification have it, of *Model not.</summary>
    public static string Strip(string key, string prefix) => key.StartsWith(prefix + ".", System.StringComparison.Ordinal) ? key.Substring(prefix.Length + 1) : key;

    public static HuggingFaceKeyMapping Rename(IReadOnlyDictionary<string, Tensor> tensors, string prefix, IReadOnlyList<string> headPrefixes, System.Func<string, string?> rename)
    {
        var mapped = new Dictionary<string, Tensor>(System.StringComparer.Ordinal);
        var dropped = new List<string>();
        var unmapped = new List<string>();
        foreach (var (key, tensor) in tensors.OrderBy(p => p.Key, System.StringComparer.Ordinal))
        {
            string local = Strip(key, prefix);
            if (headPrefixes.Any(h => local.StartsWith(h, System.StringComparison.Ordinal)))
            {
                dropped.Add(key);
            }
            else if (rename(local) is { } target)
            {
                mapped[target] = tensor;
            }
            else
            {
                unmapped.Add(key);
            }
        }

        return new HuggingFaceKeyMapping(mapped, dropped, unmapped);
    }
}
