using System;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Heads;

/// <summary>
/// An auxiliary prediction branch: a decoder and its head over the same neck features as the main decoder.
/// TerraTorch (<c>terratorch/models/pixel_wise_model.py</c>) builds each as <c>nn.Sequential(decoder, head)</c> in the
/// <c>aux_heads</c> ModuleDict, so the keys are <c>aux_heads.&lt;name&gt;.0.*</c> (decoder) and
/// <c>aux_heads.&lt;name&gt;.1.*</c> (head); children here are named "0" and "1" to match.
/// </summary>
/// <remarks>
/// TerraTorch gives an aux head the main model's <c>head_*</c> arguments (its own <c>head_*</c> in
/// <c>decoder_args</c> are parsed and dropped) and never sets <c>decoder_includes_head</c>, so a head-including aux
/// decoder gets a second head. Here the caller passes the head it means, and a decoder that includes its head
/// takes none.
/// </remarks>
public sealed class AuxiliaryHead : nn.Module<MapFeatures, Tensor>
{
    private readonly Decoder decoder;
    private readonly Head? head;

    public AuxiliaryHead(string name, Decoder decoder, Head? head) : base(name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("An auxiliary head needs a name (the key of its auxiliary loss).", nameof(name));
        }

        if (decoder.IncludesHead && head is not null)
        {
            throw new ArgumentException($"Auxiliary head '{name}': {decoder.GetName()} already includes a head; pass none.", nameof(head));
        }

        if (!decoder.IncludesHead && head is null)
        {
            throw new ArgumentException($"Auxiliary head '{name}': {decoder.GetName()} needs a head.", nameof(head));
        }

        Name = name;
        this.decoder = decoder;
        this.head = head;
        register_module("0", decoder);
        if (head is not null)
        {
            register_module("1", head);
        }
    }

    /// <summary>The key of this head in <c>aux_heads</c> and in the auxiliary losses.</summary>
    public string Name { get; }

    public Decoder Decoder => decoder;

    public Head? Head => head;

    // The children are registered by hand as "0" and "1"; the reflective registration (which a parent module
    // triggers on children that have not run it) would add them a second time under their field names.
    protected override void RegisterComponents()
    {
    }

    public override Tensor forward(MapFeatures input)
    {
        if (head is null)
        {
            return decoder.forward(input);
        }

        using var decoded = decoder.forward(input);
        return head.forward(decoded);
    }
}
