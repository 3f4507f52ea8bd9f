using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Helpers;

namespace GeoDsl.Composition.Specs;

/// <summary>
/// Typed reads over bound arguments. The binder has already checked names and types and filled in every
/// default, so a read that fails is a programming error, not user input.
/// </summary>
public readonly struct ArgumentList
{
    private readonly EquatableArray<Argument> _arguments;

    public ArgumentList(EquatableArray<Argument> arguments) => _arguments = arguments;

    public EquatableArray<Argument> Items => _arguments;

    public ArgValue? Find(string name)
    {
        foreach (var argument in _arguments)
        {
            if (argument.Name == name)
            {
                return argument.Value is NoneValue ? null : argument.Value;
            }
        }

        return null;
    }

    public bool Has(string name) => Find(name) is not null;

    private ArgValue Get(string name) => Find(name) ?? throw new InvalidOperationException($"Argument '{name}' was not bound.");

    public int Int(string name) => checked((int)((IntValue)Get(name)).Value);

    public int? IntOrNull(string name) => Find(name) is IntValue v ? checked((int)v.Value) : null;

    public double Double(string name) => Get(name) switch
    {
        FloatValue f => f.Value,
        IntValue i => i.Value,
        var other => throw new InvalidOperationException($"Argument '{name}' is {other}, not a number."),
    };

    public double? DoubleOrNull(string name) => Find(name) is null ? null : Double(name);

    public bool Bool(string name) => ((BoolValue)Get(name)).Value;

    public string Name(string name) => Get(name) switch
    {
        NameValue n => n.Value,
        StringValue s => s.Value,
        ObjectValue o => o.Name,
        var other => throw new InvalidOperationException($"Argument '{name}' is {other}, not a name."),
    };

    public string? NameOrNull(string name) => Find(name) is null ? null : Name(name);

    public IReadOnlyList<int> IntList(string name) =>
        Find(name) is ListValue list ? list.Items.Select(i => checked((int)((IntValue)i).Value)).ToList() : Array.Empty<int>();

    public IReadOnlyList<int>? IntListOrNull(string name) => Find(name) is null ? null : IntList(name);

    public IReadOnlyList<double> DoubleList(string name) =>
        Find(name) is ListValue list ? list.Items.Select(i => i is IntValue iv ? iv.Value : ((FloatValue)i).Value).ToList() : Array.Empty<double>();

    public IReadOnlyList<string> NameList(string name) =>
        Find(name) is ListValue list ? list.Items.Select(i => i is NameValue n ? n.Value : ((StringValue)i).Value).ToList() : Array.Empty<string>();

    public ObjectValue Object(string name) => (ObjectValue)Get(name);
}
