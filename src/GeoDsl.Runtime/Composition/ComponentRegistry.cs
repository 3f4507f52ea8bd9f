using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Backbones;
using GeoDsl.Runtime.Decoders;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Heads;
using GeoDsl.Runtime.Necks;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Composition;

/// <summary>What a factory needs to build one component: its catalog entry, bound arguments, input shape and the model.</summary>
public sealed record ComponentBuild(ComponentDescriptor Descriptor, ArgumentList Args, FeatureShape? Input, ModelSpec Model)
{
    /// <summary>The incoming channel list (TerraTorch's <c>channel_list</c>/<c>embed_dim</c>).</summary>
    public IReadOnlyList<int> InputChannels => Input?.Channels ?? Array.Empty<int>();
}

/// <summary>
/// The TorchSharp implementation of every catalog name: a table of factories, one entry per component, keyed by
/// the same names the front end uses. The front end already checked the arguments and shapes, so a factory only
/// translates bound values into constructor arguments.
/// </summary>
public sealed class ComponentRegistry
{
    private readonly Dictionary<(ComponentKind Kind, string Name), Func<ComponentBuild, nn.Module>> _factories;

    public ComponentRegistry(IEnumerable<KeyValuePair<(ComponentKind Kind, string Name), Func<ComponentBuild, nn.Module>>> factories) =>
        _factories = factories.ToDictionary(f => f.Key, f => f.Value);

    public static ComponentRegistry Default { get; } = new(CreateDefaultFactories());

    public bool Contains(ComponentKind kind, string name) => _factories.ContainsKey((kind, name));

    public nn.Module Build(ComponentKind kind, ComponentBuild build)
    {
        if (!_factories.TryGetValue((kind, build.Descriptor.Name), out var factory))
        {
            throw new NotSupportedException(
                $"{build.Descriptor.Title} is in the catalog but has no TorchSharp implementation registered; " +
                "register one with ComponentRegistry or choose another component.");
        }

        return factory(build);
    }

    private static IEnumerable<KeyValuePair<(ComponentKind, string), Func<ComponentBuild, nn.Module>>> CreateDefaultFactories()
    {
        var entries = new List<KeyValuePair<(ComponentKind, string), Func<ComponentBuild, nn.Module>>>();
        void Add(ComponentKind kind, string name, Func<ComponentBuild, nn.Module> factory) => entries.Add(new((kind, name), factory));

        foreach (var variant in PrithviVariants.All)
        {
            Add(ComponentKind.Backbone, variant.Name, b => new PrithviViT(PrithviOptions(((PrithviBackbone)b.Descriptor).Resolve(b.Model.Input, b.Args)), variant.Name));
        }

        Add(ComponentKind.Neck, "select_indices", b => b.Input!.Kind switch
        {
            FeatureKind.Tokens => new SelectIndices<TokenFeatures>(b.Args.IntList("indices")),
            FeatureKind.ChannelLastMaps => new SelectIndices<ChannelLastMapFeatures>(b.Args.IntList("indices")),
            FeatureKind.Pooled => new SelectIndices<PooledFeatures>(b.Args.IntList("indices")),
            _ => new SelectIndices<MapFeatures>(b.Args.IntList("indices")),
        });
        Add(ComponentKind.Neck, "reshape_tokens_to_image", b => new ReshapeTokensToImage(
            b.Args.Bool("remove_cls_token"),
            b.Args.IntOrNull("effective_time_dim") ?? b.Input!.Tokens!.Frames,
            b.Args.IntOrNull("h")));
        Add(ComponentKind.Neck, "interpolate_to_pyramidal", b => new InterpolateToPyramidal(b.Args.Int("scale_factor"), b.Args.Name("mode")));
        Add(ComponentKind.Neck, "maxpool_to_pyramidal", b => new MaxpoolToPyramidal(b.Args.Int("kernel_size")));
        Add(ComponentKind.Neck, "learned_interpolate_to_pyramidal", b => new LearnedInterpolateToPyramidal(b.InputChannels));
        Add(ComponentKind.Neck, "add_bottleneck_layer", b => new AddBottleneckLayer(b.InputChannels));
        Add(ComponentKind.Neck, "permute_dims", b => new PermuteDims(b.Args.IntList("new_order")));
        Add(ComponentKind.Neck, "aggregate_tokens", b => new AggregateTokens(b.Args.Name("pooling"), b.Args.Int("index")));

        Add(ComponentKind.Decoder, "fcn", b => new FcnDecoder(b.InputChannels, b.Args.Int("channels"), b.Args.Int("num_convs"), b.Args.Int("in_index")));
        Add(ComponentKind.Decoder, "uper_net", b => new UperNetDecoder(b.InputChannels, b.Args.IntList("pool_scales"), b.Args.Int("channels"), b.Args.Bool("align_corners")));
        Add(ComponentKind.Decoder, "unet", b => new UNetDecoder(b.InputChannels, b.Args.IntList("channels"), b.Args.Bool("use_batchnorm"),
            b.Args.Name("smp_flavor") == "smp05" ? SmpUnetFlavor.Smp05 : SmpUnetFlavor.Smp04));
        Add(ComponentKind.Decoder, "identity", b => new IdentityDecoder(b.InputChannels, b.Args.Int("out_index")));
        Add(ComponentKind.Decoder, "linear", b => new LinearDecoder(b.InputChannels, b.Args.Int("num_classes"), b.Args.Int("upsampling_size"), b.Args.Int("in_index")));

        Add(ComponentKind.Head, "segmentation", b => new SegmentationHead(b.InputChannels[0], b.Args.Int("num_classes"), b.Args.IntListOrNull("channel_list"), b.Args.Double("dropout")));
        Add(ComponentKind.Head, "regression", b => new RegressionHead(b.InputChannels[0], FinalActivation(b.Args.NameOrNull("final_act")),
            b.Args.Int("learned_upscale_layers"), b.Args.IntListOrNull("channel_list"), b.Args.Double("dropout"), b.Args.Int("num_outputs")));
        Add(ComponentKind.Head, "classification", b => new ClassificationHead(b.InputChannels[0], b.Args.Int("num_classes"), b.Args.IntListOrNull("dim_list"),
            b.Args.Double("dropout"), b.Args.Bool("linear_after_pool")));
        return entries;
    }

    /// <summary>The runtime options for a Prithvi encoder the front end resolved.</summary>
    public static PrithviViTOptions PrithviOptions(PrithviArchitecture a) => new()
    {
        InChannels = a.InChannels,
        EmbedDim = a.EmbedDim,
        Depth = a.Depth,
        NumHeads = a.Heads,
        MlpRatio = a.MlpRatio,
        PatchSize = (a.Tubelet, a.Patch, a.Patch),
        NumFrames = a.Frames,
        ImageSize = (a.ImageHeight, a.ImageWidth),
        TimeEncoding = a.TimeEncoding,
        LocationEncoding = a.LocationEncoding,
        CoordsScaleLearn = a.CoordsScaleLearn,
        OutIndices = a.OutIndices.ToArray(),
        DropPath = a.DropPath,
    };

    private static nn.Module<Tensor, Tensor>? FinalActivation(string? name) => name switch
    {
        "relu" => nn.ReLU(),
        "sigmoid" => nn.Sigmoid(),
        "softplus" => nn.Softplus(),
        "tanh" => nn.Tanh(),
        _ => null,
    };
}
