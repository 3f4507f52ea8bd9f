using System;
using System.Globalization;
using System.Text;

namespace GeoDsl.Runtime.Weights;

/// <summary>
/// Strict loading found tensors missing, unexpected or of the wrong shape. The module was not changed.
/// The message lists every problem by name, sorted, with counts; <see cref="Report"/> has them as data.
/// </summary>
public sealed class StateDictMismatchException : Exception
{
    public StateDictMismatchException(LoadReport report)
        : base(BuildMessage(report))
    {
        Report = report;
    }

    public LoadReport Report { get; }

    private static string BuildMessage(LoadReport report)
    {
        var text = new StringBuilder();
        var source = report.Source is null ? "The weights" : $"'{report.Source}'";
        text.Append(CultureInfo.InvariantCulture,
            $"{source} do not match the module ({report.ModuleTensorCount} tensors): {report.ProblemSummary}. Nothing was loaded.").AppendLine();
        report.AppendProblemSections(text);
        if (report.Hint is not null)
        {
            text.Append("Hint: ").Append(report.Hint).AppendLine();
        }
        text.Append("Fix: rename keys with LoadOptions.PrefixRewrites or KeyMapping, leave tensors out with IgnorePatterns, " +
                    "allow a shape to differ with AllowShapeMismatch, or load what matches with Strict = false.");
        return text.ToString();
    }
}
