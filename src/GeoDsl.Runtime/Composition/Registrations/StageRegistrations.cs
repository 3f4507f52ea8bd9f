using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Shapes;
using GeoDsl.Runtime.Decoders;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Heads;
using GeoDsl.Runtime.Necks;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Composition.Registrations;

/// <summary>The necks, decoders and heads.</summary>
internal static class StageRegistrations
{
    public static void Add(ComponentFactories entries)
    {
        entries.Add(ComponentKind.Neck, "select_indices", b => b.Input!.Kind switch
        {
            FeatureKind.Tokens => new SelectIndices<TokenFeatures>(b.Args.IntList("indices")),
            FeatureKind.ChannelLastMaps => new SelectIndices<ChannelLastMapFeatures>(b.Args.IntList("indices")),
            FeatureKind.Pooled => new SelectIndices<PooledFeatures>(b.Args.IntList("indices")),
            _ => new SelectIndices<MapFeatures>(b.Args.IntList("indices")),
        });
        entries.Add(ComponentKind.Neck, "reshape_tokens_to_image", b => new ReshapeTokensToImage(
            b.Args.Bool("remove_cls_token"),
            b.Args.IntOrNull("effective_time_dim") ?? b.Input!.Tokens!.Frames,
            b.Args.IntOrNull("h")));
        entries.Add(ComponentKind.Neck, "interpolate_to_pyramidal", b => new InterpolateToPyramidal(b.Args.Int("scale_factor"), b.Args.Name("mode")));
        entries.Add(ComponentKind.Neck, "maxpool_to_pyramidal", b => new MaxpoolToPyramidal(b.Args.Int("kernel_size")));
        entries.Add(ComponentKind.Neck, "learned_interpolate_to_pyramidal", b => new LearnedInterpolateToPyramidal(b.InputChannels));
        entries.Add(ComponentKind.Neck, "add_bottleneck_layer", b => new AddBottleneckLayer(b.InputChannels));
        entries.Add(ComponentKind.Neck, "permute_dims", b => new PermuteDims(b.Args.IntList("new_order")));
        entries.Add(ComponentKind.Neck, "aggregate_tokens", b => new AggregateTokens(b.Args.Name("pooling"), b.Args.Int("index")));

        entries.Add(ComponentKind.Decoder, "fcn", b => new FcnDecoder(b.InputChannels, b.Args.Int("channels"), b.Args.Int("num_convs"), b.Args.Int("in_index")));
        entries.Add(ComponentKind.Decoder, "uper_net", b => new UperNetDecoder(b.InputChannels, b.Args.IntList("pool_scales"), b.Args.Int("channels"), b.Args.Bool("align_corners")));
        entries.Add(ComponentKind.Decoder, "unet", b => new UNetDecoder(b.InputChannels, b.Args.IntList("channels"), b.Args.Bool("use_batchnorm"),
            b.Args.Name("smp_flavor") == "smp05" ? SmpUnetFlavor.Smp05 : SmpUnetFlavor.Smp04));
        entries.Add(ComponentKind.Decoder, "identity", b => new IdentityDecoder(b.InputChannels, b.Args.Int("out_index")));
        entries.Add(ComponentKind.Decoder, "linear", b => new LinearDecoder(b.InputChannels, b.Args.Int("num_classes"), b.Args.Int("upsampling_size"), b.Args.Int("in_index")));

        entries.Add(ComponentKind.Head, "segmentation", b => new SegmentationHead(b.InputChannels[0], b.Args.Int("num_classes"), b.Args.IntListOrNull("channel_list"), b.Args.Double("dropout")));
        entries.Add(ComponentKind.Head, "regression", b => new RegressionHead(b.InputChannels[0], FinalActivation(b.Args.NameOrNull("final_act")),
            b.Args.Int("learned_upscale_layers"), b.Args.IntListOrNull("channel_list"), b.Args.Double("dropout"), b.Args.Int("num_outputs")));
        entries.Add(ComponentKind.Head, "classification", b => new ClassificationHead(b.InputChannels[0], b.Args.Int("num_classes"), b.Args.IntListOrNull("dim_list"),
            b.Args.Double("dropout"), b.Args.Bool("linear_after_pool")));
    }

    private static nn.Module<Tensor, Tensor>? FinalActivation(string? name) => name switch
    {
        "relu" => nn.ReLU(),
        "sigmoid" => nn.Sigmoid(),
        "softplus" => nn.Softplus(),
        "tanh" => nn.Tanh(),
        _ => null,
    };
}
