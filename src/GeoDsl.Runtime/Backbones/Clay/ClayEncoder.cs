using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Backbones.Dofa;
using GeoDsl.Runtime.Features;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.Clay;

/// <summary>
/// The Clay encoder (Clay-foundation/model claymodel/model.py <c>Encoder</c> @00e6f09, run without masking as
/// TerraTorch's clay_v1/modules.py <c>EmbeddingEncoder</c> and clay1_5_model_factory.py <c>ClayMAEBackbone</c> run it):
/// <c>patch_embedding</c> generates each band's 8×8 patch weights from its wavelength; a GSD-scaled 2D sin-cos position
/// encoding fills the first D − 8 channels of each patch token and the time and lat/lon metadata the last 8; a class
/// token goes first; vit-pytorch's pre-norm <c>transformer</c> ends with a LayerNorm. State-dict keys are the encoder's
/// (<c>cls_token</c>, <c>patch_embedding.*</c>, <c>transformer.*</c>): the published checkpoints hold them under
/// <c>model.encoder.</c> (see <see cref="ClayCheckpoint"/>).
/// </summary>
/// <remarks>
/// Output: one tensor [B, 1 + h·w, D] per index in <c>out_indices</c>; the last layer's is the normed encoder output
/// (Clay's and TerraTorch's only output), earlier layers' are their raw residual streams.
/// </remarks>
public sealed class ClayEncoder : Backbone<TokenFeatures>
{
    [ComponentName(Name = "cls_token")]
    private Parameter clsToken;

    [ComponentName(Name = "patch_embedding")]
    private readonly ClayDynamicEmbedding patchEmbedding;

    [ComponentName(Name = "transformer")]
    private readonly ClayTransformer transformer;

    private readonly int[] outIndices;
    private readonly float[] wavelengths;
    private readonly string displayName;

    /// <param name="options">Architecture; validated here.</param>
    /// <param name="name">Name used in messages, e.g. the catalog entry <c>clay_v1_base</c>.</param>
    /// <param name="device">Where to create weights; <c>torch.META</c> builds the structure without memory (for counting).</param>
    /// <param name="dtype">Weight element type; null = the default dtype.</param>
    public ClayEncoder(ClayEncoderOptions options, string name = "clay_encoder", Device? device = null, ScalarType? dtype = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        displayName = name;
        outIndices = options.ResolvedOutIndices.ToArray();
        wavelengths = options.Wavelengths.Select(w => (float)w).ToArray();

        using (torch.no_grad())
        {
            // Clay: nn.Parameter(torch.randn(1, 1, dim) * 0.02).
            var cls = torch.empty(new long[] { 1, 1, options.Dim }, dtype: dtype, device: device);
            nn.init.normal_(cls, 0.0, 0.02);
            clsToken = new Parameter(cls, requires_grad: true);
            clsToken.DetachFromDisposeScope();
        }

        patchEmbedding = new ClayDynamicEmbedding(options.Dim, ClayEncoderOptions.PatchSize, device, dtype);
        transformer = new ClayTransformer(options.Dim, options.Depth, options.Heads, options.DimHead, options.MlpHiddenDim, device, dtype);
        RegisterComponents();
    }

    /// <summary>The options this encoder was built from.</summary>
    public ClayEncoderOptions Options { get; }

    /// <summary>The layers whose outputs <see cref="forward"/> returns, non-negative, in order.</summary>
    public IReadOnlyList<int> OutIndices => outIndices;

    /// <summary>The dynamic patch embedding (<c>patch_embedding</c>).</summary>
    public ClayDynamicEmbedding PatchEmbedding => patchEmbedding;

    /// <summary>Encodes pixels with metadata derived from the input's coordinates (zeros where it has none).</summary>
    public override TokenFeatures forward(BackboneInput input) => Encode(input, null);

    /// <summary>
    /// Encodes pixels [B, C, H, W] (or [B, C, 1, H, W]), C the number of wavelengths and H, W multiples of 8. Time and
    /// lat/lon come from <paramref name="metadata"/> when it has them, else from the input's temporal and location
    /// coordinates, else zeros; the GSD from <paramref name="metadata"/>, else the options.
    /// </summary>
    public TokenFeatures Encode(BackboneInput input, ClayMetadata? metadata)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = torch.NewDisposeScope();
        var pixels = CheckPixels(input.Pixels);
        var batch = pixels.shape[0];
        var waves = torch.tensor(wavelengths, dtype: ScalarType.Float32, device: pixels.device);

        var patches = patchEmbedding.Embed(pixels, waves, out var grid); // [B, L, D]
        CheckGrid(grid, pixels.shape);

