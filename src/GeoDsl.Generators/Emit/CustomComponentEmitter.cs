using System.Linq;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Custom;
using GeoDsl.Composition.Helpers;
using GeoDsl.Generators.Model;

namespace GeoDsl.Generators.Emit;

/// <summary>The generated code for models that use custom components: the set that constructs them, and their typed stages.</summary>
internal static class CustomComponentEmitter
{
    /// <summary>
    /// A static <c>CustomComponents</c> set with one factory per custom component, each calling the user's constructor
    /// (with the <c>ComponentBuild</c> when it takes one), so the runtime builds the user's classes under their names.
    /// </summary>
    public static void WriteComponentSet(SourceWriter writer, EquatableArray<CustomComponentDeclaration> declarations)
    {
        writer.Doc("<summary>The custom components this model uses, each built by its own constructor and checked against its declaration on its first forward pass.</summary>");
        writer.Line("public static global::GeoDsl.Runtime.Composition.Custom.CustomComponentSet CustomComponents { get; } = new global::GeoDsl.Runtime.Composition.Custom.CustomComponentSet()");
        foreach (var declaration in declarations)
        {
            string type = "global::" + declaration.TypeName;
            string construct = declaration.ConstructorTakesBuild ? $"new {type}(build)" : $"new {type}()";
            writer.Line($"    .Add<{type}>(build => {construct})" + (declaration.Equals(declarations[declarations.Count - 1]) ? ";" : string.Empty));
        }

        writer.Line();
    }

    /// <summary>The user's class as a typed stage; null for built-ins (and for a single-image backbone run per frame, which the temporal wrapper holds).</summary>
    public static string? StageType(GenerationTarget target, string stageKind, string name)
    {
        var kind = stageKind switch
        {
            "backbone" => ComponentKind.Backbone,
            "neck" => ComponentKind.Neck,
            "decoder" => ComponentKind.Decoder,
            "head" => ComponentKind.Head,
            _ => (ComponentKind?)null,
        };
        var declaration = target.CustomComponents.FirstOrDefault(d => d.Kind == kind && d.Name == name);
        if (declaration is null || (kind == ComponentKind.Backbone && declaration.Frames == 1 && target.Analysis.Spec.Input.Frames > 1))
        {
            return null;
        }

        return "global::" + declaration.TypeName;
    }
}
