using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.HuggingFace;

/// <summary>
/// Hugging Face <c>SwinModel</c> / <c>Swinv2Model</c> configs as the catalog's torchvision Swin (swin_t / swin_v2_t with
/// overrides: embed_dim, depths, num_heads, window_size). Only the architecture is imported: the key mapping of Swin
/// checkpoints (relative-position tables, Hugging Face's separate q/k/v) is not written yet, so weights are reported
/// unmapped and a strict load refuses them.
/// </summary>
public sealed class HuggingFaceSwin : IHuggingFaceArchitecture
{
    public IReadOnlyList<string> ModelTypes { get; } = new[] { "swin", "swinv2" };

    public HuggingFaceBackbone Backbone(HuggingFaceConfig config)
    {
        bool v2 = config.ModelType == "swinv2";
        if (config.Int("patch_size", 4) != 4)
        {
            throw config.Unsupported("patch_size", "is not 4; torchvision's Swin embeds 4×4 patches");
        }

        var args = new List<string>
        {
            $"embed_dim = {config.Int("embed_dim", 96).ToString(CultureInfo.InvariantCulture)}",
            $"depths = [{string.Join(", ", config.IntList("depths"))}]",
            $"num_heads = [{string.Join(", ", config.IntList("num_heads"))}]",
            $"window_size = {config.Int("window_size", v2 ? 8 : 7).ToString(CultureInfo.InvariantCulture)}",
        };
        var tail = new[] { "neck permute_dims { new_order = [0, 3, 1, 2] }", "decoder fcn { channels = 256, num_convs = 2 }" };
        var notes = new[] { "Swin weights: the key mapping is not implemented yet; train from scratch or load torchvision-named weights." };
        return new HuggingFaceBackbone(v2 ? "swin_v2_t" : "swin_t", args, tail, notes);
    }

    public HuggingFaceKeyMapping MapKeys(HuggingFaceConfig config, IReadOnlyDictionary<string, Tensor> tensors) =>
        new(new Dictionary<string, Tensor>(), new List<string>(), tensors.Keys.OrderBy(k => k, System.StringComparer.Ordinal).ToList());
}

/// <summary>
/// Hugging Face <c>ConvNextModel</c> configs as the catalog's torchvision ConvNeXt (hidden_sizes → dims, depths). Only the
/// architecture is imported (see <see cref="HuggingFaceSwin"/>): weights are reported unmapped.
/// </summary>
public sealed class HuggingFaceConvNeXt : IHuggingFaceArchitecture
{
    public IReadOnlyList<string> ModelTypes { get; } = new[] { "convnext" };

    public HuggingFaceBackbone Backbone(HuggingFaceConfig config)
    {
        if (config.Int("patch_size", 4) != 4)
        {
            throw config.Unsupported("patch_size", "is not 4; torchvision's ConvNeXt stem is a 4×4 stride-4 convolution");
        }

        var args = new List<string>
        {
            $"dims = [{string.Join(", ", config.IntList("hidden_sizes"))}]",
            $"depths = [{string.Join(", ", config.IntList("depths"))}]",
            $"layer_scale = {config.Double("layer_scale_init_value", 1e-6).ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", System.StringComparison.Ordinal)}",
        };
        var tail = new[] { "decoder fcn { channels = 256, num_convs = 2 }" };
        var notes = new[] { "ConvNeXt weights: the key mapping is not implemented yet; train from scratch or load torchvision-named weights." };
        return new HuggingFaceBackbone("convnext_tiny", args, tail, notes);
    }

    public HuggingFaceKeyMapping MapKeys(HuggingFaceConfig config, IReadOnlyDictionary<string, Tensor> tensors) =>
        new(new Dictionary<string, Tensor>(), new List<string>(), tensors.Keys.OrderBy(k => k, System.StringComparer.Ordinal).ToList());
}
