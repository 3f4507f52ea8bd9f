using GeoDsl.Tooling.Scaffolding;

namespace GeoDsl.Integration.Tests;

/// <summary>
/// The packages packed once for the test class into a local feed, with a version no earlier run used, and a
/// NuGet.config that reads that feed and nuget.org into a package folder of its own. The user's package cache is a
/// fallback folder, so TorchSharp's native packages are not copied again, and no earlier GeoDsl build can be picked up.
/// </summary>
public sealed class PackedPackages : IDisposable
{
    public PackedPackages()
    {
        Root = Directory.CreateTempSubdirectory("geodsl-it-").FullName;
        Feed = Directory.CreateDirectory(Path.Combine(Root, "feed")).FullName;
        Version = "0.1.0-it." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        string repo = DotNet.Metadata("GeoDslRepoRoot");
        var environment = new Dictionary<string, string?> { ["GEODSL_ARTIFACTS"] = DotNet.Metadata("GeoDslArtifacts") };
        foreach (string project in new[] { "src/GeoDsl.Package", "src/GeoDsl.Runtime", "src/GeoDsl.Composition" })
        {
            var pack = DotNet.Run(repo, environment, "pack", Path.Combine(repo, project), "-c", DotNet.Metadata("Configuration"),
                "-o", Feed, "-p:PackageVersion=" + Version, "-nologo", "-v", "q");
            Assert.True(pack.ExitCode == 0, "dotnet pack " + project + " failed: " + pack);
        }

        string userCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(Root, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(Root, "packages")}" />
              </config>
              <fallbackPackageFolders>
                <clear />
                <add key="user" value="{userCache}" />
              </fallbackPackageFolders>
              <packageSources>
                <clear />
                <add key="local" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
    }

    /// <summary>Holds the feed, the NuGet.config, the package folder and the consumer projects.</summary>
    public string Root { get; }

    public string Feed { get; }

    public string Version { get; }

    /// <summary>A new consumer project, as 'geodsl new' writes it, in a folder of its own under <see cref="Root"/>.</summary>
    public string CreateConsumer(string name)
    {
        string directory = Path.Combine(Root, name);
        ProjectScaffold.Write(directory, name, Version, TorchSharpVersion());
        return directory;
    }

    /// <summary>Builds as a user does, outside this repository's Directory.Build.props (the temp folder has none).</summary>
    public DotNet.Result Build(string directory) => DotNet.Run(directory, null, "build", "-nologo", "-clp:NoSummary");

    /// <summary>The TorchSharp-cpu version the repository builds with (Directory.Packages.props).</summary>
    private static string TorchSharpVersion()
    {
        string props = File.ReadAllText(Path.Combine(DotNet.Metadata("GeoDslRepoRoot"), "Directory.Packages.props"));
        return System.Text.RegularExpressions.Regex.Match(props, "Include=\"TorchSharp-cpu\" Version=\"([^\"]+)\"").Groups[1].Value;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file; the OS cleans temp folders.
        }
    }
}
