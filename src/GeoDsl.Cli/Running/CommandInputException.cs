using System;

namespace GeoDsl.Cli.Running;

/// <summary>Input a command cannot use; the message names the file, what is wrong and the fix.</summary>
internal sealed class CommandInputException : Exception
{
    public CommandInputException(string message)
        : base(message)
    {
    }
}
