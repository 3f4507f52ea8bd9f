using System;
using GeoDsl.Cli.Commands;

namespace GeoDsl.Cli;

public static class Program
{
    public static int Main(string[] args) => GeoDslCommandLine.Run(args, Console.Out, Console.Error);
}
