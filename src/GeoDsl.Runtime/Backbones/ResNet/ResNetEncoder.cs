using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Features;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.ResNet;

/// <summary>
/// torchvision's ResNet (pytorch/vision <c>torchvision/models/resnet.py</c>, the layout timm's <c>ResNet</c> and so
/// torchgeo's and TerraTorch's ResNets share) as a multi-scale feature extractor. State-dict keys are torchvision's:
/// <c>conv1</c>, <c>bn1</c>, <c>layer{1-4}.{i}.conv1/bn1/conv2/bn2(/conv3/bn3)</c>, <c>layer{1-4}.0.downsample.0/1</c>,
/// and <c>fc</c> when built with classes, so torchvision, timm and torchgeo checkpoints load by name.
/// </summary>
/// <remarks>
/// Output: the levels of timm's <c>forward_intermediates</c> (timm/models/resnet.py), channel-first: 0 = the stem after
/// its ReLU (before the max-pool; stride 2, <see cref="ResNetOptions.BaseWidth"/> channels), 1..4 = layer1..layer4
/// (strides 4, 8, 16, 32). Stages after the last selected level are skipped. Any H and W work; level k is ⌈H/2^(k+1)⌉
/// high, as the convolutions round up. With <see cref="ResNetOptions.MultiImage"/>, pixels [B, C, T, H, W] are encoded
/// as B·T images and each level is max-pooled over T.
/// </remarks>
public sealed class ResNetEncoder : Backbone<MapFeatures>
{
    // Field names are the state-dict names (RegisterComponents derives them from fields).
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly Linear? fc;

    private readonly int[] outIndices;
    private readonly string displayName;

    /// <param name="options">Architecture; validated here.</param>
    /// <param name="name">Name used in messages, e.g. the catalog entry <c>resnet50</c>.</param>
    /// <param name="device">Where to create weights; <c>torch.META</c> builds the structure without memory (for counting).</param>
    /// <param name="dtype">Weight element type; null = the default dtype.</param>
    public ResNetEncoder(ResNetOptions options, string name = "resnet", Device? device = null, ScalarType? dtype = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        displayName = name;
        outIndices = options.ResolvedOutIndices.ToArray();

        // Stem: 7×7 stride-2 convolution without bias (its batch norm has the bias), as in torchvision.
        conv1 = nn.Conv2d(options.InChannels, options.BaseWidth, 7, stride: 2, padding: 3, bias: false, device: device, dtype: dtype);
        bn1 = nn.BatchNorm2d(options.BaseWidth, eps: 1e-5, momentum: 0.1, device: device, dtype: dtype);

        int totalBlocks = options.Layers.Sum();
        int blockIndex = 0;
        long inChannels = options.BaseWidth;
        var stages = new Sequential[4];
        for (int stage = 1; stage <= 4; stage++)
        {
            var blocks = new nn.Module<Tensor, Tensor>[options.Layers[stage - 1]];
            for (int i = 0; i < blocks.Length; i++)
            {
                // layer1 keeps the stem's resolution (the max-pool already halved it); layer2..4 halve on their first block.
                long stride = i == 0 && stage > 1 ? 2 : 1;

                // timm's linear stochastic-depth rule: block k of n gets rate·k/(n−1).
                double dropPath = totalBlocks > 1 ? options.DropPathRate * blockIndex / (totalBlocks - 1) : 0;
                blocks[i] = options.Block == ResNetBlock.Basic
                    ? new ResNetBasicBlock(inChannels, options.StageWidth(stage), stride, dropPath, device, dtype)
                    : new ResNetBottleneck(inChannels, options.StageWidth(stage), stride, dropPath, device, dtype);
                inChannels = (long)options.StageWidth(stage) * options.Expansion;
                blockIndex++;
            }

            stages[stage - 1] = nn.Sequential(blocks);
        }

        (layer1, layer2, layer3, layer4) = (stages[0], stages[1], stages[2], stages[3]);
        if (options.NumClasses > 0)
        {
            fc = nn.Linear(inChannels, options.NumClasses, hasBias: true, device: device, dtype: dtype);
        }

        RegisterComponents();
        InitializeLikeTorchvision(); // after registration, so modules() sees every layer
    }

    /// <summary>The options this encoder was built from.</summary>
    public ResNetOptions Options { get; }

    /// <summary>The levels <see cref="forward"/> returns, ascending.</summary>
    public IReadOnlyList<int> OutIndices => outIndices;

    /// <summary>Channels of the returned levels (TerraTorch's <c>out_channels</c>).</summary>
    public IReadOnlyList<int> OutChannels => outIndices.Select(Options.LevelChannels).ToArray();

