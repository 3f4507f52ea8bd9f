using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Custom;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Composition.Custom;

/// <summary>
/// Checks a custom component's real outputs against its declared contract: once, on the first forward pass of
/// every module a <see cref="CustomComponentSet"/> builds, and on demand in users' own tests
/// (<see cref="Verify{TModule}(TModule, int?, int?, int)"/>). The expected shapes come from the same catalog
/// descriptor the front end checked the model with, computed for the input the module actually received.
/// </summary>
public static class ComponentContract
{
    /// <summary>
    /// Runs a custom backbone once on random pixels [batch, C, (frames,) H, W] and compares its outputs with its declaration
    /// (C from its bands or InChannels, else 3; H and W default to its DefaultSize, padded to its padding multiple).
    /// </summary>
    /// <returns>The declared output shape it matched.</returns>
    /// <exception cref="CustomComponentException">An output's kind, count or shape differs: the message names the component, the output and both shapes.</exception>
    public static FeatureShape Verify<TModule>(TModule backbone, int? height = null, int? width = null, int batch = 2) where TModule : nn.Module
    {
        var declaration = Declared(typeof(TModule), ComponentKind.Backbone);
        var descriptor = (CustomBackboneDescriptor)CustomComponents.Describe(declaration, ComponentCatalog.Default)!;
        int multiple = declaration.EffectivePaddingMultiple;
        int h = RoundUp(height ?? declaration.DefaultSize, multiple);
        int w = RoundUp(width ?? declaration.DefaultSize, multiple);
        int channels = declaration.InChannels > 0 ? declaration.InChannels : declaration.Bands.Count > 0 ? declaration.Bands.Count : 3;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var pixels = declaration.Frames > 1 ? randn(new long[] { batch, channels, declaration.Frames, h, w }) : randn(new long[] { batch, channels, h, w });
        var output = ((IBackbone)backbone).Encode(new BackboneInput(pixels));
        var expected = descriptor.Shape(h, w, declaration.Frames);
        Compare(declaration, expected, Actual(output));
        return expected;
    }

    /// <summary>
    /// Runs a custom neck, decoder or head once on <paramref name="input"/> (a <see cref="FeatureSet"/>, or a map tensor
    /// for heads) and compares its output with what its declaration derives from that input.
    /// </summary>
    /// <param name="numClasses">For segmentation and classification heads: the <c>num_classes</c> a model would give.</param>
    public static FeatureShape Verify<TModule>(TModule stage, object input, int numClasses = 2) where TModule : nn.Module
    {
        var declaration = Declared(typeof(TModule), null);
        var args = new ArgumentList(new[] { new Argument("num_classes", new IntValue(numClasses)) }.ToEquatableArray());
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var output = Invoke(stage, input);
        var expected = Expected(declaration, CustomComponents.Describe(declaration, ComponentCatalog.Default)!, Actual(input), args, null);
        Compare(declaration, expected, Actual(output));
        return expected;
    }

