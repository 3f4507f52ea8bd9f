using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Features;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.Dofa;

/// <summary>
/// The DOFA encoder as TerraTorch uses it (terratorch/models/backbones/dofa_vit.py @24465ea <c>DOFAEncoderWrapper</c>
/// around torchgeo's <c>DOFA</c>, torchgeo/models/dofa.py @eeaeaa4): the wavelength hypernetwork <c>patch_embed</c>
/// turns the band wavelengths into a 16×16 patch projection, then the class token and the fixed position embedding are
/// added and timm blocks run. State-dict keys are torchgeo's (<c>cls_token</c>, <c>pos_embed</c>, <c>patch_embed.*</c>,
/// <c>blocks.*</c>), which the published checkpoints use; torchgeo's classifier <c>fc_norm</c>/<c>head</c> are not part
/// of the encoder (the checkpoints lack them and TerraTorch never calls them).
/// </summary>
/// <remarks>
/// Output: the raw tokens [B, 1 + h·w, D] of each block in <c>out_indices</c> (class token first, no final norm, as
/// TerraTorch's wrapper returns them). Blocks after the last selected one are skipped.
/// </remarks>
public sealed class DofaViT : Backbone<TokenFeatures>
{
    [ComponentName(Name = "cls_token")]
    private Parameter clsToken;

    // torchgeo declares it nn.Parameter(requires_grad=False): a fixed table, in the state dict but never trained.
    [ComponentName(Name = "pos_embed")]
    private Tensor posEmbed;

    [ComponentName(Name = "patch_embed")]
    private readonly DofaPatchEmbed patchEmbed;

    [ComponentName(Name = "blocks")]
    private readonly ModuleList<TimmBlock> blocks;

    // Position embeddings for grids other than the declared one (not registered: a Dictionary is neither a module nor a tensor).
    private readonly Dictionary<TokenGrid, Tensor> otherGridEmbeddings = new();

    private readonly int[] outIndices;
    private readonly float[] wavelengths;
    private readonly string displayName;

    /// <param name="options">Architecture; validated here.</param>
    /// <param name="name">Name used in messages, e.g. the catalog entry <c>dofa_base_patch16_224</c>.</param>
    /// <param name="device">Where to create weights; <c>torch.META</c> builds the structure without memory (for counting).</param>
    /// <param name="dtype">Weight element type; null = the default dtype.</param>
    public DofaViT(DofaViTOptions options, string name = "dofa_vit", Device? device = null, ScalarType? dtype = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        displayName = name;
        outIndices = options.ResolvedOutIndices.ToArray();
        wavelengths = options.Wavelengths.Select(w => (float)w).ToArray();
        var dim = options.EmbedDim;

        patchEmbed = new DofaPatchEmbed(dim, device, dtype);
        using (torch.no_grad())
        {
            // torchgeo: nn.Parameter(torch.zeros(1, 1, embed_dim)); the pretrained value comes from the checkpoint.
            clsToken = new Parameter(torch.zeros(new long[] { 1, 1, dim }, dtype: dtype, device: device), requires_grad: true);

            // torchgeo leaves pos_embed at zeros until weights load (a freshly built DOFA has no position information);
            // DOFA is MAE-pretrained and MAE fills this table with its 2D sin-cos embedding, so a new model starts there.
            using var table = SinCos2DWithClassToken(dim, options.DeclaredGrid);
            posEmbed = table.to(dtype ?? torch.get_default_dtype(), device ?? torch.CPU);

            clsToken.DetachFromDisposeScope();
            posEmbed.DetachFromDisposeScope();
        }

        var blockList = new TimmBlock[options.Depth];
        for (var i = 0; i < blockList.Length; i++)
        {
            // torchgeo: Block(embed_dim, num_heads, mlp_ratio, qkv_bias=True, norm_layer=partial(nn.LayerNorm, eps=1e-6)).
            blockList[i] = new TimmBlock(dim, options.NumHeads, options.MlpRatio, qkvBias: true, dropPath: options.DropPath,
                normEps: 1e-6, device: device, dtype: dtype);
        }

        blocks = nn.ModuleList(blockList);
        RegisterComponents();
    }

    /// <summary>The options this encoder was built from.</summary>
    public DofaViTOptions Options { get; }