    /// <summary>Whether the classifier <c>fc</c> exists.</summary>
    public bool HasClassifier => fc is not null;

    /// <summary>Encodes pixels [B, C, H, W] (or [B, C, 1, H, W]; [B, C, T, H, W] for multi-image) into the selected levels.</summary>
    public override MapFeatures forward(BackboneInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = torch.NewDisposeScope();
        var (images, batch, frames) = Flatten(input.Pixels);
        var levels = RunLevels(images, outIndices[^1]);
        var selected = outIndices.Select(level => levels[level]!).ToArray();
        if (frames > 1)
        {
            // Satlas's temporal max-pool: [B·T, C, h, w] → [B, T, C, h, w] → max over T.
            selected = selected.Select(f => f.reshape(batch, frames, f.shape[1], f.shape[2], f.shape[3]).amax(new long[] { 1 })).ToArray();
        }

        foreach (var level in selected)
        {
            level.MoveToOuterDisposeScope();
        }

        return new MapFeatures(selected);
    }

    /// <summary>
    /// torchvision's classification forward: all stages, global average pool, <c>fc</c>. Only for encoders built with
    /// classes (the parity bench compares it with torchvision's logits).
    /// </summary>
    public Tensor Classify(Tensor pixels)
    {
        if (fc is null)
        {
            throw new InvalidOperationException($"{displayName} was built without a classifier; set NumClasses to use Classify.");
        }

        using var scope = torch.NewDisposeScope();
        var (images, _, frames) = Flatten(pixels);
        if (frames > 1)
        {
            throw new ArgumentException($"{displayName} classifies single images; got {frames} frames.", nameof(pixels));
        }

        var last = RunLevels(images, ResNetOptions.LevelCount - 1)[^1]!;
        var pooled = nn.functional.adaptive_avg_pool2d(last, 1).flatten(1);
        return fc.call(pooled).MoveToOuterDisposeScope();
    }

    /// <summary>The five levels, computed up to <paramref name="lastLevel"/> (later entries are null).</summary>
    private Tensor?[] RunLevels(Tensor images, int lastLevel)
    {
        var levels = new Tensor?[ResNetOptions.LevelCount];
        var x = nn.functional.relu(bn1.call(conv1.call(images)), inplace: true);
        levels[0] = x;
        if (lastLevel >= 1)
        {
            x = nn.functional.max_pool2d(x, 3, 2, 1);
            var stages = new[] { layer1, layer2, layer3, layer4 };
            for (int level = 1; level <= lastLevel; level++)
            {
                x = stages[level - 1].call(x);
                levels[level] = x;
            }
        }

        return levels;
    }

    /// <summary>Checks the layout and folds frames into the batch: returns [B·T, C, H, W], B and T.</summary>
    private (Tensor Images, long Batch, long Frames) Flatten(Tensor pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        var shape = pixels.shape;
        bool rankOk = shape.Length is 4 or 5;
        bool channelsOk = rankOk && shape[1] == Options.InChannels;
        long frames = shape.Length == 5 ? shape[2] : 1;
        bool framesOk = frames >= 1 && (frames == 1 || Options.MultiImage);
        if (!rankOk || !channelsOk || !framesOk || shape[^1] < 1 || shape[^2] < 1)
        {
            string layout = Options.MultiImage
                ? $"[B, {Options.InChannels}, H, W] or [B, {Options.InChannels}, T, H, W] (T images max-pooled)"
                : $"[B, {Options.InChannels}, H, W] or [B, {Options.InChannels}, 1, H, W] (one image per sample)";
            throw new ArgumentException($"{displayName} expects pixels {layout}; got [{string.Join(", ", shape)}].", nameof(pixels));
        }

        if (shape.Length == 4)
        {
            return (pixels, shape[0], 1);
        }

        var images = frames == 1
            ? pixels.squeeze(2)
            : pixels.permute(0, 2, 1, 3, 4).reshape(shape[0] * frames, shape[1], shape[3], shape[4]);
        return (images, shape[0], frames);
    }

    private void InitializeLikeTorchvision()
    {
        // torchvision: kaiming_normal_(fan_out, relu) for convolutions, batch norms 1/0, Linear's own default.
        using var guard = torch.no_grad();
        foreach (var module in modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    nn.init.kaiming_normal_(conv.weight!, 0, nn.init.FanInOut.FanOut, nn.init.NonlinearityType.ReLU);
                    break;
                case BatchNorm2d norm:
                    nn.init.ones_(norm.weight!);
                    nn.init.zeros_(norm.bias!);
                    break;
            }
        }
    }
}

