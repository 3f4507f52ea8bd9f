using GeoDsl.Composition.Shapes;
using GeoDsl.Runtime.Composition;
using GeoDsl.Runtime.Composition.Custom;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Tests.Training;
using GeoDsl.Runtime.Training;
using GeoDsl.Runtime.Training.Progress;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Custom;

[Collection(TrainingCollection.Name)]
public sealed class CustomComponentTests
{
    private const string Bands = "[BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2]";

    private readonly TinyWaterTraining data;

    public CustomComponentTests(TinyWaterTraining data) => this.data = data;

    private static string ModelText(string backbone, string decoder = "tiny_fuse_decoder") => $$"""
        model CustomWater : segmentation {
            input    { bands = {{Bands}}, size = 32 }
            backbone {{backbone}}
            decoder  {{decoder}}
            head     segmentation { num_classes = 2 }
            train    { batch_size = 4, epochs = 3, optimizer = adamw { lr = 0.01 }, loss = ce, seed = 3 }
        }
        """;

    [Fact]
    public void ACustomBackboneAndDecoderAreUsedByNameWithTheirDeclaredShapes()
    {
        var custom = new CustomComponentSet().Add<TinyConvEncoder>().Add<TinyFuseDecoder>();
        using var model = new GeoModel(custom.Compile(ModelText("tiny_conv_encoder")), custom);

        // 32 px at strides 4 and 8: 8×8 and 4×4; the decoder fuses to the fine map's size.
        Assert.Equal("B×16×8×8, B×32×4×4", model.Shapes.Trace.Stages[0].Output.DescribeShapes());
        Assert.Equal("B×24×8×8", model.Shapes.Trace.Stages[1].Output.DescribeShapes());
        Assert.Equal((6L * 16 * 16) + 16 + (16 * 32 * 4) + 32, model.Shapes.Trace.Stages[0].Parameters);
        Assert.IsType<TinyConvEncoder>(model.Encoder);
    }

    [Fact]
    public void AModelWithACustomBackboneTrainsAndItsLossFalls()
    {
        var custom = new CustomComponentSet().Add<TinyConvEncoder>().Add<TinyFuseDecoder>();
        torch.manual_seed(3);
        using var model = new GeoModel(custom.Compile(ModelText("tiny_conv_encoder")), custom);
        var report = GeoTrainer.Fit(model, data.Train, null, new TrainingOptions { Progress = TrainingProgressMode.Off });

        Assert.Equal(3, report.Epochs.Count);
        Assert.True(report.Epochs[^1].TrainLoss < report.Epochs[0].TrainLoss, $"loss went from {report.Epochs[0].TrainLoss} to {report.Epochs[^1].TrainLoss}");
    }

    [Fact]
    public void ABackboneWhoseDeclarationLiesFailsOnItsFirstForwardPassNamingTheOutputAndBothShapes()
    {
        var custom = new CustomComponentSet().Add<LyingConvEncoder>();
        using var model = new GeoModel(custom.Compile(ModelText("lying_conv_encoder", "fcn { channels = 16, num_convs = 1 }")), custom);

        var contract = Assert.Throws<CustomComponentException>(() => model.Predict(torch.randn(1, 6, 32, 32)));
        Assert.Contains("custom backbone 'lying_conv_encoder'", contract.Message);
        Assert.Contains("output 1 is B×32×4×4 but its declaration gives B×64×4×4", contract.Message);
    }

    [Fact]
    public void TheTestHelperAcceptsAnHonestBackboneAndRejectsALyingOne()
    {
        using var honest = new TinyConvEncoder(6, secondWidth: 32);
        var shape = ComponentContract.Verify(honest, height: 64, width: 64);
        Assert.Equal("B×16×16×16, B×32×8×8", shape.DescribeShapes());

        using var lying = new LyingConvEncoder();
        var error = Assert.Throws<CustomComponentException>(() => ComponentContract.Verify(lying, height: 64, width: 64));
        Assert.Contains("output 1 is B×32×8×8 but its declaration gives B×64×8×8", error.Message);
    }

    [Fact]
    public void TheTestHelperChecksADecoderAgainstTheShapeItsDeclarationDerivesFromTheInput()
    {
        using var decoder = new TinyFuseDecoder();
        var input = new MapFeatures(torch.randn(2, 16, 12, 12), torch.randn(2, 32, 6, 6));
        Assert.Equal("B×24×12×12", ComponentContract.Verify(decoder, input).DescribeShapes());
    }

    [Fact]
    public void AnInconsistentDeclarationCannotBeRegisteredAndEveryProblemIsNamed()
    {
        var error = Assert.Throws<CustomComponentException>(() => new CustomComponentSet().Add<InconsistentEncoder>());
        Assert.Contains("GEO1040: custom backbone 'inconsistent_encoder' lists channels for 2 outputs but strides for 3", error.Message);
        Assert.Contains("GEO1041: custom backbone 'inconsistent_encoder' declares Strides = 6", error.Message);
    }

    [Fact]
    public void ADecoderFedOtherChannelsThanItDeclaresIsAFrontEndError()
    {
        var custom = new CustomComponentSet().Add<TinyFuseDecoder>();
        var text = ModelText("resnet18 { out_indices = [0, 1] }").Replace(Bands, "[RED, GREEN, BLUE]");
        var error = Assert.Throws<InvalidOperationException>(() => custom.Compile(text));
        Assert.Contains("GEO1003", error.Message);
        Assert.Contains("channels [16, 32] (its declared InputChannels)", error.Message);
    }
}