    /// <summary>Makes <paramref name="module"/> check its first forward pass against the declaration of <paramref name="build"/>'s component.</summary>
    public static nn.Module CheckFirstForward(nn.Module module, ComponentBuild build)
    {
        if (build.Descriptor is not ComponentDescriptor descriptor || Declaration(descriptor) is not { } declaration)
        {
            return module;
        }

        var generic = FindModuleBase(module.GetType())
            ?? throw new CustomComponentException($"{declaration.Title}: {module.GetType().FullName} is not a TorchSharp nn.Module<TIn, TOut>, so its outputs cannot be checked.");
        typeof(ComponentContract).GetMethod(nameof(Attach), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(generic.GetGenericArguments())
            .Invoke(null, new object[] { module, declaration, descriptor, build });
        return module;
    }

    private static void Attach<TIn, TOut>(nn.Module<TIn, TOut> module, CustomComponentDeclaration declaration, ComponentDescriptor descriptor, ComponentBuild build)
    {
        bool checkedOnce = false;
        module.register_forward_hook((self, input, output) =>
        {
            if (!checkedOnce)
            {
                checkedOnce = true;
                var expected = Expected(declaration, descriptor, Actual(input!), build.Args, build.Model);
                Compare(declaration, expected, Actual(output!));
            }

            return output;
        });
    }

    private static FeatureShape Expected(CustomComponentDeclaration declaration, ComponentDescriptor descriptor, (FeatureKind Kind, List<long[]> Shapes, TokenLayout? Tokens) input,
        ArgumentList args, ModelSpec? model)
    {
        if (descriptor is CustomBackboneDescriptor backbone)
        {
            var pixels = input.Shapes[0];
            int frames = pixels.Length == 5 ? (int)pixels[2] : 1;
            return backbone.Shape((int)pixels[pixels.Length - 2], (int)pixels[pixels.Length - 1], frames);
        }

        var stage = (StageDescriptor)descriptor;
        var shape = new FeatureShape(input.Kind, input.Shapes.Select(s => TensorShape.Of(s.Skip(1).Select(d => (int)d).ToArray())).ToEquatableArray(), input.Tokens);
        var problems = new List<string>();
        var inputSpec = model?.Input ?? new InputSpec(EquatableArray<string>.Empty, 0, 0, 1, EquatableArray<double>.Empty, EquatableArray<double>.Empty);
        var context = new ShapeContext(inputSpec, model?.Task ?? ModelTask.Segmentation, "its input",
            (rule, _, arguments) => problems.Add(rule.Id + ": " + string.Format(System.Globalization.CultureInfo.InvariantCulture, rule.MessageFormat, arguments.Cast<object>().ToArray())));
        var expected = stage.Accepts.Contains(shape.Kind) ? stage.Infer(shape, args, context) : null;
        return expected ?? throw new CustomComponentException(
            $"{declaration.Title} ({declaration.TypeName}) received {shape}, which its declaration does not accept: " +
            (problems.Count > 0 ? string.Join("; ", problems) : $"it takes {string.Join(" or ", stage.Accepts.Select(FeatureShape.Describe))}") + ".");
    }

    private static void Compare(CustomComponentDeclaration declaration, FeatureShape expected, (FeatureKind Kind, List<long[]> Shapes, TokenLayout? Tokens) actual)
    {
        string who = $"{declaration.Title} ({declaration.TypeName})";
        const string Fix = "Correct the attribute's declaration or the module so they agree.";
        if (actual.Kind != expected.Kind)
        {
            throw new CustomComponentException($"{who} returned {FeatureShape.Describe(actual.Kind)} but declares {expected}. {Fix}");
        }

        if (actual.Shapes.Count != expected.Count)
        {
            throw new CustomComponentException(
                $"{who} returned {actual.Shapes.Count} output(s) ({string.Join(", ", actual.Shapes.Select(Describe))}) but declares {expected.Count} ({expected.DescribeShapes()}). {Fix}");
        }

        for (int i = 0; i < expected.Count; i++)
        {
            var declared = expected.Tensors[i];
            var shape = actual.Shapes[i];
            if (shape.Length != declared.Rank + 1 || !shape.Skip(1).Select(d => (int)d).SequenceEqual(declared.Dims))
            {
                throw new CustomComponentException($"{who} output {i} is {Describe(shape)} but its declaration gives {declared} ({expected.KindPhrase}). {Fix}");
            }
        }
    }

    private static (FeatureKind Kind, List<long[]> Shapes, TokenLayout? Tokens) Actual(object value) => value switch
    {
        TokenFeatures tokens => (FeatureKind.Tokens, Shapes(tokens), new TokenLayout(tokens.HasClsToken, tokens.Grid.Frames, tokens.Grid.Rows, tokens.Grid.Columns)),
        MapFeatures maps => (FeatureKind.Maps, Shapes(maps), null),
        ChannelLastMapFeatures maps => (FeatureKind.ChannelLastMaps, Shapes(maps), null),
        PooledFeatures pooled => (FeatureKind.Pooled, Shapes(pooled), null),
        BackboneInput pixels => (FeatureKind.Maps, new List<long[]> { pixels.Pixels.shape }, null),
        Tensor tensor => (tensor.dim() == 2 ? FeatureKind.Pooled : FeatureKind.Maps, new List<long[]> { tensor.shape }, null),
        _ => throw new CustomComponentException($"A custom component produced {value.GetType().Name}; components exchange FeatureSet types or tensors."),
    };

    private static List<long[]> Shapes(FeatureSet features) => features.Tensors.Select(t => t.shape).ToList();

    private static string Describe(long[] shape) => "B×" + string.Join("×", shape.Skip(1));

    private static object Invoke(nn.Module module, object input)
    {
        var call = module.GetType().GetMethod("call", new[] { input.GetType() })
            ?? throw new CustomComponentException($"{module.GetType().FullName} does not take {input.GetType().Name}.");
        return call.Invoke(module, new[] { input })!;
    }

    private static CustomComponentDeclaration Declared(Type type, ComponentKind? kind)
    {
        var declaration = CustomComponentSet.Read(type);
        var problems = CustomComponentRules.Check(declaration, ComponentCatalog.Default);
        if (problems.Count > 0)
        {
            throw new CustomComponentException($"{declaration.Title} has an invalid declaration:\n" + string.Join("\n", problems.Select(p => $"  {p.Descriptor.Id}: {p.Message}")));
        }

        if (kind is { } expected && declaration.Kind != expected)
        {
            throw new CustomComponentException($"{declaration.Title} is a {declaration.Kind.ToString().ToLowerInvariant()}; verify it with an input: ComponentContract.Verify(module, input).");
        }

        return declaration;
    }

    private static CustomComponentDeclaration? Declaration(ComponentDescriptor descriptor) => descriptor switch
    {
        CustomBackboneDescriptor b => b.Declaration,
        CustomNeckDescriptor n => n.Declaration,
        CustomDecoderDescriptor d => d.Declaration,
        CustomHeadDescriptor h => h.Declaration,
        _ => null,
    };

    private static Type? FindModuleBase(Type? type)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(nn.Module<,>))
            {
                return type;
            }
        }

        return null;
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