    /// <summary>The token grid of the declared image size.</summary>
    public TokenGrid DeclaredGrid => Options.DeclaredGrid;

    /// <summary>The blocks whose outputs <see cref="forward"/> returns, non-negative, in order.</summary>
    public IReadOnlyList<int> OutIndices => outIndices;

    /// <summary>The hypernetwork patch embedding (<c>patch_embed</c>).</summary>
    public DofaPatchEmbed PatchEmbed => patchEmbed;

    /// <summary>Encodes pixels [B, C, H, W] (or [B, C, 1, H, W]); H and W multiples of 16, C the number of wavelengths.</summary>
    public override TokenFeatures forward(BackboneInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = torch.NewDisposeScope();
        var pixels = CheckPixels(input.Pixels);
        var batch = pixels.shape[0];
        var waves = torch.tensor(wavelengths, dtype: ScalarType.Float32, device: pixels.device);

        var tokens = patchEmbed.Embed(pixels, waves, out var grid); // [B, h·w, D]
        var position = PositionEmbeddingFor(grid);
        tokens = tokens + position.narrow(1, 1, grid.Tokens);
        var cls = (clsToken + position.narrow(1, 0, 1)).expand(batch, -1, -1);
        var x = torch.cat(new[] { cls, tokens }, dim: 1);

        var lastNeeded = outIndices.Max();
        var perBlock = new Tensor[lastNeeded + 1];
        for (var i = 0; i <= lastNeeded; i++)
        {
            x = blocks[i].call(x);
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
    /// The position embedding [1, 1 + h·w, D] for a token grid: the stored <c>pos_embed</c> for the declared grid, else the
    /// patch part resized bilinearly (align_corners = false) with the class row kept, as TerraTorch's <c>resize_pos_embed</c>
    /// adapts a 224-px checkpoint to another <c>img_size</c>. Cached per grid, device and dtype; owned by the model.
    /// </summary>
    public Tensor PositionEmbeddingFor(TokenGrid grid)
    {
        if (grid == DeclaredGrid)
        {
            return posEmbed;
        }

        if (otherGridEmbeddings.TryGetValue(grid, out var cached))
        {
            if (cached.device_type == posEmbed.device_type && cached.device_index == posEmbed.device_index && cached.dtype == posEmbed.dtype)
            {
                return cached;
            }

            otherGridEmbeddings.Remove(grid);
            cached.Dispose();
        }

        Tensor result;
        using (torch.no_grad())
        {
            result = ResizePositionEmbedding(posEmbed, DeclaredGrid, grid);
            result.DetachFromDisposeScope();
        }

        otherGridEmbeddings[grid] = result;
        return result;
    }

    /// <summary>
    /// Resizes a [1, 1 + h0·w0, D] table (class row first) to another grid: bilinear over the patch rows, class row
    /// unchanged (TerraTorch dofa_vit.py <c>resize_pos_embed</c>, its default <c>pos_interpolation_mode='bilinear'</c>).
    /// </summary>
    public static Tensor ResizePositionEmbedding(Tensor table, TokenGrid from, TokenGrid to)
    {
        ArgumentNullException.ThrowIfNull(table);
        using var scope = torch.NewDisposeScope();
        var dim = table.shape[2];
        var classRow = table.narrow(1, 0, 1);
        var patches = table.narrow(1, 1, from.Rows * from.Columns)
            .reshape(1, from.Rows, from.Columns, dim)
            .permute(0, 3, 1, 2);
        var resized = nn.functional.interpolate(patches, new long[] { to.Rows, to.Columns }, mode: InterpolationMode.Bilinear, align_corners: false);
        return torch.cat(new[] { classRow, resized.flatten(2).transpose(1, 2) }, dim: 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// MAE's fixed 2D sin-cos table with a leading all-zero class row, [1, 1 + rows·columns, dim] float32: each token's
    /// first dim/2 channels encode its column, the rest its row, each as <see cref="SinCosEmbedding.OneDimensional"/>
    /// (facebookresearch/mae util/pos_embed.py <c>get_2d_sincos_pos_embed</c>, whose grid puts w first).
    /// </summary>
    public static Tensor SinCos2DWithClassToken(int dim, TokenGrid grid)
    {
        if (dim <= 0 || dim % 4 != 0)
        {
            throw new ArgumentException($"A 2D sin-cos embedding needs a width that is a multiple of 4; got {dim}.", nameof(dim));
        }

        var half = dim / 2;
        var columns = SinCosEmbedding.OneDimensional(half, grid.Columns);
        var rows = SinCosEmbedding.OneDimensional(half, grid.Rows);
        var count = grid.Rows * grid.Columns;
        var data = new double[(count + 1) * dim];
        for (var r = 0; r < grid.Rows; r++)
        {
            for (var c = 0; c < grid.Columns; c++)
            {
                var start = ((r * grid.Columns) + c + 1) * dim;
                Array.Copy(columns, c * half, data, start, half);
                Array.Copy(rows, r * half, data, start + half, half);
            }
        }

        using var asDouble = torch.tensor(data, new long[] { 1, count + 1, dim }, ScalarType.Float64);
        return asDouble.to(ScalarType.Float32);
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
        var shape = pixels.shape;
        var patch = DofaViTOptions.PatchSize;
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
/// DOFA's wavelength hypernetwork patch embedding (torchgeo <c>DOFAEmbedding</c>, zhu-xlab/DOFA <c>Dynamic_MLP_OFA</c>):
/// each band's wavelength (µm × 1000) gets a 128-channel 1D sin-cos embedding, refined by <c>fclayer</c> (a ReLU residual
/// MLP); <c>weight_generator</c> turns the bands' embeddings into one 16×16 kernel per band and a shared bias, both scaled
/// by 0.01, and a stride-16 convolution with padding 1 (as the source has it) makes the patch tokens.
/// </summary>
public sealed class DofaPatchEmbed : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Width of the wavelength embedding (torchgeo <c>dynamic_embed_dim=128</c>).</summary>
    public const int DynamicEmbedDim = 128;

    // torchgeo: self.scaler = 0.01 multiplies both generated weights and bias.
    private const double Scaler = 0.01;

    [ComponentName(Name = "weight_generator")]
    private readonly DofaWeightGenerator weightGenerator;

    [ComponentName(Name = "fclayer")]
    private readonly DofaFcResLayer fclayer;

    private readonly int embedDim;

    public DofaPatchEmbed(int embedDim, Device? device = null, ScalarType? dtype = null)
        : base(nameof(DofaPatchEmbed))
    {
        this.embedDim = embedDim;
        var kernel = DofaViTOptions.PatchSize;
        weightGenerator = new DofaWeightGenerator(DynamicEmbedDim, kernel * kernel * embedDim, embedDim, device, dtype);
        fclayer = new DofaFcResLayer(DynamicEmbedDim, device, dtype);
        RegisterComponents();
        InitializeLikeDofa();
    }

    /// <summary>Pixels [B, C, H, W] and wavelengths [C] (µm) → tokens [B, h·w, D].</summary>
    public override Tensor forward(Tensor pixels, Tensor wavelengths) => Embed(pixels, wavelengths, out _);

    /// <summary>Pixels [B, C, H, W] and wavelengths [C] (µm) → tokens [B, h·w, D] and their grid.</summary>
    public Tensor Embed(Tensor pixels, Tensor wavelengths, out TokenGrid grid)
    {
        using var scope = torch.NewDisposeScope();
        var (weight, bias) = GenerateKernel(wavelengths);
        var patch = DofaViTOptions.PatchSize;
        var maps = nn.functional.conv2d(pixels, weight.to(pixels.dtype), bias.to(pixels.dtype), strides: new long[] { patch, patch }, padding: new long[] { 1, 1 });
        grid = new TokenGrid(1, (int)maps.shape[2], (int)maps.shape[3]);
        return maps.flatten(2).transpose(1, 2).MoveToOuterDisposeScope();
    }

    /// <summary>The generated convolution for these wavelengths: weight [D, C, 16, 16] and bias [D], both already scaled.</summary>
    public (Tensor Weight, Tensor Bias) GenerateKernel(Tensor wavelengths)
    {
        using var scope = torch.NewDisposeScope();
        var bands = wavelengths.shape[0];
        var patch = DofaViTOptions.PatchSize;
        var waves = SinCosEmbedding.OfPositions(DynamicEmbedDim, wavelengths.to(ScalarType.Float32) * 1000);
        waves = fclayer.call(waves.to(weightGenerator.Dtype));
        var (weight, bias) = weightGenerator.Generate(waves);

        // torchgeo @eeaeaa4: weight.view(inplanes, k, k, embed_dim).permute(3, 0, 1, 2). zhu-xlab's first release viewed
        // it as (embed_dim, inplanes, k, k) instead; the current torchgeo weights go with the permuted layout.
        var kernel = weight.view(bands, patch, patch, embedDim).permute(3, 0, 1, 2) * Scaler;
        return (kernel.MoveToOuterDisposeScope(), (bias.view(embedDim) * Scaler).MoveToOuterDisposeScope());
    }

    private void InitializeLikeDofa()
    {
        // torchgeo _init_weights: every Linear of weight_generator and fclayer (attention out_proj included) gets a
        // Xavier-uniform weight and a bias of 0.01; in_proj keeps PyTorch's Xavier/zero start.
        using var guard = torch.no_grad();
        foreach (var module in modules())
        {
            if (module is Linear linear)
            {
                nn.init.xavier_uniform_(linear.weight!);
                linear.bias!.fill_(0.01);
            }
        }
    }
}

/// <summary>
/// DOFA's <c>TransformerWeightGenerator</c>: 128 learned <c>weight_tokens</c>, the band embeddings and a
/// <c>bias_token</c> run through one <c>transformer_encoder</c> layer (4 heads); <c>fc_weight</c> maps each band's output
/// (plus its input, a residual) to a flattened kernel, <c>fc_bias</c> maps the bias token's output to the bias.
/// </summary>
public sealed class DofaWeightGenerator : nn.Module<Tensor, Tensor>
{
    /// <summary>Learned weight tokens (torchgeo <c>wt_num = 128</c>).</summary>
    public const int WeightTokenCount = 128;

    [ComponentName(Name = "transformer_encoder")]
    private readonly TorchTransformerEncoder transformerEncoder;

    [ComponentName(Name = "fc_weight")]
    private readonly Linear fcWeight;

    [ComponentName(Name = "fc_bias")]
    private readonly Linear fcBias;

    [ComponentName(Name = "weight_tokens")]
    private readonly Parameter weightTokens;

    [ComponentName(Name = "bias_token")]
    private readonly Parameter biasToken;

    public DofaWeightGenerator(int inputDim, int outputDim, int embedDim, Device? device = null, ScalarType? dtype = null)
        : base(nameof(DofaWeightGenerator))
    {
        transformerEncoder = new TorchTransformerEncoder(inputDim, heads: 4, feedForward: 2048, numLayers: 1, device, dtype);
        fcWeight = nn.Linear(inputDim, outputDim, hasBias: true, device: device, dtype: dtype);
        fcBias = nn.Linear(inputDim, embedDim, hasBias: true, device: device, dtype: dtype);
        // torchgeo: torch.nn.init.normal_(std=0.02) on both (timm's trunc_normal_ with its wide cutoff).
        (weightTokens, biasToken) = WavelengthKernelGenerator.Tokens(WeightTokenCount, inputDim, device, dtype);
        RegisterComponents();
    }

    /// <summary>The dtype of the generator's weights, which its input must match.</summary>
    public ScalarType Dtype => weightTokens.dtype;

    /// <summary>Band embeddings [C, E] → the flattened kernels [C, k·k·D] (for the caller to view).</summary>
    public override Tensor forward(Tensor waves) => Generate(waves).Weight;

    /// <summary>Band embeddings [C, E] → flattened kernels [C, k·k·D] and bias [D].</summary>
    public (Tensor Weight, Tensor Bias) Generate(Tensor waves) =>
        WavelengthKernelGenerator.Generate(transformerEncoder, fcWeight, fcBias, weightTokens, biasToken, waves);
}

/// <summary>DOFA's <c>FCResLayer</c>: x + ReLU(w2(ReLU(w1(x)))).</summary>
public sealed class DofaFcResLayer : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "w1")]
    private readonly Linear w1;

    [ComponentName(Name = "w2")]
    private readonly Linear w2;

    public DofaFcResLayer(int size, Device? device = null, ScalarType? dtype = null)
        : base(nameof(DofaFcResLayer))
    {
        w1 = nn.Linear(size, size, hasBias: true, device: device, dtype: dtype);
        w2 = nn.Linear(size, size, hasBias: true, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => x + nn.functional.relu(w2.call(nn.functional.relu(w1.call(x))));
}
