using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Composition.Catalog.Decoders;
using GeoDsl.Composition.Catalog.Heads;
using GeoDsl.Composition.Catalog.Necks;

namespace GeoDsl.Composition.Catalog;

/// <summary>
/// Every component GeoDsl knows, by kind and name: a table, not a switch. Adding a component is adding an
/// entry (and its runtime implementation under the same name).
/// </summary>
public sealed class ComponentCatalog
{
    public static ComponentCatalog Default { get; } = new(
        backbones: BackboneFamilies.All,
        necks: new StageDescriptor[]
        {
            new SelectIndicesNeck(),
            new ReshapeTokensToImageNeck(),
            new InterpolateToPyramidalNeck(),
            new MaxpoolToPyramidalNeck(),
            new LearnedInterpolateToPyramidalNeck(),
            new AddBottleneckLayerNeck(),
            new PermuteDimsNeck(),
            new AggregateTokensNeck(),
        },
        decoders: new DecoderDescriptor[] { new FcnDecoder(), new UperNetDecoder(), new UNetDecoder(), new IdentityDecoder(), new LinearDecoder() },
        heads: new HeadDescriptor[] { new SegmentationHead(), new RegressionHead(), new ClassificationHead() });

    private readonly Dictionary<string, BackboneDescriptor> _backbones;
    private readonly Dictionary<string, StageDescriptor> _necks;
    private readonly Dictionary<string, DecoderDescriptor> _decoders;
    private readonly Dictionary<string, HeadDescriptor> _heads;

    public ComponentCatalog(
        IEnumerable<BackboneDescriptor> backbones,
        IEnumerable<StageDescriptor> necks,
        IEnumerable<DecoderDescriptor> decoders,
        IEnumerable<HeadDescriptor> heads)
    {
        _backbones = backbones.ToDictionary(b => b.Name);
        _necks = necks.ToDictionary(n => n.Name);
        _decoders = decoders.ToDictionary(d => d.Name);
        _heads = heads.ToDictionary(h => h.Name);
    }

    public IReadOnlyCollection<BackboneDescriptor> Backbones => _backbones.Values;

    public IReadOnlyCollection<StageDescriptor> Necks => _necks.Values;

    public IReadOnlyCollection<DecoderDescriptor> Decoders => _decoders.Values;

    public IReadOnlyCollection<HeadDescriptor> Heads => _heads.Values;

    public BackboneDescriptor? FindBackbone(string name) => _backbones.TryGetValue(name, out var d) ? d : null;

    public StageDescriptor? FindNeck(string name) => _necks.TryGetValue(name, out var d) ? d : null;

    public DecoderDescriptor? FindDecoder(string name) => _decoders.TryGetValue(name, out var d) ? d : null;

    public HeadDescriptor? FindHead(string name) => _heads.TryGetValue(name, out var d) ? d : null;

    public ComponentDescriptor? Find(ComponentKind kind, string name) => kind switch
    {
        ComponentKind.Backbone => FindBackbone(name),
        ComponentKind.Neck => FindNeck(name),
        ComponentKind.Decoder => FindDecoder(name),
        _ => FindHead(name),
    };

    public IEnumerable<string> Names(ComponentKind kind) => kind switch
    {
        ComponentKind.Backbone => _backbones.Keys,
        ComponentKind.Neck => _necks.Keys,
        ComponentKind.Decoder => _decoders.Keys,
        _ => _heads.Keys,
    };
}
