using System.Reflection;
using GeoDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GeoDsl.Generators.Tests.CustomComponents;

/// <summary>
/// Models that name custom components compile against the components' declarations, from the same project or from a
/// referenced assembly, and the generated class constructs the user's modules.
/// </summary>
public sealed class CustomComponentGenerationTests
{
    private const string Components = """
        using GeoDsl;
        using GeoDsl.Runtime.Composition;
        using GeoDsl.Runtime.Features;
        using TorchSharp;
        using static TorchSharp.torch;

        namespace Demo
        {
            [GeoCustomBackbone("demo_encoder", InChannels = 3, Output = FeatureKinds.Maps, Channels = new[] { 8, 16 }, Strides = new[] { 4, 8 })]
            public sealed class DemoEncoder : Backbone<MapFeatures>
            {
                private readonly nn.Module<Tensor, Tensor> stem;
                private readonly nn.Module<Tensor, Tensor> down;

                public DemoEncoder(ComponentBuild build) : base("DemoEncoder")
                {
                    stem = nn.Conv2d(build.Model.Input.Channels, 8, 4, stride: 4);
                    down = nn.Conv2d(8, 16, 2, stride: 2);
                    RegisterComponents();
                }

                public override MapFeatures forward(BackboneInput input)
                {
                    var first = stem.call(input.Pixels);
                    return new MapFeatures(first, down.call(first));
                }
            }
        }
        """;

    private const string Model = """
        model DemoSegmenter : segmentation {
            input    { bands = [RED, GREEN, BLUE], size = 32 }
            backbone demo_encoder
            decoder  fcn { channels = 8, num_convs = 1 }
            head     segmentation { num_classes = 2 }
        }
        """;

    [Fact]
    public void AModelNamingAProjectsCustomBackboneIsGeneratedAndBuildsTheUsersModule()
    {
        var run = TestHelper.Generate(GeoModelFile.Inline("demo.geomodel", Model), Components);
        run.AssertGeneratorRanQuietly();
        run.AssertCompilesCleanly();
        string source = Assert.Single(run.GeneratedSources).Value;
        Assert.Contains(".Add<global::Demo.DemoEncoder>(build => new global::Demo.DemoEncoder(build));", source, StringComparison.Ordinal);
        Assert.Contains("public global::Demo.DemoEncoder BackboneStage", source, StringComparison.Ordinal);

        using var stream = new MemoryStream();
        Assert.True(run.Output.Emit(stream).Success);
        var assembly = Assembly.Load(stream.ToArray());
        using var model = (GeoDsl.Runtime.Composition.GeoModel)Activator.CreateInstance(assembly.GetType("Snapshots.DemoSegmenter")!)!;
        Assert.Equal("Demo.DemoEncoder", model.Encoder.GetType().FullName);
        var output = model.Predict(TorchSharp.torch.randn(1, 3, 32, 32)).Output;
        Assert.Equal(new long[] { 1, 2, 32, 32 }, output.shape);
    }

    [Fact]
    public void AModelNamingACustomBackboneOfAReferencedAssemblyIsGenerated()
    {
        var library = TestHelper.CreateCompilation(new[] { Components }).WithAssemblyName("Demo.Components");
        using var stream = new MemoryStream();
        var emitted = library.Emit(stream);
        Assert.True(emitted.Success, GeneratorRun.Describe(emitted.Diagnostics));

        var project = TestHelper.CreateCompilation(Array.Empty<string>()).AddReferences(MetadataReference.CreateFromImage(stream.ToArray()));
        TestHelper.CreateDriver(new[] { GeoModelFile.Inline("demo.geomodel", Model) }, trackSteps: false)
            .RunGeneratorsAndUpdateCompilation(project, out var output, out var diagnostics);

        Assert.Empty(diagnostics);
        var generated = output.SyntaxTrees.Except(project.SyntaxTrees).Single().ToString();
        Assert.Contains("new global::Demo.DemoEncoder(build)", generated, StringComparison.Ordinal);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void AModelNamingAnUndeclaredComponentGetsNoClass()
    {
        var run = TestHelper.Generate(GeoModelFile.Inline("demo.geomodel", Model));
        Assert.Empty(run.GeneratedSources);
    }
}
