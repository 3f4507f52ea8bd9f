using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Heads;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Composition;

/// <summary>A model's prediction and those of its auxiliary heads, at the input's size.</summary>
public sealed class ModelOutput
{
    public ModelOutput(Tensor output, IReadOnlyDictionary<string, Tensor> auxiliary)
    {
        Output = output;
        Auxiliary = auxiliary;
    }

    /// <summary>[B, K, H, W] for segmentation, [B, H, W] for single-output regression, [B, K] for classification.</summary>
    public Tensor Output { get; }

    public IReadOnlyDictionary<string, Tensor> Auxiliary { get; }
}

/// <summary>The sizes a forward pass works with: the caller's image and the padded one the backbone sees.</summary>
public readonly record struct ImageSizes((long Height, long Width) Original, (long Height, long Width) Padded);

/// <summary>
/// A model composed from a <see cref="ModelSpec"/>: TerraTorch's pixel-wise (or scalar-output) model with the same
/// module names, so its state dict matches TerraTorch's: <c>encoder.*</c>, <c>neck.N.*</c>, <c>decoder.*</c>,
/// <c>head.*</c>, <c>aux_heads.NAME.0/1.*</c>. Generated model classes derive from it and add typed stages;
/// tools that read a <c>.geomodel</c> file at run time use it directly. Both build the same modules.
/// </summary>
public class GeoModel : nn.Module<BackboneInput, ModelOutput>
{
    private readonly nn.Module _encoder;
    private readonly nn.Module? _neck;
    private readonly List<nn.Module> _necks = new();
    private readonly Decoder _decoder;
    private readonly Head? _head;
    private readonly nn.Module? _auxiliaryHeads;
    private readonly List<AuxiliaryHead> _auxiliary = new();
    private readonly int _paddingMultiple;

    public GeoModel(ModelSpec spec, ComponentRegistry? registry = null)
        : this(spec, registry ?? ComponentRegistry.Default, ComponentCatalog.Default)
    {
    }

    /// <summary>A model that uses custom components: their catalog entries and factories come from <paramref name="custom"/>.</summary>
    public GeoModel(ModelSpec spec, Custom.CustomComponentSet custom)
        : this(spec, custom.Registry, custom.Catalog)
    {
    }

    protected GeoModel(ModelSpec spec, ComponentRegistry registry, ComponentCatalog catalog)
        : base(spec.Name)
    {
        Spec = spec;
        Shapes = InferShapes(spec, catalog);
        var stages = Shapes.Stages.ToDictionary(s => s.Path);
        var backbone = catalog.FindBackbone(spec.Backbone.Name)!;
        _paddingMultiple = backbone.PaddingMultiple(spec.Backbone.Args);

        // A single-image backbone over several frames is built for one frame and wrapped (TerraTorch's TemporalWrapper).
        var args = spec.Backbone.Args;
        var perFrame = spec with { Input = TemporalPooling.InnerInput(backbone, spec.Input, args) };
        _encoder = registry.Build(ComponentKind.Backbone, new ComponentBuild(backbone, args, null, perFrame));
        if (TemporalPooling.Of(backbone, args) is var pooling && pooling != TemporalPooling.None)
        {
            _encoder = GeoDsl.Runtime.Backbones.TemporalWrapping.Wrap(_encoder, pooling, spec.Input.Frames);
        }

        register_module("encoder", _encoder);

        for (int i = 0; i < spec.Necks.Count; i++)
        {
            var stage = stages[$"neck[{i}]"];
            _necks.Add(registry.Build(ComponentKind.Neck, new ComponentBuild(stage.Descriptor, spec.Necks[i].Args, stage.Input, spec)));
        }

        if (_necks.Count > 0)
        {
            _neck = new NeckStack(_necks);
            register_module("neck", _neck);
        }

        var decoderStage = stages["decoder"];
        _decoder = (Decoder)registry.Build(ComponentKind.Decoder, new ComponentBuild(decoderStage.Descriptor, spec.Decoder.Args, decoderStage.Input, spec));
        register_module("decoder", _decoder);

        if (spec.Head is { } head && stages.TryGetValue("head", out var headStage))
        {
            _head = (Head)registry.Build(ComponentKind.Head, new ComponentBuild(headStage.Descriptor, head.Args, headStage.Input, spec));
            register_module("head", _head);
        }

        if (spec.AuxiliaryHeads.Count > 0)
        {
            var dictionary = nn.ModuleDict<nn.Module>();
            foreach (var auxiliary in spec.AuxiliaryHeads)
            {
                string path = $"aux_head[{auxiliary.Name}]";
                var auxDecoderStage = stages[path + ".decoder"];
                var auxDecoder = (Decoder)registry.Build(ComponentKind.Decoder,
                    new ComponentBuild(auxDecoderStage.Descriptor, auxiliary.Decoder.Args, auxDecoderStage.Input, spec));
                Head? auxHead = stages.TryGetValue(path + ".head", out var auxHeadStage)
                    ? (Head)registry.Build(ComponentKind.Head, new ComponentBuild(auxHeadStage.Descriptor, auxiliary.Head.Args, auxHeadStage.Input, spec))
                    : null;
                var module = new AuxiliaryHead(auxiliary.Name, auxDecoder, auxHead);
                _auxiliary.Add(module);
                dictionary.Add((auxiliary.Name, module));
            }

            _auxiliaryHeads = dictionary;
            register_module("aux_heads", _auxiliaryHeads);
        }
    }

