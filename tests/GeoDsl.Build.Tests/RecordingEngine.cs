using System.Collections;
using Microsoft.Build.Framework;

namespace GeoDsl.Build.Tests;

/// <summary>Collects what the task logs.</summary>
internal sealed class RecordingEngine : IBuildEngine
{
    public List<string> Messages { get; } = new();

    public List<BuildErrorEventArgs> Errors { get; } = new();

    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode => "test.proj";

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => true;

    public void LogCustomEvent(CustomBuildEventArgs e) => Messages.Add(e.Message ?? string.Empty);

    public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);

    public void LogMessageEvent(BuildMessageEventArgs e) => Messages.Add(e.Message ?? string.Empty);

    public void LogWarningEvent(BuildWarningEventArgs e) => Messages.Add(e.Message ?? string.Empty);
}
