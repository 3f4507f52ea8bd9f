using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace GeoDsl.Generators.Tests.Infrastructure;

/// <summary>
/// Walks a cached value's object graph (every field of records, classes and structs, array items, so also the arrays
/// inside <c>EquatableArray</c> and other collections) and lists every place that holds compiler state the cache must never keep alive or compare
/// by reference: symbols, compilations, semantic models, syntax and locations.
/// </summary>
internal static class ModelGraph
{
    private static readonly Type[] Forbidden =
    {
        typeof(ISymbol), typeof(Compilation), typeof(SemanticModel), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location),
    };

    /// <summary>Paths such as <c>Value.Analysis.Spec.Backbone</c> to each forbidden object, empty when there are none.</summary>
    public static IReadOnlyList<string> FindCompilerState(object? value, string root = "value")
    {
        var found = new List<string>();
        Walk(value, root, found, new HashSet<object>(ReferenceEqualityComparer.Instance));
        return found;
    }

    private static void Walk(object? value, string path, List<string> found, HashSet<object> seen)
    {
        if (value is null)
        {
            return;
        }

        var type = value.GetType();
        if (Forbidden.FirstOrDefault(f => f.IsAssignableFrom(type)) is { } forbidden)
        {
            found.Add($"{path} ({type.Name}, a {forbidden.Name})");
            return;
        }

        if (IsLeaf(type) || (!type.IsValueType && !seen.Add(value)))
        {
            return;
        }

        // Arrays are walked item by item; every other collection (EquatableArray, List, ImmutableArray, dictionaries)
        // through its fields, which end in arrays.
        if (value is Array array)
        {
            for (int i = 0; i < array.Length; i++)
            {
                Walk(array.GetValue(i), $"{path}[{i}]", found, seen);
            }

            return;
        }

        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType.IsPointer || field.FieldType.IsByRef)
                {
                    continue;
                }

                Walk(field.GetValue(value), path + "." + Readable(field.Name), found, seen);
            }
        }
    }

    /// <summary>Values with nothing inside worth walking.</summary>
    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime)
        || typeof(Type).IsAssignableFrom(type) || typeof(MemberInfo).IsAssignableFrom(type) || typeof(Delegate).IsAssignableFrom(type)
        || type.IsDefined(typeof(CompilerGeneratedAttribute)) && type.Name.Contains("DisplayClass", StringComparison.Ordinal);

    /// <summary>"&lt;Spec&gt;k__BackingField" → "Spec".</summary>
    private static string Readable(string field) =>
        field.StartsWith('<') && field.IndexOf('>', StringComparison.Ordinal) is > 0 and var end ? field[1..end] : field;
}
