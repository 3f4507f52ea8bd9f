using System;
using System.Text;

namespace GeoDsl.Generators.Emit;

/// <summary>An indented text writer for generated C#: one line at a time, braces open and close blocks.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4).Append(line);
        }

        _text.Append('\n');
        return this;
    }

    public SourceWriter Open(string line)
    {
        Line(line);
        Line("{");
        _indent++;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    /// <summary>XML documentation lines: each line of <paramref name="text"/> prefixed by <c>/// </c>.</summary>
    public SourceWriter Doc(string text)
    {
        foreach (string line in text.Split('\n'))
        {
            Line(line.Length == 0 ? "///" : "/// " + line);
        }

        return this;
    }

    public override string ToString()
    {
        if (_indent != 0)
        {
            throw new InvalidOperationException($"Unbalanced generated source: {_indent} block(s) left open.");
        }

        return _text.ToString();
    }

    public static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>A C# verbatim string literal holding <paramref name="text"/>.</summary>
    public static string Verbatim(string text) => "@\"" + text.Replace("\"", "\"\"") + "\"";

    public static string Literal(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
