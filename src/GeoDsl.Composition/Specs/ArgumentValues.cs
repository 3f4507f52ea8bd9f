using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Helpers;

namespace GeoDsl.Composition.Specs;

/// <summary>A bound argument value: plain data, compared by value, free of syntax.</summary>
public abstract record ArgValue
{
    /// <summary>The value as written in a <c>.geomodel</c> file (also how the generator re-emits it).</summary>
    public abstract string ToSource();

    public override string ToString() => ToSource();
}

public sealed record IntValue(long Value) : ArgValue
{
    public override string ToSource() => Value.ToString(CultureInfo.InvariantCulture);
}

public sealed record FloatValue(double Value) : ArgValue
{
    public override string ToSource() => Value.ToString("R", CultureInfo.InvariantCulture);
}

public sealed record BoolValue(bool Value) : ArgValue
{
    public override string ToSource() => Value ? "true" : "false";
}

public sealed record StringValue(string Value) : ArgValue
{
    public override string ToSource() => "\"" + Value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}

/// <summary>A bare name: an enum choice such as <c>dice</c> or a band such as <c>BLUE</c>.</summary>
public sealed record NameValue(string Value) : ArgValue
{
    public override string ToSource() => Value;
}

/// <summary>The explicit absence of a value (an optional argument left unset).</summary>
public sealed record NoneValue : ArgValue
{
    public static readonly NoneValue Instance = new();

    public override string ToSource() => "none";
}

public sealed record ListValue(EquatableArray<ArgValue> Items) : ArgValue
{
    public override string ToSource() => "[" + string.Join(", ", Items.Select(i => i.ToSource())) + "]";
}

/// <summary>A named choice with its own arguments, e.g. <c>adamw { lr = 1e-4 }</c>.</summary>
public sealed record ObjectValue(string Name, EquatableArray<Argument> Arguments) : ArgValue
{
    public override string ToSource() =>
        Arguments.IsEmpty ? Name : Name + " { " + string.Join(", ", Arguments.Select(a => a.ToSource())) + " }";

    public ArgumentList Args => new(Arguments);
}

public sealed record Argument(string Name, ArgValue Value)
{
    public string ToSource() => Name + " = " + Value.ToSource();
}