        var time = MetadataTensor(metadata?.Time, input.TemporalCoords, ClayMetadata.TimeFromCoordinates, batch, "time", pixels);
        var latLon = MetadataTensor(metadata?.LatLon, input.LocationCoords, ClayMetadata.LatLonFromCoordinates, batch, "latlon", pixels);
        var gsd = metadata?.Gsd ?? Options.Gsd;

        // Clay's add_encodings: [pos (D − 8) | time (4) | latlon (4)] added to every patch token; the class token gets none.
        var tokens = grid.Tokens;
        var position = PositionEncoding(grid.Rows, grid.Columns, Options.Dim - ClayEncoderOptions.MetadataChannels, gsd)
            .to(patches.dtype, patches.device).unsqueeze(0).expand(batch, tokens, -1);
        var perSample = torch.cat(new[] { time, latLon }, dim: 1).to(patches.dtype).unsqueeze(1).expand(batch, tokens, -1);
        patches = patches + torch.cat(new[] { position, perSample }, dim: 2);

        var x = torch.cat(new[] { clsToken.expand(batch, -1, -1), patches }, dim: 1);
        var selected = transformer.Run(x, outIndices);
        foreach (var t in selected.Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>())
        {
            t.MoveToOuterDisposeScope();
        }

        return new TokenFeatures(selected, hasClsToken: true, grid);
    }

    /// <summary>
    /// Clay's <c>posemb_sincos_2d_with_gsd</c> (claymodel/utils.py) for a rows × columns grid, [rows·columns, dim] float32:
    /// ω_k = gsd / 10000^(2·(k / (dim/4 − 1)) / dim) for k &lt; dim/4, and channels [sin(x·ω), cos(x·ω), sin(y·ω), cos(y·ω)]
    /// with x the column and y the row, tokens row-major. Computed in float32 with the reference's operation order.
    /// </summary>
    public static Tensor PositionEncoding(int rows, int columns, int dim, double gsd)
    {
        if (dim < 8 || dim % 4 != 0)
        {
            throw new ArgumentException($"Clay's position encoding needs a width that is a multiple of 4 and at least 8; got {dim}.", nameof(dim));
        }

        using var scope = torch.NewDisposeScope();
        var quarter = dim / 4;
        var omega = torch.arange(quarter, dtype: ScalarType.Float32) / (quarter - 1);
        omega = torch.pow(10000.0, omega * 2 / dim).reciprocal() * (float)gsd;
        var y = torch.arange(rows, dtype: ScalarType.Float32).repeat_interleave(columns); // meshgrid(..., indexing="ij"), flattened
        var x = torch.arange(columns, dtype: ScalarType.Float32).repeat(rows);
        var xs = x.unsqueeze(1) * omega.unsqueeze(0);
        var ys = y.unsqueeze(1) * omega.unsqueeze(0);
        return torch.cat(new[] { xs.sin(), xs.cos(), ys.sin(), ys.cos() }, dim: 1).MoveToOuterDisposeScope();
    }

    private static Tensor MetadataTensor(Tensor? given, Tensor? coordinates, Func<Tensor, Tensor> derive, long batch, string what, Tensor pixels)
    {
        var value = given ?? (coordinates is null ? torch.zeros(new long[] { batch, 4 }) : derive(coordinates));
        if (value.dim() != 2 || value.shape[0] != batch || value.shape[1] != 4)
        {
            throw new ArgumentException($"Clay expects {what} [B, 4] = [{batch}, 4] for these pixels; got [{string.Join(", ", value.shape)}].");
        }

        return value.to(pixels.device);
    }

    private void CheckGrid(TokenGrid grid, long[] shape)
    {
        if (Options.FixedGrid && grid != Options.DeclaredGrid)
        {
            var declared = Options.DeclaredGrid;
            throw new ArgumentException(
                $"{displayName} computes its position encoding once for img_size {Options.ImageSize.Height} ({declared.Rows}×{declared.Columns} = {declared.Tokens} patches), " +
                $"but pixels [{string.Join(", ", shape)}] give {grid.Rows}×{grid.Columns} = {grid.Tokens} patches (TerraTorch #773). " +
                $"Use {Options.ImageSize.Height}×{Options.ImageSize.Width} inputs, tile larger ones, or build the encoder with that img_size.");
        }

        if (!Options.FixedGrid && grid.Rows != grid.Columns)
        {
            throw new ArgumentException(
                $"{displayName} computes its position encoding for a square grid of patches (√L × √L); pixels [{string.Join(", ", shape)}] give " +
                $"{grid.Rows}×{grid.Columns}. Use square inputs.");
        }
    }

    private Tensor CheckPixels(Tensor pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        var shape = pixels.shape;
        var patch = ClayEncoderOptions.PatchSize;
        var ok = (shape.Length == 4 || (shape.Length == 5 && shape[2] == 1))
            && shape[0] >= 1
            && shape[1] == Options.InChannels
            && shape[^2] >= patch && shape[^2] % patch == 0
            && shape[^1] >= patch && shape[^1] % patch == 0;
        if (!ok)
        {
            throw new ArgumentException(
                $"{displayName} expects pixels [B, {Options.InChannels}, H, W] (one channel per wavelength: {string.Join(", ", Options.Wavelengths)} µm) " +
                $"or [B, {Options.InChannels}, 1, H, W], with H and W multiples of {patch}; got [{string.Join(", ", shape)}].",
                nameof(pixels));
        }

        return shape.Length == 5 ? pixels.squeeze(2) : pixels;
    }
}

