using GeoDsl.Runtime.Decoders;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Heads;
using TorchSharp;
using TorchSharp.Modules;
using static GeoDsl.Runtime.Tests.Support.ModuleInspection;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Heads;

// Reference: terratorch/models/pixel_wise_model.py — aux_heads = nn.ModuleDict({name: nn.Sequential(decoder, head)}).
public sealed class AuxiliaryHeadTests
{
    /// <summary>Stand-in for the model that holds auxiliary heads under <c>aux_heads</c>.</summary>
    private sealed class Holder : nn.Module
    {
        private readonly ModuleDict<AuxiliaryHead> aux_heads = new();

        public Holder(AuxiliaryHead head) : base(nameof(Holder))
        {
            aux_heads.Add(head.Name, head);
            RegisterComponents();
        }
    }

    [Fact]
    public void Its_decoder_and_head_sit_at_0_and_1_under_the_aux_heads_name()
    {
        // The Sen1Floods11 aux head at small widths: FCNDecoder (channels, 2 convs) + SegmentationHead.
        var aux = new AuxiliaryHead("aux_head", new FcnDecoder([8], channels: 4, num_convs: 2), new SegmentationHead(4, 2, dropout: 0.1));
        using var holder = new Holder(aux);

        AssertStateDict(holder,
        [
            .. Layer("aux_heads.aux_head.0.convs.0.0", [8, 4, 2, 2], 4),
            .. Layer("aux_heads.aux_head.0.convs.0.1", [4, 4, 3, 3], 4),
            .. Layer("aux_heads.aux_head.0.convs.0.2.ln", [4], 4),
            .. Layer("aux_heads.aux_head.0.convs.1.0", [4, 4, 2, 2], 4),
            .. Layer("aux_heads.aux_head.0.convs.1.1", [4, 4, 3, 3], 4),
            .. Layer("aux_heads.aux_head.0.convs.1.2.ln", [4], 4),
            .. Layer("aux_heads.aux_head.1.head.2", [2, 4, 1, 1], 2),
        ]);
    }

    [Fact]
    public void It_runs_the_decoder_then_the_head()
    {
        using var aux = new AuxiliaryHead("aux", new FcnDecoder([8], channels: 4, num_convs: 2), new SegmentationHead(4, 3));

        Assert.Equal([2L, 3, 16, 16], aux.forward(new MapFeatures(torch.randn(2, 8, 4, 4))).shape);
    }

    [Fact]
    public void A_decoder_that_includes_its_head_takes_no_second_head()
    {
        var error = Assert.Throws<ArgumentException>(() => new AuxiliaryHead("aux", new LinearDecoder([8], 2, 4), new SegmentationHead(2, 2)));
        Assert.Contains("already includes a head", error.Message);

        using var ok = new AuxiliaryHead("aux", new LinearDecoder([8], 2, 4), null);
        AssertStateDict(ok, Layer("0.conv", [8, 2, 4, 4], 2));
    }

    [Fact]
    public void A_decoder_without_a_head_needs_one()
        => Assert.Contains("needs a head", Assert.Throws<ArgumentException>(() => new AuxiliaryHead("aux", new IdentityDecoder([8]), null)).Message);
}
