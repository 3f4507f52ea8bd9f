using GeoDsl.Composition.Catalog.LanguageModels;
using GeoDsl.Runtime.LanguageModels;
using TorchSharp;
using Catalog = GeoDsl.Composition.Catalog.LanguageModels.LanguageModels;

namespace GeoDsl.Runtime.Tests.LanguageModels;

/// <summary>
/// Real-size Qwen2.5 decoders built on the meta device (no memory) have the front end's closed-form parameter count and
/// the totals their model cards publish (backbone-facts.md §C4: 0.49 / 1.54 / 3.09 / 7.61 B, rounded to 0.01 B).
/// </summary>
public sealed class Qwen2ParameterCountTests
{
    public static TheoryData<string, double> Published => new()
    {
        { "qwen2_5_0_5b", 0.49 },
        { "qwen2_5_1_5b", 1.54 },
        { "qwen2_5_3b", 3.09 },
        { "qwen2_5_7b", 7.61 },
    };

    /// <remarks>The cards give two decimals, rounded or cut (3.086 B is "3.09", 7.616 B is "7.61"): within 0.01 B.</remarks>
    [Theory]
    [MemberData(nameof(Published))]
    public void TheRuntimeCountEqualsTheClosedFormAndThePublishedTotal(string name, double publishedBillions)
    {
        var config = Catalog.Find(name)!;
        using var model = new Qwen2ForCausalLM(config, device: torch.META);
        var count = model.ParameterCount();
        Assert.Equal(LanguageModelCounts.Of(config).Total, count);
        Assert.InRange(count / 1e9, publishedBillions - 0.01, publishedBillions + 0.01);
    }

    [Fact]
    public void UntyingQwen25ThreeBAddsOneEmbeddingMatrix()
    {
        var config = Catalog.Find("qwen2_5_3b")!;
        using var tied = new Qwen2ForCausalLM(config, device: torch.META);
        using var untied = new Qwen2ForCausalLM(config, tiedEmbeddings: false, device: torch.META);
        Assert.Equal(151_936L * 2048, untied.ParameterCount() - tied.ParameterCount());
    }
}
