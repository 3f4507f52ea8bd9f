using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Features;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones;

/// <summary>
/// The Prithvi ViT encoder (TerraTorch <c>PrithviViT</c>, <c>terratorch/models/backbones/prithvi_mae.py</c>, wrapped by
/// <c>prithvi_vit.py</c>): 3D patch embedding, fixed 3D sin-cos position embedding, class token, optional temporal and
/// location encoders, timm transformer blocks and a final layer norm. State-dict keys match TerraTorch's, so published
/// checkpoints load by name (after dropping MAE decoder keys and replacing <c>pos_embed</c> with this model's own, as
/// TerraTorch's <c>checkpoint_filter_fn_vit</c> does).
/// </summary>
/// <remarks>
/// Output: one tensor per selected block, [B, 1 + T'·h·w, D] with the class token first; the last block's output
/// (and only that one) passes through the final <c>norm</c>, as in TerraTorch's <c>forward_features</c>.
/// Blocks after the last selected one are skipped: their outputs could not reach any returned tensor.
/// </remarks>
public sealed class PrithviViT : Backbone<TokenFeatures>
{
    [ComponentName(Name = "cls_token")]
    private Parameter clsToken;

    // Fixed sin-cos table for the declared grid. A persistent buffer: in the state dict, not a parameter.
    [ComponentName(Name = "pos_embed")]
    private Tensor posEmbed;

    [ComponentName(Name = "patch_embed")]
    private readonly PrithviPatchEmbed patchEmbed;

    [ComponentName(Name = "temporal_embed_enc")]
    private readonly PrithviTemporalEncoder? temporalEncoder;

    [ComponentName(Name = "location_embed_enc")]
    private readonly PrithviLocationEncoder? locationEncoder;

    [ComponentName(Name = "blocks")]
    private readonly ModuleList<TimmBlock> blocks;

    [ComponentName(Name = "norm")]
    private readonly LayerNorm norm;

    // Position embeddings for grids other than the declared one (not registered: a Dictionary is neither a module nor a tensor).
    private readonly Dictionary<TokenGrid, Tensor> otherGridEmbeddings = new();

    private readonly int[] outIndices;
    private readonly string displayName;

    /// <param name="options">Architecture; validated here.</param>
    /// <param name="name">Name used in messages, e.g. the catalog entry <c>prithvi_eo_v2_300</c>.</param>
    /// <param name="device">Where to create weights; <c>torch.META</c> builds the structure without memory (for counting).</param>
    /// <param name="dtype">Weight element type; null = the default dtype.</param>
    public PrithviViT(PrithviViTOptions options, string name = "prithvi_vit", Device? device = null, ScalarType? dtype = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        displayName = name;
        outIndices = options.ResolvedOutIndices.ToArray();
        var dim = options.EmbedDim;

        patchEmbed = new PrithviPatchEmbed(options.InChannels, dim, options.PatchSize, device, dtype);
        if (options.TimeEncoding)
        {
            temporalEncoder = new PrithviTemporalEncoder(dim, options.CoordsScaleLearn, device, dtype);
        }

        if (options.LocationEncoding)
        {
            locationEncoder = new PrithviLocationEncoder(dim, options.CoordsScaleLearn, device, dtype);
        }

        using (torch.no_grad())
        {
            // timm's trunc_normal_(std=.02) as TerraTorch notes is effectively normal_(std=0.02).
            var cls = torch.empty(new long[] { 1, 1, dim }, dtype: dtype, device: device);
            nn.init.normal_(cls, 0.0, 0.02);
            clsToken = new Parameter(cls, requires_grad: true);

            using var table = SinCosEmbedding.ThreeDimensionalWithClassToken(dim, options.DeclaredGrid);
            posEmbed = table.to(dtype ?? torch.get_default_dtype(), device ?? torch.CPU);

            // The model owns these; a dispose scope around the constructor must not take them.
            clsToken.DetachFromDisposeScope();
            posEmbed.DetachFromDisposeScope();
        }

        var blockList = new TimmBlock[options.Depth];
        for (var i = 0; i < blockList.Length; i++)
        {
            blockList[i] = new TimmBlock(dim, options.NumHeads, options.MlpRatio, qkvBias: true,
                dropPath: options.DropPath, normEps: 1e-5, device: device, dtype: dtype);
        }

        blocks = nn.ModuleList(blockList);
        norm = nn.LayerNorm(dim, eps: 1e-5, device: device, dtype: dtype);
        RegisterComponents();
        InitializeLikeTerraTorch(); // after registration, so modules() sees every layer
    }

    /// <summary>The options this encoder was built from.</summary>
    public PrithviViTOptions Options { get; }

    /// <summary>The token grid of the declared frames and image size.</summary>
    public TokenGrid DeclaredGrid => Options.DeclaredGrid;

