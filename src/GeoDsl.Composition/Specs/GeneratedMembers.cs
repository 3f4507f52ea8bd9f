using System.Collections.Generic;
using System.Linq;

namespace GeoDsl.Composition.Specs;

/// <summary>
/// The members every generated model class declares, which a model therefore cannot be named (C# forbids a member
/// named like its class). The generator's emitter writes exactly these; GeoDsl.Generators.Tests checks the list
/// against what it emits.
/// </summary>
public static class GeneratedMembers
{
    public static IReadOnlyDictionary<string, string> Reserved { get; } = new Dictionary<string, string>
    {
        ["CanonicalSource"] = "the model's canonical text",
        ["Analysis"] = "the front end's analysis",
        ["Channels"] = "the input layout",
        ["Frames"] = "the input layout",
        ["Height"] = "the input layout",
        ["Width"] = "the input layout",
        ["Bands"] = "the named band indices",
        ["Input"] = "the typed input",
        ["Predict"] = "the typed prediction",
        ["DatasetOptions"] = "the data-set options",
        ["Train"] = "the training entry point",
        ["BackboneStage"] = "the typed backbone",
        ["DecoderStage"] = "the typed decoder",
        ["HeadStage"] = "the typed head",
        ["forward"] = "the typed forward pass",
    };

    /// <summary>Why <paramref name="modelName"/> is taken, or null when it is free (neck accessors are <c>Neck0Stage</c>, …).</summary>
    public static string? Conflict(string modelName)
    {
        if (Reserved.TryGetValue(modelName, out string? member))
        {
            return member;
        }

        bool neckAccessor = modelName.StartsWith("Neck", System.StringComparison.Ordinal) && modelName.EndsWith("Stage", System.StringComparison.Ordinal)
            && modelName.Length > 9 && modelName.Substring(4, modelName.Length - 9).All(char.IsDigit);
        return neckAccessor ? "a typed neck" : null;
    }
}
