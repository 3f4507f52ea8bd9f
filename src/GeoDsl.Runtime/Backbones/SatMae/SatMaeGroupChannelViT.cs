using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Features;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.SatMae;

/// <summary>
/// Hyperparameters of a SatMAE group-channel encoder (<c>GroupChannelsVisionTransformer</c>, sustainlab-group/SatMAE
/// <c>models_vit_group_channels.py</c> @b182634). Defaults: <c>vit_large_patch16</c> with the fMoW-Sentinel run's
/// patch 8 at 96 px and the default <c>channel_groups</c> over the ten kept bands.
/// </summary>
public sealed record SatMaeGroupChannelViTOptions
{
    /// <summary>Input channels (<c>in_chans</c>); the groups index into them.</summary>
    public int InChannels { get; init; } = 10;

    /// <summary>Per group, the input channels it embeds (<c>channel_groups</c>); each group has its own patch embedding.</summary>
    public IReadOnlyList<IReadOnlyList<int>> ChannelGroups { get; init; } = new IReadOnlyList<int>[]
    {
        new[] { 0, 1, 2, 6 }, new[] { 3, 4, 5, 7 }, new[] { 8, 9 },
    };

    public int EmbedDim { get; init; } = 1024;

    public int Depth { get; init; } = 24;

    public int NumHeads { get; init; } = 16;

    public double MlpRatio { get; init; } = 4.0;

    /// <summary>Width of the group embedding (<c>channel_embed</c>); the position table takes D − this.</summary>
    public int ChannelEmbed { get; init; } = 256;

    public int PatchSize { get; init; } = 8;

    /// <summary>Declared image size (<c>img_size</c>): the grid <c>pos_embed</c> is stored for. Other sizes resample it.</summary>
    public (int Height, int Width) ImageSize { get; init; } = (96, 96);

    /// <summary>Blocks whose outputs are returned, negative from the end; null = all.</summary>
    public IReadOnlyList<int>? OutIndices { get; init; }

    /// <summary>Stochastic depth of the last block (<c>drop_path_rate</c>; timm's linear rule from 0).</summary>
    public double DropPathRate { get; init; }

    public int MlpHiddenDim => (int)(EmbedDim * MlpRatio);

    public (int Rows, int Columns) DeclaredGrid => (ImageSize.Height / PatchSize, ImageSize.Width / PatchSize);

    public IReadOnlyList<int> ResolvedOutIndices =>
        OutIndices is null ? Enumerable.Range(0, Depth).ToArray() : OutIndices.Select(i => i < 0 ? Depth + i : i).ToArray();

    /// <summary>Throws an <see cref="ArgumentException"/> listing every inconsistency.</summary>
    /// <summary>The options for an encoder the front end resolved (catalog descriptor <c>Resolve</c>).</summary>
    public static SatMaeGroupChannelViTOptions From(SatMaeGroupArchitecture a) => new()
    {
        InChannels = a.InChannels,
        ChannelGroups = a.ChannelGroups,
        EmbedDim = a.EmbedDim,
        Depth = a.Depth,
        NumHeads = a.Heads,
        MlpRatio = a.MlpRatio,
        ChannelEmbed = a.ChannelEmbed,
        PatchSize = a.Patch,
        ImageSize = (a.ImageHeight, a.ImageWidth),
        OutIndices = a.OutIndices.ToArray(),
        DropPathRate = a.DropPathRate,
    };

    public void Validate()
    {
        var problems = new MaeOptionProblems();
        problems.Transformer(InChannels, Depth, NumHeads, EmbedDim, MlpRatio, MlpHiddenDim, DropPathRate, OutIndices);
        problems.PatchFits(PatchSize, ImageSize);
        problems.Require(ChannelGroups.Count >= 1 && ChannelGroups.All(g => g.Count >= 1), "channel_groups must hold at least one non-empty group.");
        problems.Require(ChannelGroups.SelectMany(g => g).All(i => i >= 0 && i < InChannels),
            $"every channel_groups index must name one of the {InChannels} input channels.");
        problems.Require(ChannelEmbed >= 2 && ChannelEmbed % 2 == 0, $"channel_embed must be even and positive; got {ChannelEmbed}.");
        problems.Require(EmbedDim - ChannelEmbed >= 4 && (EmbedDim - ChannelEmbed) % 4 == 0,
            $"embed_dim − channel_embed must be a positive multiple of 4 (the 2D position table); got {EmbedDim} − {ChannelEmbed}.");
        problems.ThrowIfAny("SatMAE group-channel");
    }
}

/// <summary>
/// SatMAE's multispectral encoder (<c>GroupChannelsVisionTransformer</c>, sustainlab-group/SatMAE
/// <c>models_vit_group_channels.py</c> @b182634, on timm 0.3.2's VisionTransformer): one patch embedding per channel
/// group (<c>patch_embed.N.proj</c>), a learned position table of D − <c>channel_embed</c> channels shared by the
/// groups (<c>pos_embed</c>), a learned group table (<c>channel_embed</c>, [1, G, 256]) and the class token's extra
/// channels (<c>channel_cls_embed</c>), timm blocks (LayerNorm eps 1e-6) and a final <c>norm</c>.
/// </summary>
/// <remarks>
/// Output: one tensor per selected block, [B, 1 + G·h·w, D], class token first, then group 0's h·w tokens, group 1's, …;
/// the grid records the groups as frames. The last block's output passes through <c>norm</c>, as the reference's
/// <c>forward_features</c> (global_pool = False) does before its head. The embedding tables start as the reference
/// initialises them: 2D sin-cos positions, 1D sin-cos group codes, a zero class-token code.
/// </remarks>
public sealed class SatMaeGroupChannelViT : Backbone<TokenFeatures>
{
    [ComponentName(Name = "cls_token")]
    private Parameter clsToken;