    public ModelSpec Spec { get; }

    /// <summary>The front end's shapes for this model, stage by stage.</summary>
    public InferredShapes Shapes { get; }

    public nn.Module Encoder => _encoder;

    public IReadOnlyList<nn.Module> Necks => _necks;

    public Decoder Decoder => _decoder;

    public Head? Head => _head;

    public IReadOnlyList<AuxiliaryHead> AuxiliaryHeads => _auxiliary;

    /// <summary>
    /// Loads published backbone weights (a .safetensors file, a sharded index or a folder), re-selected for this
    /// model's bands. Nothing is downloaded: <c>pretrained = true</c> in a model means "load these before training".
    /// </summary>
    public GeoDsl.Runtime.Weights.LoadReport LoadPretrainedBackbone(string path,
        GeoDsl.Runtime.Weights.NewBandInitialization newBands = GeoDsl.Runtime.Weights.NewBandInitialization.MeanOfPretrained)
    {
        var descriptor = ComponentCatalog.Default.FindBackbone(Spec.Backbone.Name)
            ?? throw new InvalidOperationException($"Backbone '{Spec.Backbone.Name}' is not in the catalog.");
        return PretrainedLoaders.Load(_encoder, new PretrainedLoad(path, Spec.Input.Bands.ToList(), descriptor.PretrainedBands, newBands), Spec.Backbone.Name);
    }

    /// <summary>Runs the model on pixels [B, C, H, W] or [B, C, T, H, W].</summary>
    public ModelOutput Predict(Tensor pixels) => call(new BackboneInput(pixels));

    public override ModelOutput forward(BackboneInput input)
    {
        var (padded, sizes) = Prepare(input);
        var features = ((IBackbone)_encoder).Encode(padded);
        foreach (var neck in _necks)
        {
            features = ((INeck)neck).Apply(features, sizes.Padded);
        }

        if (features is not MapFeatures maps)
        {
            throw new InvalidOperationException($"{Spec.Name}: the decoder needs channel-first maps but the necks give {features.GetType().Name}.");
        }

        return Finish(maps, sizes);
    }

