using System.Collections.Generic;
using GeoDsl.Composition.Text;

namespace GeoDsl.Composition.Binding;

/// <summary>
/// Where each part of a bound model was written, kept beside the spec rather than in it (specs hold no
/// positions, so moving a model in its file does not invalidate the generator's cache). Shape and memory
/// rules report against a component path (<c>backbone</c>, <c>neck[1]</c>, <c>aux_head[aux].decoder</c>) and
/// an optional argument; this table turns that into a span.
/// </summary>
public sealed class SpecLocations
{
    private readonly Dictionary<string, Entry> _entries = new();

    public TextSpan ModelName { get; set; }

    public void SetComponent(string path, TextSpan nameSpan) => Get(path).Name = nameSpan;

    public void SetArgument(string path, string argument, TextSpan valueSpan) => Get(path).Arguments[argument] = valueSpan;

    /// <summary>The key of item <paramref name="index"/> of a list argument, e.g. <c>indices[3]</c>.</summary>
    public static string Item(string argument, int index) => argument + "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";

    /// <summary>
    /// The argument's value (or list item, <see cref="Item"/>) if it was written, else the whole argument, else the
    /// component's name, else the model's name.
    /// </summary>
    public TextSpan Find(string path, string? argument = null)
    {
        if (_entries.TryGetValue(path, out var entry))
        {
            if (argument is not null && entry.Arguments.TryGetValue(argument, out var span))
            {
                return span;
            }

            int bracket = argument?.IndexOf('[') ?? -1;
            if (bracket > 0 && entry.Arguments.TryGetValue(argument!.Substring(0, bracket), out var whole))
            {
                return whole;
            }

            if (entry.Name is { } name)
            {
                return name;
            }
        }

        return ModelName;
    }

    private Entry Get(string path)
    {
        if (!_entries.TryGetValue(path, out var entry))
        {
            entry = new Entry();
            _entries[path] = entry;
        }

        return entry;
    }

    private sealed class Entry
    {
        public TextSpan? Name { get; set; }

        public Dictionary<string, TextSpan> Arguments { get; } = new();
    }
}