    /// <summary>The blocks whose outputs <see cref="forward"/> returns, non-negative, in order.</summary>
    public IReadOnlyList<int> OutIndices => outIndices;

    /// <summary>Whether the temporal (year, day-of-year) encoder exists.</summary>
    public bool HasTemporalEncoder => temporalEncoder is not null;

    /// <summary>Whether the location (lat, lon) encoder exists.</summary>
    public bool HasLocationEncoder => locationEncoder is not null;

    /// <summary>
    /// Encodes pixels [B, C, T, H, W] (or [B, C, H, W] as one frame). T must be a multiple of the tubelet and H, W of
    /// the patch; other sizes than the declared ones get a matching position embedding (see
    /// <see cref="PositionEmbeddingFor"/>). Temporal/location coordinates are used when the encoder exists and the
    /// input has them; when it lacks them they are skipped, as TerraTorch does (no error, no zero fill).
    /// </summary>
    public override TokenFeatures forward(BackboneInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = torch.NewDisposeScope();
        var pixels = CheckPixels(input.Pixels);
        var batch = pixels.shape[0];
        var frames = pixels.shape[2];
        var grid = new TokenGrid(
            (int)(frames / Options.PatchSize.Time),
            (int)(pixels.shape[3] / Options.PatchSize.Height),
            (int)(pixels.shape[4] / Options.PatchSize.Width));

        var tokens = patchEmbed.call(pixels); // [B, N, D]
        var position = PositionEmbeddingFor(grid);
        tokens = tokens + position.narrow(1, 1, grid.Tokens);

        if (temporalEncoder is not null && input.TemporalCoords is not null)
        {
            CheckCoordinates(input.TemporalCoords, new[] { batch, frames, 2L }, "temporal coordinates", "[B, T, 2] (year, day of year)");
            // TerraTorch divides by the declared num_frames; the actual frames give the same count when they agree
            // and stay correct when they do not.
            tokens = tokens + temporalEncoder.Encode(input.TemporalCoords, grid.Rows * grid.Columns).to(tokens.dtype);
        }

        if (locationEncoder is not null && input.LocationCoords is not null)
        {
            CheckCoordinates(input.LocationCoords, new[] { batch, 2L }, "location coordinates", "[B, 2] (latitude, longitude)");
            tokens = tokens + locationEncoder.Encode(input.LocationCoords).to(tokens.dtype);
        }

        // The class token gets the cls row of the table (zeros) and no coordinate encodings.
        var cls = (clsToken + position.narrow(1, 0, 1)).expand(batch, -1, -1);
        var x = torch.cat(new[] { cls, tokens }, dim: 1);

        var lastNeeded = outIndices.Max();
        var lastBlock = Options.Depth - 1;
        var perBlock = new Tensor[lastNeeded + 1];
        for (var i = 0; i <= lastNeeded; i++)
        {
            x = blocks[i].call(x);
            if (i == lastBlock)
            {
                x = norm.call(x);
            }

            perBlock[i] = x;
        }

        var selected = outIndices.Select(i => perBlock[i]).ToArray();
        foreach (var t in selected.Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>())
        {
            t.MoveToOuterDisposeScope();
        }

        return new TokenFeatures(selected, hasClsToken: true, grid);
    }

    /// <summary>
    /// The position embedding [1, 1 + T'·h·w, D] for a token grid. The declared grid uses the stored
    /// <c>pos_embed</c>. Another grid follows TerraTorch's <c>_interpolate_pos_encoding</c>: a different frame count
    /// recomputes the sin-cos table for the declared rows and columns; a different spatial grid then resizes each
    /// frame's table bicubically (align_corners = true), so checkpoints fine-tuned at other sizes see what they saw in
    /// TerraTorch. Results are cached per grid, device and dtype; the returned tensor belongs to the model.
    /// </summary>
    public Tensor PositionEmbeddingFor(TokenGrid grid)
    {
        var declared = DeclaredGrid;
        if (grid == declared)
        {
            return posEmbed;
        }

        if (otherGridEmbeddings.TryGetValue(grid, out var cached))
        {
            if (cached.device_type == posEmbed.device_type && cached.device_index == posEmbed.device_index
                && cached.dtype == posEmbed.dtype)
            {
                return cached;
            }

            // The model moved to another device or dtype since this was computed.
            otherGridEmbeddings.Remove(grid);
            cached.Dispose();
        }

        var dim = Options.EmbedDim;
        Tensor result;
        using (var scope = torch.NewDisposeScope())
        using (torch.no_grad())
        {
            var source = posEmbed;
            var sourceGrid = declared;
            if (grid.Frames != declared.Frames)
            {
                sourceGrid = declared with { Frames = grid.Frames };
                source = SinCosEmbedding.ThreeDimensionalWithClassToken(dim, sourceGrid).to(posEmbed.dtype, posEmbed.device);
            }

            if (sourceGrid.Rows == grid.Rows && sourceGrid.Columns == grid.Columns)
            {
                result = source; // freshly recomputed for the new frame count
            }
            else
            {
                var classRow = source.narrow(1, 0, 1);
                var perFrame = source.narrow(1, 1, sourceGrid.Tokens)
                    .reshape(sourceGrid.Frames, sourceGrid.Rows, sourceGrid.Columns, dim)
                    .permute(0, 3, 1, 2); // [T', D, h0, w0]: frames as the batch of the 2D resize
                var resized = nn.functional.interpolate(perFrame, new long[] { grid.Rows, grid.Columns },
                    mode: InterpolationMode.Bicubic, align_corners: true);
                var patches = resized.permute(0, 2, 3, 1).reshape(1, -1, dim);
                result = torch.cat(new[] { classRow, patches }, dim: 1);
            }

            result.DetachFromDisposeScope();
        }

        otherGridEmbeddings[grid] = result;
        return result;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var t in otherGridEmbeddings.Values)
            {
                t.Dispose();
            }