/// <summary>
/// torchvision's <c>BasicBlock</c>: conv1 3×3 (stride) → bn1 → ReLU → conv2 3×3 → bn2, plus the shortcut
/// (<c>downsample</c> = 1×1 conv (stride) → batch norm when the shape changes), then ReLU. timm's optional
/// <c>drop_path</c> scales the residual branch before the addition.
/// </summary>
public sealed class ResNetBasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? downsample;
    private readonly TimmDropPath? drop_path;

    public ResNetBasicBlock(long inplanes, long planes, long stride = 1, double dropPath = 0, Device? device = null, ScalarType? dtype = null)
        : base(nameof(ResNetBasicBlock))
    {
        conv1 = nn.Conv2d(inplanes, planes, 3, stride: stride, padding: 1, bias: false, device: device, dtype: dtype);
        bn1 = nn.BatchNorm2d(planes, device: device, dtype: dtype);
        conv2 = nn.Conv2d(planes, planes, 3, stride: 1, padding: 1, bias: false, device: device, dtype: dtype);
        bn2 = nn.BatchNorm2d(planes, device: device, dtype: dtype);
        downsample = ResNetShortcut.Create(inplanes, planes, stride, device, dtype);
        drop_path = dropPath > 0 ? new TimmDropPath(dropPath) : null;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var branch = nn.functional.relu(bn1.call(conv1.call(x)), inplace: true);
        branch = bn2.call(conv2.call(branch));
        return ResNetShortcut.Join(branch, x, downsample, drop_path).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// torchvision's <c>Bottleneck</c> ("ResNet v1.5", stride on the 3×3): conv1 1×1 → bn1 → ReLU → conv2 3×3 (stride) → bn2
/// → ReLU → conv3 1×1 to 4× the width → bn3, plus the shortcut, then ReLU.
/// </summary>
public sealed class ResNetBottleneck : nn.Module<Tensor, Tensor>
{
    private const int Expansion = 4;

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Conv2d conv3;
    private readonly BatchNorm2d bn3;
    private readonly Sequential? downsample;
    private readonly TimmDropPath? drop_path;

    public ResNetBottleneck(long inplanes, long planes, long stride = 1, double dropPath = 0, Device? device = null, ScalarType? dtype = null)
        : base(nameof(ResNetBottleneck))
    {
        conv1 = nn.Conv2d(inplanes, planes, 1, bias: false, device: device, dtype: dtype);
        bn1 = nn.BatchNorm2d(planes, device: device, dtype: dtype);
        conv2 = nn.Conv2d(planes, planes, 3, stride: stride, padding: 1, bias: false, device: device, dtype: dtype);
        bn2 = nn.BatchNorm2d(planes, device: device, dtype: dtype);
        conv3 = nn.Conv2d(planes, planes * Expansion, 1, bias: false, device: device, dtype: dtype);
        bn3 = nn.BatchNorm2d(planes * Expansion, device: device, dtype: dtype);
        downsample = ResNetShortcut.Create(inplanes, planes * Expansion, stride, device, dtype);
        drop_path = dropPath > 0 ? new TimmDropPath(dropPath) : null;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var branch = nn.functional.relu(bn1.call(conv1.call(x)), inplace: true);
        branch = nn.functional.relu(bn2.call(conv2.call(branch)), inplace: true);
        branch = bn3.call(conv3.call(branch));
        return ResNetShortcut.Join(branch, x, downsample, drop_path).MoveToOuterDisposeScope();
    }
}

/// <summary>The residual connection both blocks share.</summary>
internal static class ResNetShortcut
{
    /// <summary>torchvision's <c>downsample</c>: Sequential(conv1x1(stride), BatchNorm2d), only when the shape changes.</summary>
    public static Sequential? Create(long inplanes, long outplanes, long stride, Device? device, ScalarType? dtype)
    {
        if (stride == 1 && inplanes == outplanes)
        {
            return null;
        }

        return nn.Sequential(
            nn.Conv2d(inplanes, outplanes, 1, stride: stride, bias: false, device: device, dtype: dtype),
            nn.BatchNorm2d(outplanes, device: device, dtype: dtype));
    }

    /// <summary>ReLU(drop_path(branch) + shortcut(x)); the branch is a fresh tensor, so it is added to in place.</summary>
    public static Tensor Join(Tensor branch, Tensor x, Sequential? downsample, TimmDropPath? dropPath)
    {
        if (dropPath is not null)
        {
            branch = dropPath.call(branch);
        }

        var identity = downsample is null ? x : downsample.call(x);
        return branch.add_(identity).relu_();
    }
}
