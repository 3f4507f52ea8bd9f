using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.LanguageModels;

/// <summary>
/// A token-embedding table (<c>weight</c> [vocab, hidden]) initialised N(0, 0.02) as Hugging Face's initializer_range.
/// Written here instead of TorchSharp's <c>nn.Embedding</c> because that one fills its table on the CPU before moving it,
/// so a real-size model on <c>torch.META</c> (built only to count) would still allocate gigabytes for the vocabulary.
/// </summary>
public sealed class TokenEmbedding : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")]
    private readonly Parameter weight;

    public TokenEmbedding(long vocab, long hidden, Device? device = null, ScalarType? dtype = null)
        : base(nameof(TokenEmbedding))
    {
        using (torch.no_grad())
        {
            var table = torch.empty(new[] { vocab, hidden }, dtype: dtype, device: device);
            nn.init.normal_(table, 0.0, 0.02);
            weight = new Parameter(table, requires_grad: true);
        }

        RegisterComponents();
    }

    public Parameter Weight => weight;

    /// <summary>[…] token ids → […, hidden] rows of the table.</summary>
    public override Tensor forward(Tensor ids)
    {
        var rows = weight.index_select(0, ids.reshape(-1));
        var shape = ids.shape.Append(weight.shape[1]).ToArray();
        return rows.reshape(shape);
    }
}
