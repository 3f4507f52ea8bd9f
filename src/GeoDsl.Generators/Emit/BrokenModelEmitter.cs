using System.Linq;
using GeoDsl.Generators.Model;

namespace GeoDsl.Generators.Emit;

/// <summary>
/// The placeholder of a <c>.geomodel</c> model with errors: an obsolete-as-error class of the model's name, whose
/// message lists the errors. Code that uses the model then fails with that message (CS0619) instead of "type not
/// found" (CS0246); the command-line compiler runs no analyzer once the code has errors, so without it a build would
/// never say what is wrong with the model. In the IDE the analyzer's diagnostics sit on the model file as usual.
/// </summary>
internal static class BrokenModelEmitter
{
    private const int ErrorsShown = 3;

    public static string Emit(BrokenModelTarget target)
    {
        var writer = ModelClassEmitter.Start(target.Origin, target.Namespace, "CS8981 // Model names come from .geomodel files: lower case is theirs to choose.");
        int more = target.Errors.Count - ErrorsShown;
        string message = $"{target.ClassName} in {target.Origin} has errors, so GeoDsl generated no model class; fix them: "
            + string.Join("; ", target.Errors.Take(ErrorsShown).Select(e => e.Replace('\r', ' ').Replace('\n', ' ')))
            + (more > 0 ? $"; and {more} more ('geodsl check {target.Origin}' lists them)" : string.Empty);

        writer.Doc("<summary>");
        writer.Doc(SourceWriter.Xml($"Placeholder for {target.ClassName}, which has errors in {target.Origin}: the model class is generated once they are fixed."));
        writer.Doc("</summary>");
        writer.Line($"[global::System.CodeDom.Compiler.GeneratedCode(\"{ModelClassEmitter.GeneratorName}\", \"{ModelClassEmitter.GeneratorVersion}\")]");
        writer.Line($"[global::System.Obsolete({SourceWriter.Literal(message)}, error: true)]");
        writer.Open($"public sealed class {ModelClassEmitter.Identifier(target.ClassName)}");
        writer.Line($"private {ModelClassEmitter.Identifier(target.ClassName)}() {{ }}");
        writer.Close();
        if (target.Namespace is not null)
        {
            writer.Close();
        }

        return writer.ToString();
    }
}