    [ComponentName(Name = "pos_embed")]
    private Parameter posEmbed;

    [ComponentName(Name = "channel_embed")]
    private Parameter channelEmbed;

    [ComponentName(Name = "channel_cls_embed")]
    private Parameter channelClsEmbed;

    [ComponentName(Name = "patch_embed")]
    private readonly ModuleList<MaePatchEmbed> patchEmbed;

    [ComponentName(Name = "blocks")]
    private readonly ModuleList<TimmBlock> blocks;

    [ComponentName(Name = "norm")]
    private readonly LayerNorm norm;

    private readonly long[][] groupChannels;
    private readonly int[] outIndices;
    private readonly string displayName;

    public SatMaeGroupChannelViT(SatMaeGroupChannelViTOptions options, string name = "satmae_group_channel_vit", Device? device = null, ScalarType? dtype = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        displayName = name;
        outIndices = options.ResolvedOutIndices.ToArray();
        groupChannels = options.ChannelGroups.Select(g => g.Select(i => (long)i).ToArray()).ToArray();
        var dim = options.EmbedDim;
        var (rows, columns) = options.DeclaredGrid;

        patchEmbed = nn.ModuleList(options.ChannelGroups.Select(g => new MaePatchEmbed(g.Count, dim, options.PatchSize, device, dtype)).ToArray());
        using (var table = MaePositions.TwoDimensional(dim - options.ChannelEmbed, rows, columns, classToken: true))
        using (var groups = MaePositions.OneDimensional(options.ChannelEmbed, options.ChannelGroups.Count))
        using (var zeros = torch.zeros(1, 1, options.ChannelEmbed))
        using (var cls = torch.empty(1, 1, dim))
        {
            posEmbed = MaePositions.LearnedFrom(table, device, dtype);
            channelEmbed = MaePositions.LearnedFrom(groups, device, dtype);
            channelClsEmbed = MaePositions.LearnedFrom(zeros, device, dtype);
            clsToken = MaePositions.LearnedFrom(cls, device, dtype);
        }

        blocks = MaePositions.Blocks(dim, options.Depth, options.NumHeads, options.MlpRatio, options.DropPathRate, 1e-6, device, dtype);
        norm = nn.LayerNorm(dim, eps: 1e-6, device: device, dtype: dtype);
        RegisterComponents();

        MaePositions.InitializeLikeMae(this);
        foreach (var embed in patchEmbed)
        {
            embed.InitializeLikeLinear();
        }

        using (torch.no_grad())
        {
            nn.init.normal_(clsToken, 0.0, 0.02);
        }
    }

    public SatMaeGroupChannelViTOptions Options { get; }

    /// <summary>The blocks <see cref="forward"/> returns, non-negative, in order.</summary>
    public IReadOnlyList<int> OutIndices => outIndices;

    /// <summary>Encodes pixels [B, C, H, W] (or [B, C, 1, H, W]); H and W multiples of the patch.</summary>
    public override TokenFeatures forward(BackboneInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = torch.NewDisposeScope();
        var pixels = MaePositions.SingleImage(input.Pixels, Options.InChannels, Options.PatchSize, displayName);
        var batch = pixels.shape[0];
        var grid = ((int)(pixels.shape[2] / Options.PatchSize), (int)(pixels.shape[3] / Options.PatchSize));
        var groups = groupChannels.Length;

        var perGroup = new Tensor[groups];
        for (var g = 0; g < groups; g++)
        {
            using var index = torch.tensor(groupChannels[g], device: pixels.device);
            perGroup[g] = patchEmbed[g].call(pixels.index_select(1, index)); // [B, L, D]
        }

        var tokens = torch.stack(perGroup, dim: 1); // [B, G, L, D]
        var patchesPerGroup = tokens.shape[2];
        var position = MaePositions.Resample(posEmbed, 1, Options.DeclaredGrid, grid);

        // Each group's tokens: the shared position (D − 256) joined with that group's code (256).
        var patchPosition = position.narrow(1, 1, patchesPerGroup).unsqueeze(1).expand(-1, groups, -1, -1);
        var groupCode = channelEmbed.unsqueeze(2).expand(-1, -1, patchesPerGroup, -1);
        tokens = (tokens + torch.cat(new[] { patchPosition, groupCode }, dim: -1)).reshape(batch, -1, Options.EmbedDim);

        var cls = (clsToken + torch.cat(new[] { position.narrow(1, 0, 1), channelClsEmbed }, dim: -1)).expand(batch, -1, -1);
        var x = torch.cat(new[] { cls, tokens }, dim: 1);

        var selected = MaePositions.RunBlocks(x, blocks, outIndices, norm);
        MaePositions.KeepOutside(selected);
        return new TokenFeatures(selected, hasClsToken: true, new TokenGrid(groups, grid.Item1, grid.Item2));
    }
}
