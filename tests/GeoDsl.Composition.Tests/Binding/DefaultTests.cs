using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Specs;
using GeoDsl.Composition.Tests.Diagnostics;

namespace GeoDsl.Composition.Tests.Binding;

/// <summary>A bound spec lists every parameter with its default filled in, so nothing downstream knows about defaults.</summary>
public sealed class DefaultTests
{
    private static readonly ModelSpec Spec = TestModels.Single(Diagnosed.Compile(Diagnosed.Valid)).Spec;

    [Fact]
    public void TrainSectionLeftOutGetsEveryDefault()
    {
        var expected = new TrainSpec(
            BatchSize: 8,
            Epochs: 10,
            Precision: Precision.Fp32,
            Optimizer: new ObjectValue("adamw", EquatableArray.Create(new Argument("lr", new FloatValue(1e-4)), new Argument("weight_decay", new FloatValue(0.05)))),
            Loss: "ce",
            IgnoreIndex: -1,
            ClassWeights: EquatableArray<double>.Empty,
            FreezeBackbone: false,
            FreezeDecoder: false,
            GradientCheckpointing: false,
            Seed: 0);

        Assert.Equal(expected, Spec.Train);
    }

    [Fact]
    public void EmptyTrainSectionGetsTheSameDefaults()
    {
        var spec = TestModels.Single(Diagnosed.Compile(Diagnosed.ValidPlus("train { }"))).Spec;

        Assert.Equal(Spec.Train, spec.Train);
    }

    [Fact]
    public void TargetLeftOutIsTheRtx4090()
    {
        Assert.Equal(new TargetSpec("rtx_4090", 24564L * 1024 * 1024, "RTX 4090 (24 GiB)"), Spec.Target);
    }

    [Fact]
    public void InputGetsTheBackbonesImageSizeAndOneFrame()
    {
        var input = Spec.Input;

        Assert.Equal((224, 224, 1), (input.Height, input.Width, input.Frames));
        Assert.Empty(input.Means);
        Assert.Empty(input.Stds);
    }

    [Fact]
    public void EveryComponentListsAllItsParametersInDeclarationOrder()
    {
        var catalog = ComponentCatalog.Default;
        var components = new[] { (ComponentKind.Backbone, Spec.Backbone), (ComponentKind.Decoder, Spec.Decoder), (ComponentKind.Head, Spec.Head!) }
            .Concat(Spec.Necks.Select(n => (ComponentKind.Neck, n)));

        Assert.All(components, c =>
        {
            var declared = catalog.Find(c.Item1, c.Item2.Name)!.Parameters;
            Assert.Equal(declared.Select(p => p.Name), c.Item2.Arguments.Select(a => a.Name));
        });
    }

    [Fact]
    public void ArgumentsLeftOutHoldTheirDefaults()
    {
        var declared = ComponentCatalog.Default.FindBackbone("prithvi_eo_tiny")!.Parameters;

        Assert.All(declared, p => Assert.Equal(p.Default, Spec.Backbone.Arguments.Single(a => a.Name == p.Name).Value));
        Assert.Equal(
            (false, 0.0, 1L, 4.0),
            (Spec.Backbone.Args.Bool("pretrained"), Spec.Backbone.Args.Double("drop_path"), ((IntValue)Spec.Backbone.Args.Find("tubelet_size")!).Value, Spec.Backbone.Args.Double("mlp_ratio")));
        Assert.Null(Spec.Backbone.Args.Find("out_indices"));
    }

    [Fact]
    public void HeadAndDecoderDefaultsAreFilled()
    {
        // Spot checks only: the catalog grows parameters, and the test above already checks that all are present.
        Assert.Equal((2, null, 0.0), (Spec.Head!.Args.Int("num_classes"), Spec.Head.Args.Find("channel_list"), Spec.Head.Args.Double("dropout")));
        Assert.Equal(new[] { 256, 128, 64, 32 }, Spec.Decoder.Args.IntList("channels"));
        Assert.True(Spec.Decoder.Args.Bool("use_batchnorm"));
    }

    [Fact]
    public void GivenValuesReplaceTheDefaults()
    {
        var spec = TestModels.Single(Diagnosed.Compile(Diagnosed.ValidPlus("train { batch_size = 4, precision = bf16_mixed, optimizer = adam { weight_decay = 0.01 }, loss = dice, seed = 7 }"))).Spec;

        Assert.Equal(
            (4, Precision.Bf16Mixed, "adam { lr = 0.001, weight_decay = 0.01 }", "dice", 7),
            (spec.Train.BatchSize, spec.Train.Precision, spec.Train.Optimizer.ToSource(), spec.Train.Loss, spec.Train.Seed));
        Assert.Equal(Spec.Train.Epochs, spec.Train.Epochs);
    }
}
