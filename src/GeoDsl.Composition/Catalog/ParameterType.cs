using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog;

/// <summary>What an argument accepts. <see cref="Describe"/> phrases it for messages ("an integer ≥ 1").</summary>
public abstract class ParameterType
{
    public static readonly ParameterType Bool = new BoolType();
    public static readonly ParameterType String = new StringType();

    public static ParameterType Int(long min = long.MinValue, long max = long.MaxValue) => new IntType(min, max);

    public static ParameterType Float(double min = double.NegativeInfinity, double max = double.PositiveInfinity) => new FloatType(min, max);

    public static ParameterType OneOf(params string[] choices) => new EnumType(choices);

    public static ParameterType ListOf(ParameterType item, int minCount = 0, int maxCount = int.MaxValue) => new ListType(item, minCount, maxCount);

    /// <summary>A named choice with its own arguments, e.g. <c>optimizer = adamw { lr = 1e-4 }</c>.</summary>
    public static ParameterType Choice(params ObjectChoice[] choices) => new ObjectType(choices);

    /// <summary>A single integer or a [height, width] pair, e.g. <c>size = 512</c> or <c>size = [256, 512]</c>.</summary>
    public static ParameterType Size(long min, long max) => new SizeType(min, max);

    public abstract string Describe();

    public override string ToString() => Describe();

    internal static string Plural(string description) => description.StartsWith("an ", System.StringComparison.Ordinal)
        ? description.Substring(3) + "s"
        : description.StartsWith("a ", System.StringComparison.Ordinal) ? description.Substring(2) + "s" : description;

    private sealed class BoolType : ParameterType
    {
        public override string Describe() => "true or false";
    }

    private sealed class StringType : ParameterType
    {
        public override string Describe() => "a string";
    }
}

public sealed class IntType : ParameterType
{
    public IntType(long min, long max)
    {
        Min = min;
        Max = max;
    }

    public long Min { get; }

    public long Max { get; }

    public bool InRange(long value) => value >= Min && value <= Max;

    public string DescribeRange() => (Min, Max) switch
    {
        (long.MinValue, long.MaxValue) => "an integer",
        (_, long.MaxValue) => $"an integer ≥ {Min}",
        (long.MinValue, _) => $"an integer ≤ {Max}",
        _ => $"an integer from {Min} to {Max}",
    };

    public override string Describe() => DescribeRange();
}

public sealed class FloatType : ParameterType
{
    public FloatType(double min, double max)
    {
        Min = min;
        Max = max;
    }

    public double Min { get; }

    public double Max { get; }

    public bool InRange(double value) => value >= Min && value <= Max;

    private static string Text(double value) => value.ToString("0.###############", CultureInfo.InvariantCulture);

    public override string Describe() => (double.IsNegativeInfinity(Min), double.IsPositiveInfinity(Max)) switch
    {
        (true, true) => "a number",
        (false, true) => Min > 0 && Min < 1e-6 ? "a positive number" : $"a number ≥ {Text(Min)}",
        (true, false) => $"a number ≤ {Text(Max)}",
        _ => $"a number from {Text(Min)} to {Text(Max)}",
    };
}

public sealed class EnumType : ParameterType
{
    public EnumType(IReadOnlyList<string> choices) => Choices = choices;

    public IReadOnlyList<string> Choices { get; }

    public override string Describe() => "one of " + Spelling.OneOf(Choices);
}

public sealed class ListType : ParameterType
{
    public ListType(ParameterType item, int minCount, int maxCount)
    {
        Item = item;
        MinCount = minCount;
        MaxCount = maxCount;
    }

    public ParameterType Item { get; }

    public int MinCount { get; }

    public int MaxCount { get; }

    public override string Describe()
    {
        string items = Plural(Item.Describe());
        return (MinCount, MaxCount) switch
        {
            (0, int.MaxValue) => $"a list of {items}",
            (1, int.MaxValue) => $"a list of {items} (at least one)",
            (_, int.MaxValue) => $"a list of at least {MinCount} {items}",
            _ when MinCount == MaxCount => $"a list of exactly {MinCount} {items}",
            _ => $"a list of {MinCount} to {MaxCount} {items}",
        };
    }
}

public sealed class SizeType : ParameterType
{
    public SizeType(long min, long max)
    {
        Min = min;
        Max = max;
    }

    public long Min { get; }

    public long Max { get; }

    public override string Describe() => $"an integer from {Min} to {Max} or a [height, width] pair of them";
}

/// <summary>One named alternative of a <see cref="ParameterType.Choice"/> argument, with its own parameters.</summary>
public sealed class ObjectChoice
{
    public ObjectChoice(string name, params ParameterInfo[] parameters)
    {
        Name = name;
        Parameters = parameters;
    }

    public string Name { get; }

    public IReadOnlyList<ParameterInfo> Parameters { get; }
}

public sealed class ObjectType : ParameterType
{
    public ObjectType(IReadOnlyList<ObjectChoice> choices) => Choices = choices;

    public IReadOnlyList<ObjectChoice> Choices { get; }

    public ObjectChoice? Find(string name) => Choices.FirstOrDefault(c => c.Name == name);

    public override string Describe() => "one of " + Spelling.OneOf(Choices.Select(c => c.Name));
}

/// <summary>One argument a component accepts.</summary>
/// <param name="Name">As written in <c>.geomodel</c> files, TerraTorch's name where it has one.</param>
/// <param name="Type">What it accepts.</param>
/// <param name="Default">Null: required. <see cref="NoneValue"/>: optional with no value.</param>
/// <param name="Description">One line for hover text and docs.</param>
public sealed record ParameterInfo(string Name, ParameterType Type, ArgValue? Default, string Description)
{
    public bool IsRequired => Default is null;

    public static ParameterInfo Required(string name, ParameterType type, string description) => new(name, type, null, description);

    public static ParameterInfo Optional(string name, ParameterType type, string description) => new(name, type, NoneValue.Instance, description);

    public static ParameterInfo With(string name, ParameterType type, long value, string description) => new(name, type, new IntValue(value), description);

    public static ParameterInfo With(string name, ParameterType type, double value, string description) => new(name, type, new FloatValue(value), description);

    public static ParameterInfo With(string name, ParameterType type, bool value, string description) => new(name, type, new BoolValue(value), description);

    public static ParameterInfo With(string name, ParameterType type, string choice, string description) => new(name, type, new NameValue(choice), description);

    public static ParameterInfo With(string name, ParameterType type, ArgValue value, string description) => new(name, type, value, description);

    public static ArgValue Ints(params long[] values) => new ListValue(values.Select(v => (ArgValue)new IntValue(v)).ToEquatableArray());
}
