using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Heads;

/// <summary>
/// Per-pixel regression: [PixelShuffle ×2 upscales] → [Conv3×3 (no bias) + BN + ReLU per <c>channel_list</c> entry]
/// → Dropout2d → Conv1×1 (→ num_outputs) → final activation. TerraTorch: <c>RegressionHead</c> in
/// <c>terratorch/models/heads/regression_head.py</c>. The <c>head</c> Sequential only holds the stages present, so
/// its indices shift: with both stages the keys are <c>head.0.I.{conv,bn}.*</c>, <c>head.1.J.{0,1}.*</c>,
/// <c>head.3.*</c>; with neither, <c>head.1.*</c>.
/// </summary>
/// <remarks>TerraTorch's <c>batch_norm</c> argument is unused there and is not offered here.</remarks>
public sealed class RegressionHead : Head
{
    private const string Component = "RegressionHead";

    private readonly Sequential head;
    private readonly nn.Module<Tensor, Tensor> final_act;

    /// <param name="in_channels">Channels of the decoder output.</param>
    /// <param name="final_act">Activation after the last conv (e.g. <see cref="Activation(string)"/>); identity when null.</param>
    /// <param name="learned_upscale_layers">Number of PixelShuffle ×2 upscale blocks.</param>
    /// <param name="channel_list">Widths of the Conv3×3+BN+ReLU blocks.</param>
    /// <param name="dropout">Dropout2d probability.</param>
    /// <param name="num_outputs">Regression targets per pixel (newer TerraTorch; 1 before).</param>
    public RegressionHead(
        int in_channels,
        nn.Module<Tensor, Tensor>? final_act = null,
        int learned_upscale_layers = 0,
        IReadOnlyList<int>? channel_list = null,
        double dropout = 0,
        int num_outputs = 1)
        : base(Component)
    {
        if (learned_upscale_layers < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(learned_upscale_layers), learned_upscale_layers, $"{Component}: learned_upscale_layers must be ≥ 0.");
        }

        InChannels = in_channels;
        LearnedUpscaleLayers = learned_upscale_layers;
        ChannelList = channel_list?.ToArray();
        NumOutputs = num_outputs;

        var stages = new List<nn.Module<Tensor, Tensor>>();
        if (learned_upscale_layers != 0)
        {
            stages.Add(nn.Sequential(Enumerable.Range(0, learned_upscale_layers)
                .Select(_ => (nn.Module<Tensor, Tensor>)new PixelShuffleUpscale(in_channels))
                .ToArray()));
        }

        var last = in_channels;
        if (channel_list is not null)
        {
            var widths = new[] { in_channels }.Concat(channel_list).ToArray();
            stages.Add(nn.Sequential(Enumerable.Range(0, widths.Length - 1)
                .Select(i => (nn.Module<Tensor, Tensor>)nn.Sequential(
                    nn.Conv2d(widths[i], widths[i + 1], 3, padding: 1, bias: false),
                    nn.BatchNorm2d(widths[i + 1]),
                    nn.ReLU()))
                .ToArray()));
            last = widths[^1];
        }

        stages.Add(nn.Dropout2d(dropout));
        stages.Add(nn.Conv2d(last, num_outputs, 1));
        head = nn.Sequential(stages.ToArray());
        this.final_act = final_act ?? nn.Identity();
        RegisterComponents();
    }

    public int InChannels { get; }

    public int LearnedUpscaleLayers { get; }

    public IReadOnlyList<int>? ChannelList { get; }

    public int NumOutputs { get; }

    /// <summary>
    /// The activation TerraTorch builds from a <c>final_act</c> class path such as <c>"torch.nn.ReLU"</c>
    /// (the module prefix is optional). Covers the parameter-free torch.nn activations.
    /// </summary>
    public static nn.Module<Tensor, Tensor> Activation(string final_act)
    {
        var name = final_act[(final_act.LastIndexOf('.') + 1)..];
        return name switch
        {
            "ReLU" => nn.ReLU(),
            "Sigmoid" => nn.Sigmoid(),
            "Tanh" => nn.Tanh(),
            "Softplus" => nn.Softplus(),
            "GELU" => nn.GELU(),
            "SiLU" => nn.SiLU(),
            "ELU" => nn.ELU(),
            "LeakyReLU" => nn.LeakyReLU(),
            "Identity" => nn.Identity(),
            _ => throw new ArgumentException($"{Component}: final_act '{final_act}' is not a supported torch.nn activation.", nameof(final_act)),
        };
    }

    /// <summary>
    /// Closed-form parameter count: per upscale 9·C·4C + 4C (conv) + 2C (BN); per block 9·Cin·Cout + 2·Cout;
    /// then Clast·O + O.
    /// </summary>
    public static long ParameterCount(int inChannels, int learnedUpscaleLayers = 0, IReadOnlyList<int>? channelList = null, int numOutputs = 1)
    {
        long c = inChannels;
        var upscale = learnedUpscaleLayers * ((9 * c * 4 * c) + (4 * c) + (2 * c));
        var widths = new[] { inChannels }.Concat(channelList ?? []).ToArray();
        var blocks = Enumerable.Range(0, widths.Length - 1).Sum(i => (9L * widths[i] * widths[i + 1]) + (2L * widths[i + 1]));
        return upscale + blocks + ((long)widths[^1] * numOutputs) + numOutputs;
    }

    public override Tensor forward(Tensor input)
    {
        FeatureChecks.RequireMap(Component, input, InChannels);
        using var output = head.forward(input);
        return final_act.forward(output);
    }

    /// <summary>TerraTorch's <c>PixelShuffleUpscale</c>: Conv3×3 (C → 4C, bias) → PixelShuffle(2) → BN(C) → ReLU.</summary>
    private sealed class PixelShuffleUpscale : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d conv;
        private readonly PixelShuffle upscale;
        private readonly BatchNorm2d bn;
        private readonly ReLU relu;

        public PixelShuffleUpscale(int channels) : base(nameof(PixelShuffleUpscale))
        {
            conv = nn.Conv2d(channels, channels * 2 * 2, 3, stride: 1, padding: 1);
            upscale = nn.PixelShuffle(2);
            bn = nn.BatchNorm2d(channels);
            relu = nn.ReLU();
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var convolved = conv.forward(input);
            using var shuffled = upscale.forward(convolved);
            using var normed = bn.forward(shuffled);
            return relu.forward(normed);
        }
    }
}