            otherGridEmbeddings.Clear();
        }

        base.Dispose(disposing);
    }

    private Tensor CheckPixels(Tensor pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        var (pt, ph, pw) = Options.PatchSize;
        var shape = pixels.shape;
        var ok = shape.Length is 4 or 5
            && shape[0] >= 1
            && shape[1] == Options.InChannels
            && (shape.Length == 4 || (shape[2] >= pt && shape[2] % pt == 0))
            && shape[^2] >= ph && shape[^2] % ph == 0
            && shape[^1] >= pw && shape[^1] % pw == 0;
        if (!ok)
        {
            var patch = ph == pw ? $"{ph}" : $"{ph}×{pw} (H×W)";
            var frames = pt == 1 ? "any T" : $"T a multiple of {pt}";
            throw new ArgumentException(
                $"{displayName} expects pixels [B, {Options.InChannels}, T, H, W] or [B, {Options.InChannels}, H, W] " +
                $"with {frames} and H and W multiples of {patch}; got [{string.Join(", ", shape)}].",
                nameof(pixels));
        }

        return shape.Length == 4 ? pixels.unsqueeze(2) : pixels;
    }

    private void CheckCoordinates(Tensor coords, long[] expected, string what, string layout)
    {
        if (!coords.shape.SequenceEqual(expected))
        {
            throw new ArgumentException(
                $"{displayName} expects {what} {layout} = [{string.Join(", ", expected)}] for these pixels; " +
                $"got [{string.Join(", ", coords.shape)}].");
        }

        if (!coords.is_floating_point())
        {
            throw new ArgumentException($"{displayName} expects {what} as floating-point values; got {coords.dtype}.");
        }
    }

    private void InitializeLikeTerraTorch()
    {
        // TerraTorch's initialize_weights: xavier-uniform Linear weights with zero biases, LayerNorm 1/0, and the
        // patch projection initialized like a Linear over its flattened [D, C·t·p·p] view. The Conv3d bias keeps its
        // default init, as there.
        using var guard = torch.no_grad();
        foreach (var module in modules())
        {
            switch (module)
            {
                case Linear linear:
                    nn.init.xavier_uniform_(linear.weight!);
                    if (linear.bias is not null)
                    {
                        nn.init.zeros_(linear.bias);
                    }

                    break;
                case LayerNorm layerNorm:
                    nn.init.ones_(layerNorm.weight!);
                    nn.init.zeros_(layerNorm.bias!);
                    break;
            }
        }

        patchEmbed.InitializeProjectionLikeLinear();
    }
}

/// <summary>
/// Prithvi's 3D patch embedding: Conv3d with kernel = stride = (tubelet, patch, patch), flattened to tokens
/// [B, T'·h·w, D] in (frame, row, column) order. Named <c>proj</c> as in TerraTorch's <c>PatchEmbed</c>.
/// </summary>
public sealed class PrithviPatchEmbed : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "proj")]
    private readonly Conv3d proj;

    public PrithviPatchEmbed(int inChannels, int embedDim, (int Time, int Height, int Width) patchSize,
        Device? device = null, ScalarType? dtype = null)
        : base(nameof(PrithviPatchEmbed))
    {
        var kernel = ((long)patchSize.Time, (long)patchSize.Height, (long)patchSize.Width);
        proj = nn.Conv3d(inChannels, embedDim, kernel, stride: kernel, bias: true, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor pixels) => proj.call(pixels).flatten(2).transpose(1, 2);

    internal void InitializeProjectionLikeLinear()
    {
        using var guard = torch.no_grad();
        var weight = proj.weight!;
        using var flat = weight.view(weight.shape[0], -1);
        nn.init.xavier_uniform_(flat);
    }
}

