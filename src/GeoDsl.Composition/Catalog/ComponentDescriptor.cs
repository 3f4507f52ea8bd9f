using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog;

public enum ComponentKind
{
    Backbone,
    Neck,
    Decoder,
    Head,
}

/// <summary>
/// A catalog entry: its name (TerraTorch's, where it has one), the arguments it accepts, and the rules that
/// derive its output shape and parameter count from its input. One class per component; the registry
/// (<see cref="ComponentCatalog"/>) is a table of instances.
/// </summary>
public abstract class ComponentDescriptor
{
    private readonly IReadOnlyList<ParameterInfo> _ownParameters;
    private IReadOnlyList<ParameterInfo>? _parameters;

    protected ComponentDescriptor(string name, ComponentKind kind, string summary, params ParameterInfo[] parameters)
    {
        Name = name;
        Kind = kind;
        Summary = summary;
        _ownParameters = parameters;
    }

    public string Name { get; }

    public ComponentKind Kind { get; }

    /// <summary>One line for hover text, docs and "known components" lists.</summary>
    public string Summary { get; }

    /// <summary>Its own arguments, then those every component of its kind shares (e.g. <c>temporal_pooling</c>).</summary>
    public IReadOnlyList<ParameterInfo> Parameters => _parameters ??= _ownParameters.Concat(SharedParameters()).ToList();

    protected virtual IEnumerable<ParameterInfo> SharedParameters() => Enumerable.Empty<ParameterInfo>();

    public ParameterInfo? FindParameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);

    /// <summary>"neck 'select_indices'", for messages.</summary>
    public string Title => $"{Kind.ToString().ToLowerInvariant()} '{Name}'";

    public override string ToString() => Title;
}

/// <summary>A backbone: the model input in, features out.</summary>
public abstract class BackboneDescriptor : ComponentDescriptor
{
    protected BackboneDescriptor(string name, string summary, params ParameterInfo[] parameters)
        : base(name, ComponentKind.Backbone, summary, parameters)
    {
    }

    /// <summary>The bands the published weights were trained on, in order (empty for band-agnostic backbones).</summary>
    public abstract IReadOnlyList<string> PretrainedBands { get; }

    /// <summary>
    /// True when loading the weights picks each input band's patch-embedding channel by its name among
    /// <see cref="PretrainedBands"/> (so any order works); false where weights come from wavelengths or per modality.
    /// </summary>
    public virtual bool SelectsPretrainedBandsByName => PretrainedBands.Count > 0;

    /// <summary>
    /// True when the backbone consumes frames itself (Prithvi's tubelets); otherwise it gets <c>temporal_pooling</c>,
    /// TerraTorch's <c>TemporalWrapper</c>: run on each frame, then pool the features.
    /// </summary>
    public virtual bool HandlesFrames => false;

    protected override IEnumerable<ParameterInfo> SharedParameters() =>
        HandlesFrames ? Enumerable.Empty<ParameterInfo>() : new[] { TemporalPooling.Parameter };

    /// <summary>The GeoDsl.Runtime class that implements it (full name), which generated classes expose typed.</summary>
    public abstract string RuntimeType { get; }

    /// <summary>The image size the backbone was pretrained at (the default input size).</summary>
    public abstract int DefaultImageSize { get; }

    /// <summary>The multiple the model pads the input height and width to.</summary>
    public abstract int PaddingMultiple(ArgumentList args);

    public abstract FeatureShape? Infer(InputSpec input, ArgumentList args, ShapeContext context);

    public abstract long CountParameters(InputSpec input, ArgumentList args);

    /// <summary>Saved activations per sample for the backward pass, and transient inference memory.</summary>
    public abstract ActivationEstimate EstimateActivations(InputSpec input, ArgumentList args, FeatureShape output, ActivationSettings settings);
}

/// <summary>A neck, decoder or head: features in, features out.</summary>
public abstract class StageDescriptor : ComponentDescriptor
{
    protected StageDescriptor(string name, ComponentKind kind, string summary, params ParameterInfo[] parameters)
        : base(name, kind, summary, parameters)
    {
    }

    /// <summary>The kinds of features it takes (shape inference checks this before <see cref="Infer"/>).</summary>
    public virtual IReadOnlyList<FeatureKind> Accepts { get; } = new[] { FeatureKind.Maps };

    /// <summary>The kind of features it gives; null when it gives the kind it received.</summary>
    public virtual FeatureKind? Produces => FeatureKind.Maps;

    /// <summary>The output shape, or null after reporting why the input does not fit. The input's kind is one it accepts.</summary>
    public abstract FeatureShape? Infer(FeatureShape input, ArgumentList args, ShapeContext context);

    public abstract long CountParameters(FeatureShape input, ArgumentList args);

    public virtual ActivationEstimate EstimateActivations(FeatureShape input, FeatureShape output, ArgumentList args, ActivationSettings settings) =>
        ActivationEstimate.None;
}
