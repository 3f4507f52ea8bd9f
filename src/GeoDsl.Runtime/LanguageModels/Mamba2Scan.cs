using System;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.LanguageModels;

/// <summary>
/// Mamba-2's selective state-space scan (the SSD recurrence of Dao and Gu, 2024) per head h with state S [head_dim, state]:
/// S_t = exp(dt_t·A_h)·S_{t−1} + dt_t·x_t ⊗ B_t, y_t = S_t·C_t. <see cref="Chunked"/> is the chunked algorithm (quadratic
/// inside a chunk, the recurrence only across chunk boundaries); <see cref="Sequential"/> is the plain recurrence, the
/// reference it must equal. Inputs: x [B, L, H, P], dt [B, L, H] (after softplus), A [H] (negative), B and C [B, L, H, N]
/// (groups already repeated per head). The D skip connection is the caller's.
/// </summary>
public static class Mamba2Scan
{
    /// <returns>y [B, L, H, P] and the final state [B, H, P, N].</returns>
    public static (Tensor Y, Tensor FinalState) Sequential(Tensor x, Tensor dt, Tensor a, Tensor b, Tensor c, Tensor? initialState = null)
    {
        var length = x.shape[1];
        var state = initialState ?? torch.zeros(x.shape[0], x.shape[2], x.shape[3], b.shape[3], dtype: x.dtype, device: x.device);
        var outputs = new Tensor[length];
        for (var t = 0; t < length; t++)
        {
            var step = dt[.., t];                                        // [B, H]
            var decay = (step * a).exp().unsqueeze(-1).unsqueeze(-1);    // [B, H, 1, 1]
            var input = (step.unsqueeze(-1) * x[.., t]).unsqueeze(-1) * b[.., t].unsqueeze(2); // [B, H, P, N]
            state = (decay * state) + input;
            outputs[t] = torch.einsum("bhpn,bhn->bhp", state, c[.., t]);
        }

        return (torch.stack(outputs, dim: 1), state);
    }

    /// <param name="chunkSize">Tokens per chunk (mamba_chunk_size; 256 in GraniteMoeHybrid's config).</param>
    /// <returns>y [B, L, H, P] and the final state [B, H, P, N].</returns>
    public static (Tensor Y, Tensor FinalState) Chunked(Tensor x, Tensor dt, Tensor a, Tensor b, Tensor c, int chunkSize, Tensor? initialState = null)
    {
        if (chunkSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkSize), chunkSize, "The chunk size must be at least 1.");
        }

        var batch = x.shape[0];
        var length = x.shape[1];
        var heads = x.shape[2];
        var headDim = x.shape[3];
        var stateSize = b.shape[3];
        var padded = (length + chunkSize - 1) / chunkSize * chunkSize;
        var chunks = padded / chunkSize;

        // Zero padding at the end: dt = 0 there, so padded steps neither decay nor feed the state.
        Tensor Chunk(Tensor t) => nn.functional.pad(t, PadLength(t.dim(), padded - length)).reshape(ChunkShape(t, chunks, chunkSize));
        var xdt = Chunk(x * dt.unsqueeze(-1));                            // [B, c, Q, H, P]
        var bc = Chunk(b);                                                // [B, c, Q, H, N]
        var cc = Chunk(c);
        var logDecay = Chunk(dt * a).permute(0, 3, 1, 2);                 // [B, H, c, Q]
        var cumulative = logDecay.cumsum(-1);

        // Inside a chunk: y_i = Σ_{j≤i} exp(Σ_{k=j+1..i} dt_k·A) (C_i·B_j) dt_j x_j.
        var segment = cumulative.unsqueeze(-1) - cumulative.unsqueeze(-2); // [B, H, c, i, j]
        var causal = torch.ones(chunkSize, chunkSize, dtype: ScalarType.Bool, device: x.device).tril();
        var within = segment.masked_fill(causal.logical_not(), double.NegativeInfinity).exp();
        var yDiagonal = torch.einsum("bcihn,bcjhn,bhcij,bcjhp->bcihp", cc, bc, within, xdt);

        // Each chunk's contribution to the state at its end, then the recurrence across chunk boundaries.
        var toEnd = (cumulative[.., .., .., ^1..] - cumulative).exp();     // [B, H, c, Q]
        var chunkStates = torch.einsum("bcjhn,bhcj,bcjhp->bchpn", bc, toEnd, xdt);
        var chunkDecay = cumulative[.., .., .., -1].exp();                 // [B, H, c]
        var state = initialState ?? torch.zeros(batch, heads, headDim, stateSize, dtype: x.dtype, device: x.device);
        var before = new Tensor[chunks];
        for (var k = 0; k < chunks; k++)
        {
            before[k] = state;
            state = (chunkDecay[.., .., k].unsqueeze(-1).unsqueeze(-1) * state) + chunkStates[.., k];
        }

        // The state entering a chunk, decayed to each position and read out by C.
        var entering = torch.stack(before, dim: 1);                       // [B, c, H, P, N]
        var yOff = torch.einsum("bcihn,bchpn,bhci->bcihp", cc, entering, cumulative.exp());
        var y = (yDiagonal + yOff).reshape(batch, padded, heads, headDim)[.., ..(int)length];
        return (y, state);
    }

    private static long[] PadLength(long dims, long extra)
    {
        // F.pad lists (before, after) pairs from the last dimension back; the sequence is dimension 1.
        var pad = new long[(dims - 1) * 2];
        pad[^1] = extra;
        return pad;
    }

    private static long[] ChunkShape(Tensor t, long chunks, long chunkSize)
    {
        var shape = new long[t.dim() + 1];
        shape[0] = t.shape[0];
        shape[1] = chunks;
        shape[2] = chunkSize;
        for (var i = 2; i < t.dim(); i++)
        {
            shape[i + 1] = t.shape[i];
        }

        return shape;
    }
}
