using GeoDsl.Composition.Tests.Diagnostics;

namespace GeoDsl.Composition.Tests.Binding;

/// <summary>Models in a file: unique names, each bound on its own.</summary>
public sealed class ModelDeclarationTests
{
    [Fact]
    public void SecondModelWithTheSameNameIsReportedAndTheFirstStillCompiles()
    {
        var file = Diagnosed.Compile(Diagnosed.Valid + "\n" + Diagnosed.Valid);

        var d = Diagnosed.Single(file, "GEO0021", 10, 7);
        Assert.Equal("A model named 'M' is already declared at test.geomodel(1,7); model names are unique", d.Message);
        Assert.Equal("M", Assert.Single(file.Models).Spec.Name);
    }

    [Fact]
    public void ModelsWithDifferentNamesAllCompile()
    {
        var file = Diagnosed.Compile(Diagnosed.Valid + "\n" + Diagnosed.Valid.Replace("model M", "model N") + "\n" + Diagnosed.Valid.Replace("model M", "model O"));

        Assert.Empty(file.Diagnostics);
        Assert.Equal(new[] { "M", "N", "O" }, file.Models.Select(m => m.Spec.Name));
    }

    [Fact]
    public void AModelWithErrorsIsLeftOutAndTheOthersKept()
    {
        var file = Diagnosed.Compile(Diagnosed.ThenTypoModel(Diagnosed.Valid));

        Diagnosed.Single(file, "GEO0011", 12, 14);
        Assert.Equal("M", Assert.Single(file.Models).Spec.Name);
    }

    [Fact]
    public void ReferenceModelsCompileWithoutErrors()
    {
        var files = Directory.GetFiles(TestModels.ModelsDirectory, "*.geomodel");

        Assert.NotEmpty(files);
        Assert.All(files, path =>
        {
            var file = TestModels.CompileReference(Path.GetFileName(path));
            Assert.False(file.HasErrors, string.Join("\n", file.Diagnostics));
            Assert.True(file.Models.Count + file.VlmModels.Count > 0, path + " declares no valid model");
        });
    }
}
