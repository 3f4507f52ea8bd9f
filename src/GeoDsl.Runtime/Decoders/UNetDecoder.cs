using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Decoders;

/// <summary>
/// Which segmentation_models_pytorch (smp) <c>UnetDecoder</c> the weights come from. The two differ in one state-dict
/// detail and in the last block's output size, so a checkpoint must be loaded with the flavour it was trained with.
/// </summary>
public enum SmpUnetFlavor
{
    /// <summary>
    /// smp ≥ 0.5, which current TerraTorch needs (it passes <c>use_norm</c>): every Conv3×3 keeps its bias next to
    /// BatchNorm (<c>conv1.0.bias</c> exists), and block i resizes (nearest) to the size of the next finer map, so the
    /// last block, which has no skip, ends at the first map's size (no ×2).
    /// </summary>
    Smp05,

    /// <summary>
    /// smp ≤ 0.4 (TerraTorch 1.0.x pins <c>segmentation-models-pytorch&lt;=0.4.0</c>): Conv3×3 without bias when
    /// BatchNorm follows, and every block upsamples ×2 (nearest), padding to the skip if sizes differ; the output is
    /// twice the first map's size.
    /// </summary>
    Smp04,
}

/// <summary>
/// UNet decoder over a pyramid of n maps (finest first, each half the previous size). TerraTorch's
/// <c>UNetDecoder</c> (<c>terratorch/models/decoders/unet_decoder.py</c>) wraps smp's <c>UnetDecoder</c> as
/// <c>decoder</c> with <c>encoder_channels = [C0, *C]</c> and duplicates map 0, because smp drops its first feature.
/// Block i: resize → concat skip → Conv3×3+BN+ReLU (<c>conv1.0/1</c>) → Conv3×3+BN+ReLU (<c>conv2.0/1</c>);
/// keys <c>decoder.blocks.I.conv1.0.weight</c>, <c>decoder.blocks.I.conv1.1.{weight,bias,running_mean,...}</c>, ...
/// (smp <c>decoders/unet/decoder.py</c>, <c>base/modules.py</c> <c>Conv2dReLU</c>).
/// </summary>
/// <remarks>
/// smp's <c>attention_type</c> ("scse") and center block are not offered: TerraTorch passes
/// <c>add_center_block=False</c> and defaults to no attention, and neither has weights then.
/// </remarks>
public sealed class UNetDecoder : Decoder
{
    private const string Component = "UNetDecoder";

    private readonly SmpUnet decoder;
    private readonly int[] embedDim;

    public UNetDecoder(IReadOnlyList<int> embed_dim, IReadOnlyList<int> channels, bool use_batchnorm = true, SmpUnetFlavor flavor = SmpUnetFlavor.Smp05)
        : base(Component)
    {
        if (embed_dim.Count != channels.Count)
        {
            throw new ArgumentException(
                $"{Component}: channels {FeatureChecks.Describe(channels)} should have the same length as embed_dim "
                + $"{FeatureChecks.Describe(embed_dim)} ({channels.Count} ≠ {embed_dim.Count}).",
                nameof(channels));
        }

        if (embed_dim.Count == 0)
        {
            throw new ArgumentException($"{Component} needs at least one input map.", nameof(embed_dim));
        }

        embedDim = embed_dim.ToArray();
        Channels = channels.ToArray();
        UseBatchnorm = use_batchnorm;
        Flavor = flavor;
        decoder = new SmpUnet(embedDim, Channels, use_batchnorm, flavor);
        RegisterComponents();
    }

    public IReadOnlyList<int> EmbedDim => embedDim;

    public IReadOnlyList<int> Channels { get; }

    public bool UseBatchnorm { get; }

    public SmpUnetFlavor Flavor { get; }

    public override int OutChannels => Channels[^1];

    /// <summary>Closed-form parameter count from the block shapes (see <see cref="BlockShapes"/>).</summary>
    public static long ParameterCount(IReadOnlyList<int> embedDim, IReadOnlyList<int> channels, bool useBatchnorm = true, SmpUnetFlavor flavor = SmpUnetFlavor.Smp05)
    {
        var convBias = !useBatchnorm || flavor == SmpUnetFlavor.Smp05;
        long Conv(long cin, long cout) => (9 * cin * cout) + (convBias ? cout : 0) + (useBatchnorm ? 2 * cout : 0);
        return BlockShapes(embedDim, channels).Sum(b => Conv(b.In + b.Skip, b.Out) + Conv(b.Out, b.Out));
    }

    /// <summary>
    /// Input, skip and output channels of each block, as smp derives them from <c>encoder_channels = [C0, *C]</c>:
    /// in = [C_last, ch_0 .. ch_{n−2}], skip = [C_{n−2} .. C_0, 0], out = channels.
    /// </summary>
    public static IReadOnlyList<(int In, int Skip, int Out)> BlockShapes(IReadOnlyList<int> embedDim, IReadOnlyList<int> channels)
    {
        var n = embedDim.Count;
        return Enumerable.Range(0, n)
            .Select(i => (i == 0 ? embedDim[n - 1] : channels[i - 1], i < n - 1 ? embedDim[n - 2 - i] : 0, channels[i]))
            .ToArray();
    }