/// <summary>
/// Prithvi's temporal encoder: for (year, day of year) per frame, a 1D sin-cos embedding of the year in the first
/// D/2 channels and of the day in the rest, times <c>scale</c>, repeated over each frame's tokens.
/// <c>scale</c> is a learned parameter (init 0.1) with <c>coords_scale_learn</c>, else a fixed buffer of 1; it is in
/// the state dict either way.
/// </summary>
public sealed class PrithviTemporalEncoder : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "scale")]
    private Tensor scale;

    private readonly int yearDim;
    private readonly int dayDim;

    public PrithviTemporalEncoder(int embedDim, bool trainableScale, Device? device = null, ScalarType? dtype = null)
        : base(nameof(PrithviTemporalEncoder))
    {
        yearDim = embedDim / 2;
        dayDim = embedDim - yearDim;
        scale = PrithviCoordinateScale.Create(trainableScale, device, dtype);
        RegisterComponents();
    }

    /// <summary>The learned or fixed scale, [1].</summary>
    public Tensor Scale => scale;

    /// <summary>[B, T, 2] → [B, T, D].</summary>
    public override Tensor forward(Tensor temporalCoords) => Encode(temporalCoords, null);

    /// <summary>[B, T, 2] → [B, T·tokensPerFrame, D] (or [B, T, D] without repetition).</summary>
    public Tensor Encode(Tensor temporalCoords, int? tokensPerFrame)
    {
        using var scope = torch.NewDisposeScope();
        var coords = PrithviCoordinateScale.AsFloat(temporalCoords);
        var batch = coords.shape[0];
        var frames = coords.shape[1];
        var year = SinCosEmbedding.OfPositions(yearDim, coords.select(2, 0).flatten()).reshape(batch, frames, -1);
        var day = SinCosEmbedding.OfPositions(dayDim, coords.select(2, 1).flatten()).reshape(batch, frames, -1);
        var embedding = scale * torch.cat(new[] { year, day }, dim: -1);
        if (tokensPerFrame is int repeat)
        {
            embedding = embedding.repeat_interleave(repeat, dim: 1);
        }

        return embedding.MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Prithvi's location encoder: a 1D sin-cos embedding of latitude in the first D/2 channels and of longitude in the
/// rest, times <c>scale</c>, one row per sample [B, 1, D] added to every patch token.
/// </summary>
public sealed class PrithviLocationEncoder : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "scale")]
    private Tensor scale;

    private readonly int latDim;
    private readonly int lonDim;

    public PrithviLocationEncoder(int embedDim, bool trainableScale, Device? device = null, ScalarType? dtype = null)
        : base(nameof(PrithviLocationEncoder))
    {
        latDim = embedDim / 2;
        lonDim = embedDim - latDim;
        scale = PrithviCoordinateScale.Create(trainableScale, device, dtype);
        RegisterComponents();
    }

    /// <summary>The learned or fixed scale, [1].</summary>
    public Tensor Scale => scale;

    /// <summary>[B, 2] → [B, 1, D].</summary>
    public override Tensor forward(Tensor locationCoords) => Encode(locationCoords);

    /// <summary>[B, 2] → [B, 1, D].</summary>
    public Tensor Encode(Tensor locationCoords)
    {
        using var scope = torch.NewDisposeScope();
        var coords = PrithviCoordinateScale.AsFloat(locationCoords);
        var batch = coords.shape[0];
        var lat = SinCosEmbedding.OfPositions(latDim, coords.select(1, 0).flatten()).reshape(batch, 1, -1);
        var lon = SinCosEmbedding.OfPositions(lonDim, coords.select(1, 1).flatten()).reshape(batch, 1, -1);
        return (scale * torch.cat(new[] { lat, lon }, dim: -1)).MoveToOuterDisposeScope();
    }
}

internal static class PrithviCoordinateScale
{
    public static Tensor Create(bool trainable, Device? device, ScalarType? dtype)
    {
        var type = dtype ?? torch.get_default_dtype();
        if (trainable)
        {
            // Small start so the pretrained tokens are barely disturbed at first (TerraTorch: torch.full((1,), 0.1)).
            var learned = new Parameter(torch.full(new long[] { 1 }, 0.1, dtype: type, device: device), requires_grad: true);
            learned.DetachFromDisposeScope();
            return learned;
        }

        return torch.ones(new long[] { 1 }, dtype: type, device: device).DetachFromDisposeScope();
    }

    /// <summary>
    /// TerraTorch asserts float32/16/bf16 coordinates and computes in their dtype; float64 is narrowed to float32
    /// here rather than rejected, since years like 2020 lose nothing that matters at float32.
    /// </summary>
    public static Tensor AsFloat(Tensor coords) =>
        coords.dtype is ScalarType.Float32 or ScalarType.Float16 or ScalarType.BFloat16 ? coords : coords.to(ScalarType.Float32);
}
