using System.Reflection;
using GeoDsl.Composition.Binding;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Specs;
using GeoDsl.Composition.Syntax;
using GeoDsl.Composition.Tests.Diagnostics;
using GeoDsl.Composition.Text;

namespace GeoDsl.Composition.Tests.Binding;

/// <summary>
/// Specs and analyses are values: equal text gives equal results, positions live beside the spec (not in it), and an
/// edit changes only what it touches. The generator's incremental cache depends on all three.
/// </summary>
public sealed class SpecValueTests
{
    private const string TwoModels = Diagnosed.Valid + "\n" + """
        model Other : segmentation {
            input { bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2] }
            backbone prithvi_eo_tiny
            neck select_indices { indices = [0, 1, 2, 3] }
            neck reshape_tokens_to_image
            neck learned_interpolate_to_pyramidal
            decoder unet { channels = [256, 128, 64, 32] }
            head segmentation { num_classes = 2 }
        }
        """;

    [Fact]
    public void CompilingTheSameTextTwiceGivesEqualAnalyses()
    {
        // Two real compiles (an explicit catalog bypasses the cache of recent files), as in two processes.
        string path = Path.Combine(TestModels.ModelsDirectory, "sen1floods11_prithvi_300_unet.geomodel");
        var first = GeoModelCompiler.Compile(path, File.ReadAllText(path), ComponentCatalog.Default);
        var second = GeoModelCompiler.Compile(path, File.ReadAllText(path), ComponentCatalog.Default);

        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.Equal(first.Models[0].Spec, second.Models[0].Spec);
    }

    [Fact]
    public void CompilingTheSameMistakesTwiceGivesEqualDiagnostics()
    {
        string text = Diagnosed.ThenTypoModel(Diagnosed.ValidWith("num_classes = 2", "num_classes = 2px"));

        Assert.Equal(Diagnosed.Compile(text).Diagnostics, Diagnosed.Compile(text).Diagnostics);
    }

    [Fact]
    public void MovingAModelDownLeavesItsSpecAndAnalysisEqual()
    {
        var before = TestModels.Single(Diagnosed.Compile(Diagnosed.Valid));
        var after = TestModels.Single(Diagnosed.Compile("\n\n\n// moved down\n\n" + Diagnosed.Valid));

        Assert.Equal(before.Spec, after.Spec);
        Assert.Equal(before, after);
    }

    [Fact]
    public void ReindentingAndReformattingLeavesTheSpecEqual()
    {
        string reformatted = Diagnosed.Valid.Replace("    ", "\t").Replace("[0, 1, 2, 3]", "[0,1,2,3]").Replace("{ num_classes = 2 }", "{\n\t\tnum_classes = 2\n\t}");

        Assert.Equal(TestModels.Single(Diagnosed.Compile(Diagnosed.Valid)).Spec, TestModels.Single(Diagnosed.Compile(reformatted)).Spec);
    }

    [Fact]
    public void ArgumentOrderAndNumberSpellingDoNotMatter()
    {
        var a = TestModels.Single(Diagnosed.Compile(Diagnosed.ValidPlus("train { optimizer = adamw { lr = 1e-4, weight_decay = 0.1 }, batch_size = 4 }"))).Spec;
        var b = TestModels.Single(Diagnosed.Compile(Diagnosed.ValidPlus("train { batch_size = 4, optimizer = adamw { weight_decay = 1e-1, lr = 0.0001 } }"))).Spec;

        Assert.Equal(a, b);
    }

    [Fact]
    public void ChangingOneArgumentChangesOnlyThatModelsSpec()
    {
        var before = Diagnosed.Compile(TwoModels);
        var after = Diagnosed.Compile(Diagnosed.Replace(TwoModels, "}\nmodel Other : segmentation {\n    input { bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2] }\n    backbone prithvi_eo_tiny\n", "}\nmodel Other : segmentation {\n    input { bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2] }\n    backbone prithvi_eo_tiny { drop_path = 0.2 }\n"));

        Assert.Equal(2, before.Models.Count);
        Assert.Equal(2, after.Models.Count);
        Assert.Equal(before.Models[0], after.Models[0]);
        Assert.NotEqual(before.Models[1].Spec, after.Models[1].Spec);
        Assert.Equal(before.Models[1].Spec with { Backbone = after.Models[1].Spec.Backbone }, after.Models[1].Spec);
    }

    [Fact]
    public void SpecsAndAnalysesHoldNoPositionsOrSyntax()
    {
        var banned = new[] { typeof(TextSpan), typeof(LinePosition), typeof(SourceText), typeof(SourceLocation), typeof(SyntaxNode), typeof(SyntaxToken), typeof(SpecLocations) };
        var offending = new List<string>();
        var seen = new HashSet<Type>();

        Walk(typeof(ModelAnalysis), seen, "ModelAnalysis", banned, offending);

        Assert.Empty(offending);
        Assert.Contains(typeof(ObjectValue), seen); // The walk reaches argument values, the trace and the memory estimate.
        Assert.Contains(typeof(global::GeoDsl.Composition.Shapes.TensorShape), seen);
        Assert.Contains(typeof(global::GeoDsl.Composition.Memory.MemoryItem), seen);
    }

    private static void Walk(Type type, HashSet<Type> seen, string path, Type[] banned, List<string> offending)
    {
        if (banned.Any(b => b.IsAssignableFrom(type)))
        {
            offending.Add(path + ": " + type.Name);
            return;
        }

        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || !seen.Add(type))
        {
            return;
        }

        var nested = new List<Type>(type.IsGenericType ? type.GetGenericArguments() : Type.EmptyTypes);
        if (type.IsArray)
        {
            nested.Add(type.GetElementType()!);
        }

        // Abstract values (ArgValue) are walked through every concrete kind in the assembly.
        if (type.IsAbstract && type.Assembly == typeof(ModelSpec).Assembly)
        {
            nested.AddRange(type.Assembly.GetTypes().Where(t => !t.IsAbstract && type.IsAssignableFrom(t)));
        }

        foreach (var t in nested)
        {
            Walk(t, seen, path + "<" + t.Name + ">", banned, offending);
        }

        if (type.Assembly != typeof(ModelSpec).Assembly)
        {
            return;
        }

        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            Walk(field.FieldType, seen, path + "." + field.Name, banned, offending);
        }
    }
}