    public override Tensor forward(MapFeatures input)
    {
        FeatureChecks.RequireChannels(Component, input, embedDim);
        return decoder.forward(input);
    }

    /// <summary>smp's <c>UnetDecoder</c>: only <c>blocks</c> carries weights (center and attention are identities).</summary>
    private sealed class SmpUnet : nn.Module<MapFeatures, Tensor>
    {
        private readonly ModuleList<UnetBlock> blocks;

        public SmpUnet(int[] embedDim, IReadOnlyList<int> channels, bool useBatchnorm, SmpUnetFlavor flavor) : base("UnetDecoder")
        {
            blocks = new ModuleList<UnetBlock>(BlockShapes(embedDim, channels)
                .Select(b => new UnetBlock(b.In, b.Skip, b.Out, useBatchnorm, flavor))
                .ToArray());
            RegisterComponents();
            InitializeLikeSmp();
        }

        public override Tensor forward(MapFeatures input)
        {
            // TerraTorch feeds smp [x0, x0, x1, ..]; smp drops the first, reverses, and takes the coarsest as head.
            var n = input.Count;
            var x = input[n - 1];
            for (var i = 0; i < blocks.Count; i++)
            {
                var skip = i < n - 1 ? input[n - 2 - i] : null;

                // smp ≥ 0.5 resizes to the next map in [x0, x0, x1, ..] reversed: the skip's size, or x0's for the last block.
                var target = skip ?? input[0];
                var next = blocks[i].Forward(x, skip, target.shape[2], target.shape[3]);
                if (i > 0)
                {
                    x.Dispose();
                }

                x = next;
            }

            return x;
        }

        // smp's initialize_decoder: Kaiming-uniform (fan_in, relu) convs with zero bias, BatchNorm weight 1 / bias 0.
        private void InitializeLikeSmp()
        {
            using var noGrad = torch.no_grad();
            foreach (var (_, module) in named_modules())
            {
                switch (module)
                {
                    case Conv2d conv:
                        nn.init.kaiming_uniform_(conv.weight, mode: nn.init.FanInOut.FanIn, nonlinearity: nn.init.NonlinearityType.ReLU);
                        if (conv.bias is { } bias)
                        {
                            nn.init.zeros_(bias);
                        }

                        break;
                    case BatchNorm2d norm:
                        nn.init.ones_(norm.weight);
                        nn.init.zeros_(norm.bias);
                        break;
                }
            }
        }
    }

    /// <summary>smp's <c>UnetDecoderBlock</c>: <c>conv1</c> and <c>conv2</c> are Conv2dReLU sequentials (conv, norm, relu).</summary>
    private sealed class UnetBlock : nn.Module
    {
        private readonly Sequential conv1;
        private readonly Sequential conv2;
        private readonly SmpUnetFlavor flavor;

        public UnetBlock(int inChannels, int skipChannels, int outChannels, bool useBatchnorm, SmpUnetFlavor flavor) : base("UnetDecoderBlock")
        {
            this.flavor = flavor;
            conv1 = Conv2dReLU(inChannels + skipChannels, outChannels, useBatchnorm, flavor);
            conv2 = Conv2dReLU(outChannels, outChannels, useBatchnorm, flavor);
            RegisterComponents();
        }

        public Tensor Forward(Tensor x, Tensor? skip, long targetHeight, long targetWidth)
        {
            Tensor up;
            if (flavor == SmpUnetFlavor.Smp05)
            {
                up = nn.functional.interpolate(x, size: [targetHeight, targetWidth], mode: InterpolationMode.Nearest);
            }
            else
            {
                up = nn.functional.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest);
                if (skip is not null && (skip.shape[2] != up.shape[2] || skip.shape[3] != up.shape[3]))
                {
                    var dy = skip.shape[2] - up.shape[2];
                    var dx = skip.shape[3] - up.shape[3];
                    using var unpadded = up;
                    up = nn.functional.pad(unpadded, [dx / 2, dx - (dx / 2), dy / 2, dy - (dy / 2)]);
                }
            }

            using var merged = skip is null ? up : torch.cat([up, skip], 1);
            if (skip is not null)
            {
                up.Dispose();
            }

            using var first = conv1.forward(merged);
            return conv2.forward(first);
        }

        private static Sequential Conv2dReLU(int cin, int cout, bool useBatchnorm, SmpUnetFlavor flavor)
        {
            // smp ≤ 0.4: bias = not use_batchnorm; smp ≥ 0.5: bias unless the norm is "inplace" (never, here).
            var bias = !useBatchnorm || flavor == SmpUnetFlavor.Smp05;
            nn.Module<Tensor, Tensor> norm = useBatchnorm ? nn.BatchNorm2d(cout) : nn.Identity();
            return nn.Sequential(nn.Conv2d(cin, cout, 3, padding: 1, bias: bias), norm, nn.ReLU());
        }
    }
}
