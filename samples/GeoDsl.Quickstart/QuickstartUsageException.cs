using System;

namespace GeoDsl.Quickstart;

/// <summary>The command line was wrong (or help was asked for): print the message and the usage, exit with code 2.</summary>
internal sealed class QuickstartUsageException : Exception
{
    public QuickstartUsageException(string? message)
        : base(message ?? "")
    {
    }
}
