using GeoDsl.Composition.Catalog;

namespace GeoDsl.Composition.Tests.Catalog.Clay;

/// <summary>
/// The closed-form encoder counts. Clay's v1.5 specification (docs/release-notes/specification.md) gives the encoder as
/// 311 M of a 632 M total; v1.0's specification gives only "201 M" for everything (encoder, MAE decoder, DINO teacher,
/// projection). The exact figures also equal bench/keys (torch 1.13 restatement of the source), which the runtime tests
/// compare with the TorchSharp modules.
/// </summary>
public sealed class ClayParameterCountTests
{
    [Theory]
    [InlineData("clay_v1_base", 92_102_144)]
    [InlineData("clay_v1_5_large", 311_442_944)]
    public void TheEncoderHasTheExactLearnableParameterCount(string backbone, long expected)
    {
        var analysis = TestModels.Single(ClayModels.Compile(backbone));

        Assert.Equal(expected, analysis.Trace.Stages[0].Parameters);
    }

    [Fact]
    public void TheV15EncoderRoundsToThe311MillionOfClaysSpecification()
    {
        var analysis = TestModels.Single(ClayModels.Compile("clay_v1_5_large"));

        Assert.Equal(311, (int)Math.Round(analysis.Trace.Stages[0].Parameters / 1e6));
    }

    [Fact]
    public void TheV10EncoderPlusDecoderTeacherAndProjectionMakeThe201MillionOfClaysSpecification()
    {
        // Decoder: 512 wide, 6 layers of 6 heads × 64 (spec v1.0), enc_to_dec 768→512, mask_patch, and a pixel-side
        // dynamic embedding (no bias generator); teacher: timm vit_base_patch16_224.dino without head; proj: 768→768.
        long decoderLayers = 6 * ((2 * 512) + (512 * 3 * 384) + (384 * 512) + (2 * 512) + (512 * 2048) + 2048 + (2048 * 512) + 512);
        long decoderEmbedding = (2 * ((128 * 128) + 128)) + 593_024 + (128 * 64 * 512) + (64 * 512) + (129 * 128);
        long decoder = decoderLayers + (2 * 512) + (768 * 512) + 512 + 512 + decoderEmbedding;
        long teacher = 86_567_656 - ((768 * 1000) + 1000);
        long projection = (768 * 768) + 768;
        var encoder = TestModels.Single(ClayModels.Compile("clay_v1_base")).Trace.Stages[0].Parameters;

        Assert.Equal(201, (int)Math.Round((encoder + decoder + teacher + projection) / 1e6));
    }
}
