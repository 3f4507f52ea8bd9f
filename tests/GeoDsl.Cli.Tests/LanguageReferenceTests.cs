using GeoDsl.Composition.Catalog;
using GeoDsl.Tooling.Docs;

namespace GeoDsl.Cli.Tests;

/// <summary>docs/catalog.md is the catalog as 'geodsl docs' writes it, so the reference cannot drift from the compiler.</summary>
public sealed class LanguageReferenceTests
{
    private static string RepositoryFile(string relative)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        // Outside the repository (GEODSL_ARTIFACTS elsewhere): the source path this file was compiled from.
        return Path.Combine(Path.GetDirectoryName(SourcePath())!, "..", "..", relative);
    }

    private static string SourcePath([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

    [Fact]
    public void TheCommittedCatalogPageIsWhatGeodslDocsWrites()
    {
        string committed = File.ReadAllText(RepositoryFile("docs/catalog.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.True(committed == LanguageReference.Write(),
            "docs/catalog.md is out of date: run 'dotnet run --project src/GeoDsl.Cli -- docs --output docs/catalog.md'.");
    }

    [Fact]
    public void TheReferenceListsEveryComponentAndEachOfItsArguments()
    {
        string reference = LanguageReference.Write();
        foreach (var component in ComponentCatalog.Default.Backbones.Cast<ComponentDescriptor>().Concat(ComponentCatalog.Default.Necks)
                     .Concat(ComponentCatalog.Default.Decoders).Concat(ComponentCatalog.Default.Heads))
        {
            int heading = reference.IndexOf("\n### " + component.Name + "\n", StringComparison.Ordinal);
            Assert.True(heading >= 0, component.Name + " has no section");
            int next = reference.IndexOf("\n### ", heading + 5, StringComparison.Ordinal);
            string section = next < 0 ? reference[heading..] : reference[heading..next];
            foreach (var parameter in component.Parameters)
            {
                Assert.Contains("| `" + parameter.Name + "` |", section, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void GeodslDocsPrintsTheReference()
    {
        var result = CliRunner.Run("docs");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(LanguageReference.Write(), result.Output);
    }
}