/// <summary>
/// Clay's <c>DynamicEmbedding</c> (claymodel/embedding.py, encoder side): each band's wavelength (µm) gets a 128-channel
/// 1D sin-cos embedding (<c>posemb_sincos_1d</c>), refined by <c>fclayer</c> (a GELU residual MLP);
/// <c>weight_generator</c> turns the bands' embeddings into one [D, 8, 8] kernel per band (× 0.02) and a bias (unscaled),
/// and a stride-8 convolution makes the patch tokens.
/// </summary>
public sealed class ClayDynamicEmbedding : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Width of the wavelength embedding (<c>wave_dim=128</c>).</summary>
    public const int WaveDim = 128;

    /// <summary>Learned query tokens of the weight generator (<c>num_latent_tokens=128</c>).</summary>
    public const int LatentTokens = 128;

    // Clay: F.conv2d(batch, dynamic_weight * 0.02, bias=bias, stride=patch_size); the bias is not scaled.
    private const double WeightScale = 0.02;

    [ComponentName(Name = "weight_generator")]
    private readonly ClayWavesTransformer weightGenerator;

    [ComponentName(Name = "fclayer")]
    private readonly ClayFcBlock fclayer;

    private readonly int embedDim;
    private readonly int patchSize;

    public ClayDynamicEmbedding(int embedDim, int patchSize, Device? device = null, ScalarType? dtype = null)
        : base(nameof(ClayDynamicEmbedding))
    {
        this.embedDim = embedDim;
        this.patchSize = patchSize;
        weightGenerator = new ClayWavesTransformer(WaveDim, patchSize * patchSize * embedDim, LatentTokens, embedDim, device, dtype);
        fclayer = new ClayFcBlock(WaveDim, device, dtype);
        RegisterComponents();

        // Clay initialize_weights: every Linear (attention out_proj included) Xavier-uniform with zero bias.
        using var guard = torch.no_grad();
        foreach (var module in modules())
        {
            if (module is Linear linear)
            {
                nn.init.xavier_uniform_(linear.weight!);
                nn.init.zeros_(linear.bias!);
            }
        }
    }

    /// <summary>Pixels [B, C, H, W] and wavelengths [C] (µm) → tokens [B, h·w, D].</summary>
    public override Tensor forward(Tensor pixels, Tensor wavelengths) => Embed(pixels, wavelengths, out _);

    /// <summary>Pixels [B, C, H, W] and wavelengths [C] (µm) → tokens [B, h·w, D] and their grid.</summary>
    public Tensor Embed(Tensor pixels, Tensor wavelengths, out TokenGrid grid)
    {
        using var scope = torch.NewDisposeScope();
        var (weight, bias) = GenerateKernel(wavelengths);
        var maps = nn.functional.conv2d(pixels, weight.to(pixels.dtype), bias.to(pixels.dtype), strides: new long[] { patchSize, patchSize });
        grid = new TokenGrid(1, (int)maps.shape[2], (int)maps.shape[3]);
        return maps.flatten(2).transpose(1, 2).MoveToOuterDisposeScope(); // "b c h w -> b (h w) c"
    }

    /// <summary>The generated convolution for these wavelengths: weight [D, C, p, p] (scaled by 0.02) and bias [D].</summary>
    public (Tensor Weight, Tensor Bias) GenerateKernel(Tensor wavelengths)
    {
        using var scope = torch.NewDisposeScope();
        var bands = wavelengths.shape[0];
        var waves = fclayer.call(PositionEmbedding1D(wavelengths.to(ScalarType.Float32), WaveDim).to(weightGenerator.Dtype));
        var (weight, bias) = weightGenerator.Generate(waves);

        // "cin (cout k1 k2) -> cout cin k1 k2"
        var kernel = weight.view(bands, embedDim, patchSize, patchSize).permute(1, 0, 2, 3) * WeightScale;
        return (kernel.MoveToOuterDisposeScope(), bias.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Clay's <c>posemb_sincos_1d</c> (claymodel/utils.py): ω_k = 1 / 10000^(k / (dim/2 − 1)) for k &lt; dim/2 (note the
    /// − 1, unlike MAE's), channels [sin(p·ω), cos(p·ω)]. Positions [M] in, [M, dim] out.
    /// </summary>
    public static Tensor PositionEmbedding1D(Tensor positions, int dim)
    {
        using var scope = torch.NewDisposeScope();
        var half = dim / 2;
        var omega = torch.arange(half, dtype: positions.dtype, device: positions.device) / (half - 1);
        omega = torch.pow(10000.0, omega).reciprocal();
        var scaled = positions.reshape(-1).unsqueeze(1) * omega.unsqueeze(0);
        return torch.cat(new[] { scaled.sin(), scaled.cos() }, dim: 1).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Clay's <c>WavesTransformer</c> (encoder side): <c>weight_tokens</c> (128 learned), the band embeddings and a
/// <c>bias_token</c> run through one <c>encoder</c> layer (4 heads); <c>fc_weight</c> maps each band's output plus its
/// input to a flattened kernel, <c>fc_bias</c> the bias token's output to the projection bias.
/// </summary>
public sealed class ClayWavesTransformer : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "encoder")]
    private readonly TorchTransformerEncoder encoder;

    [ComponentName(Name = "fc_weight")]
    private readonly Linear fcWeight;

    [ComponentName(Name = "fc_bias")]
    private readonly Linear fcBias;

    [ComponentName(Name = "weight_tokens")]
    private readonly Parameter weightTokens;

    [ComponentName(Name = "bias_token")]
    private readonly Parameter biasToken;

    public ClayWavesTransformer(int waveDim, int outputDim, int latentTokens, int embedDim, Device? device = null, ScalarType? dtype = null)
        : base(nameof(ClayWavesTransformer))
    {
        encoder = new TorchTransformerEncoder(waveDim, heads: 4, feedForward: 2048, numLayers: 1, device, dtype);
        fcWeight = nn.Linear(waveDim, outputDim, hasBias: true, device: device, dtype: dtype);
        fcBias = nn.Linear(waveDim, embedDim, hasBias: true, device: device, dtype: dtype);
        // Clay: torch.randn(...) * 0.02 for both.
        (weightTokens, biasToken) = WavelengthKernelGenerator.Tokens(latentTokens, waveDim, device, dtype);
        RegisterComponents();
    }

    /// <summary>The dtype of the generator's weights, which its input must match.</summary>
    public ScalarType Dtype => weightTokens.dtype;

    /// <summary>Band embeddings [C, E] → flattened kernels [C, D·p·p].</summary>
    public override Tensor forward(Tensor waves) => Generate(waves).Weight;

    /// <summary>Band embeddings [C, E] → flattened kernels [C, D·p·p] and bias [D].</summary>
    public (Tensor Weight, Tensor Bias) Generate(Tensor waves) => WavelengthKernelGenerator.Generate(encoder, fcWeight, fcBias, weightTokens, biasToken, waves);
}