    /// <summary>
    /// Checks the input against the declared layout and pads height and width (by reflection) to the multiple the
    /// backbone needs, as TerraTorch's <c>pad_images</c> does.
    /// </summary>
    protected (BackboneInput Padded, ImageSizes Sizes) Prepare(BackboneInput input)
    {
        var pixels = input.Pixels;
        var shape = pixels.shape;
        var declared = Spec.Input;
        bool channelsFit = shape.Length is 4 or 5 && shape[1] == declared.Channels;
        bool framesFit = shape.Length == 4 ? declared.Frames == 1 : shape[2] == declared.Frames;
        if (!channelsFit || !framesFit)
        {
            string expected = declared.Frames == 1
                ? $"[B, {declared.Channels}, H, W] or [B, {declared.Channels}, 1, H, W]"
                : $"[B, {declared.Channels}, {declared.Frames}, H, W]";
            throw new ArgumentException(
                $"{Spec.Name} expects pixels {expected} with bands {string.Join(", ", declared.Bands)}; got [{string.Join(", ", shape)}].",
                nameof(input));
        }

        long height = shape[shape.Length - 2];
        long width = shape[shape.Length - 1];
        long paddedHeight = RoundUp(height, _paddingMultiple);
        long paddedWidth = RoundUp(width, _paddingMultiple);
        var sizes = new ImageSizes((height, width), (paddedHeight, paddedWidth));
        if (paddedHeight == height && paddedWidth == width)
        {
            return (input, sizes);
        }

        // Reflection padding works on 4-D tensors: fold frames into channels around it.
        var folded = shape.Length == 5 ? pixels.reshape(shape[0], shape[1] * shape[2], height, width) : pixels;
        var paddedPixels = nn.functional.pad(folded, new[] { 0L, paddedWidth - width, 0L, paddedHeight - height }, PaddingModes.Reflect);
        if (shape.Length == 5)
        {
            paddedPixels = paddedPixels.reshape(shape[0], shape[1], shape[2], paddedHeight, paddedWidth);
        }

        return (new BackboneInput(paddedPixels, input.TemporalCoords, input.LocationCoords), sizes);
    }

    /// <summary>Decoder, head and auxiliary heads on the neck output, each prediction resized to the input and cropped.</summary>
    protected ModelOutput Finish(MapFeatures features, ImageSizes sizes)
    {
        var decoded = _decoder.call(features);
        var output = Resize(_head is null ? decoded : _head.call(decoded), sizes);
        var auxiliary = new Dictionary<string, Tensor>();
        foreach (var head in _auxiliary)
        {
            auxiliary[head.Name] = Resize(head.call(features), sizes);
        }

        return new ModelOutput(output, auxiliary);
    }

    /// <summary>
    /// TerraTorch rescales pixel-wise predictions bilinearly to the padded input and crops to the original size; a
    /// single-channel prediction loses its channel dimension. Vectors (classification) pass through.
    /// </summary>
    protected static Tensor Resize(Tensor prediction, ImageSizes sizes)
    {
        if (prediction.dim() != 4)
        {
            return prediction;
        }

        var result = prediction;
        if (prediction.shape[2] != sizes.Padded.Height || prediction.shape[3] != sizes.Padded.Width)
        {
            result = nn.functional.interpolate(prediction, new[] { sizes.Padded.Height, sizes.Padded.Width }, mode: InterpolationMode.Bilinear, align_corners: false);
        }

        if (sizes.Padded != sizes.Original)
        {
            result = result[.., .., ..(int)sizes.Original.Height, ..(int)sizes.Original.Width];
        }

        return result.shape[1] == 1 ? result.squeeze(1) : result;
    }

    // Children are registered explicitly under TerraTorch's names; the default would add them again under field names.
    protected override void RegisterComponents()
    {
    }

    private static InferredShapes InferShapes(ModelSpec spec, ComponentCatalog catalog)
    {
        var text = new GeoDsl.Composition.Text.SourceText(string.Empty);
        var sink = new GeoDsl.Composition.Diagnostics.DiagnosticSink("<" + spec.Name + ">", text);
        var shapes = new ShapeInference(catalog).Infer(spec, new GeoDsl.Composition.Binding.SpecLocations(), sink);
        if (!shapes.Complete)
        {
            throw new ArgumentException($"Model '{spec.Name}' is not valid: " + string.Join("; ", sink.Diagnostics.Select(d => d.Id + ": " + d.Message)), nameof(spec));
        }

        return shapes;
    }

    private static long RoundUp(long value, long multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>The necks under <c>neck</c>, named 0, 1, … as TerraTorch's <c>NeckSequential</c> names them.</summary>
    private sealed class NeckStack : nn.Module
    {
        public NeckStack(IReadOnlyList<nn.Module> necks)
            : base("neck")
        {
            for (int i = 0; i < necks.Count; i++)
            {
                register_module(i.ToString(System.Globalization.CultureInfo.InvariantCulture), necks[i]);
            }
        }

        protected override void RegisterComponents()
        {
        }
    }
}