/// <summary>Clay's <c>FCBlock</c>: x + GELU(l2(GELU(l1(x)))).</summary>
public sealed class ClayFcBlock : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "l1")]
    private readonly Linear l1;

    [ComponentName(Name = "l2")]
    private readonly Linear l2;

    public ClayFcBlock(int size, Device? device = null, ScalarType? dtype = null)
        : base(nameof(ClayFcBlock))
    {
        l1 = nn.Linear(size, size, hasBias: true, device: device, dtype: dtype);
        l2 = nn.Linear(size, size, hasBias: true, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => x + nn.functional.gelu(l2.call(nn.functional.gelu(l1.call(x))));
}

/// <summary>
/// vit-pytorch's <c>Transformer</c> as Clay copies it (claymodel/layers.py): <c>layers.i.0</c> = pre-norm attention,
/// <c>layers.i.1</c> = pre-norm feed-forward, each added to the stream, and a final <c>norm</c>. LayerNorm eps 1e-5.
/// </summary>
public sealed class ClayTransformer : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "norm")]
    private readonly LayerNorm norm;

    [ComponentName(Name = "layers")]
    private readonly ModuleList<ClayTransformerLayer> layers;

    public ClayTransformer(int dim, int depth, int heads, int dimHead, int mlpHidden, Device? device = null, ScalarType? dtype = null)
        : base(nameof(ClayTransformer))
    {
        norm = nn.LayerNorm(dim, eps: 1e-5, device: device, dtype: dtype);
        var list = new ClayTransformerLayer[depth];
        for (var i = 0; i < depth; i++)
        {
            list[i] = new ClayTransformerLayer(dim, heads, dimHead, mlpHidden, device, dtype);
        }

        layers = nn.ModuleList(list);
        RegisterComponents();
    }

    /// <summary>The normed output of the last layer, as Clay's forward returns it.</summary>
    public override Tensor forward(Tensor x) => Run(x, new[] { layers.Count - 1 })[0];

    /// <summary>The outputs of the given layers (non-negative), the last layer's after the final norm; later layers are skipped.</summary>
    public Tensor[] Run(Tensor x, IReadOnlyList<int> indices)
    {
        var lastNeeded = indices.Max();
        var perLayer = new Tensor[lastNeeded + 1];
        for (var i = 0; i <= lastNeeded; i++)
        {
            x = layers[i].call(x);
            perLayer[i] = i == layers.Count - 1 ? norm.call(x) : x;
        }

        return indices.Select(i => perLayer[i]).ToArray();
    }
}

/// <summary>One vit-pytorch layer: children named "0" (attention) and "1" (feed-forward), as the nested ModuleList names them.</summary>
public sealed class ClayTransformerLayer : nn.Module<Tensor, Tensor>
{
    private readonly ClayAttention attention;
    private readonly ClayFeedForward feedForward;

    public ClayTransformerLayer(int dim, int heads, int dimHead, int mlpHidden, Device? device = null, ScalarType? dtype = null)
        : base(nameof(ClayTransformerLayer))
    {
        attention = new ClayAttention(dim, heads, dimHead, device, dtype);
        feedForward = new ClayFeedForward(dim, mlpHidden, device, dtype);
        register_module("0", attention);
        register_module("1", feedForward);
    }

    public override Tensor forward(Tensor x)
    {
        x = attention.call(x) + x;
        return feedForward.call(x) + x;
    }

    // Children are registered under "0" and "1" above; the default would add them again under their field names.
    protected override void RegisterComponents()
    {
    }
}

/// <summary>
/// vit-pytorch's <c>Attention</c>: <c>norm</c>, then <c>to_qkv</c> (no bias) split into heads of <c>dim_head</c>,
/// scaled dot-product attention (scale dim_head^-0.5, Clay's fused path), <c>to_out</c> (no bias).
/// </summary>
public sealed class ClayAttention : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "norm")]
    private readonly LayerNorm norm;

    [ComponentName(Name = "to_qkv")]
    private readonly Linear toQkv;

    [ComponentName(Name = "to_out")]
    private readonly Linear toOut;

    private readonly int heads;
    private readonly int dimHead;

    public ClayAttention(int dim, int heads, int dimHead, Device? device = null, ScalarType? dtype = null)
        : base(nameof(ClayAttention))
    {
        this.heads = heads;
        this.dimHead = dimHead;
        norm = nn.LayerNorm(dim, eps: 1e-5, device: device, dtype: dtype);
        toQkv = nn.Linear(dim, 3L * heads * dimHead, hasBias: false, device: device, dtype: dtype);
        toOut = nn.Linear((long)heads * dimHead, dim, hasBias: false, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var batch = x.shape[0];
        var tokens = x.shape[1];

        // chunk(3) then "b n (h d) -> b h n d" for each of q, k, v.
        var parts = toQkv.call(norm.call(x))
            .reshape(batch, tokens, 3, heads, dimHead)
            .permute(2, 0, 3, 1, 4)
            .unbind(0);
        var attended = nn.functional.scaled_dot_product_attention(parts[0], parts[1], parts[2]);
        return toOut.call(attended.transpose(1, 2).reshape(batch, tokens, (long)heads * dimHead));
    }
}

/// <summary>vit-pytorch's <c>FeedForward</c>: <c>net</c> = Sequential(LayerNorm, Linear, GELU, Linear), keys net.0, net.1, net.3.</summary>
public sealed class ClayFeedForward : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "net")]
    private readonly Sequential net;

    public ClayFeedForward(int dim, int hidden, Device? device = null, ScalarType? dtype = null)
        : base(nameof(ClayFeedForward))
    {
        net = nn.Sequential(
            nn.LayerNorm(dim, eps: 1e-5, device: device, dtype: dtype),
            nn.Linear(dim, hidden, hasBias: true, device: device, dtype: dtype),
            nn.GELU(),
            nn.Linear(hidden, dim, hasBias: true, device: device, dtype: dtype));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => net.call(x);
}
