using GeoDsl.Composition.Syntax;
using GeoDsl.Composition.Tests.Diagnostics;

namespace GeoDsl.Composition.Tests.Syntax;

/// <summary>
/// The grammar of SyntaxNodes.cs: <c>file := ('namespace' name)? model*</c>, <c>model := 'model' IDENT (':' IDENT)? block</c>,
/// <c>member := IDENT '=' value | IDENT IDENT? block?</c>, <c>value := NUMBER | STRING | IDENT | IDENT block | '[' (value ','?)* ']'</c>.
/// </summary>
public sealed class GrammarTests
{
    [Fact]
    public void NamespaceWithDottedPartsComesBeforeTheModels()
    {
        var parsed = Parsed.From("namespace geo.floods.v2\nmodel M : segmentation { }");

        Assert.Empty(parsed.Diagnostics);
        Assert.Equal("geo.floods.v2", parsed.Syntax.Namespace!.Name);
        Assert.Equal(3, parsed.Syntax.Namespace.Parts.Count);
        Assert.Equal("M", parsed.Model.Name.Text);
    }

    [Fact]
    public void CompiledSpecCarriesTheNamespace()
    {
        var analysis = TestModels.Single(Diagnosed.Compile("namespace a.b.c\n" + Diagnosed.Valid));

        Assert.Equal("a.b.c", analysis.Spec.Namespace);
    }

    [Fact]
    public void FileWithoutANamespaceGivesSpecsWithoutOne()
    {
        Assert.Null(TestModels.Single(Diagnosed.Compile(Diagnosed.Valid)).Spec.Namespace);
    }

    [Fact]
    public void NamespaceMissingItsLastPartIsOneErrorAndTheModelIsStillRead()
    {
        var parsed = Parsed.From("namespace a.\nmodel M : segmentation { }");

        Assert.Equal(new[] { "GEO0001 (2,1)" }, parsed.Positions);
        Assert.Contains("expected a namespace name", parsed.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Equal("M", parsed.Model.Name.Text);
    }

    [Fact]
    public void NamespaceFollowedByMoreOnItsLineIsOneErrorAndTheModelIsStillRead()
    {
        var parsed = Parsed.From("namespace a b\nmodel M : segmentation { }");

        Assert.Equal(new[] { "GEO0001 (1,13)" }, parsed.Positions);
        Assert.Contains("Unexpected 'b'; expected '.' or a new line after the namespace", parsed.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Equal("M", parsed.Model.Name.Text);
    }

    [Fact]
    public void ModelHeaderHasANameAndATask()
    {
        var model = Parsed.From("model FloodMapper : segmentation { }").Model;

        Assert.Equal("FloodMapper", model.Name.Text);
        Assert.Equal("segmentation", model.KindToken!.Text);
    }

    [Fact]
    public void TaskIsOptionalInTheHeader()
    {
        var parsed = Parsed.From("model M { }");

        Assert.Empty(parsed.Diagnostics);
        Assert.Null(parsed.Model.KindToken);
    }

    [Fact]
    public void MembersAreAssignmentsOrSectionsWithAnOptionalNameAndBlock()
    {
        var parsed = Parsed.From("model M {\n    a = 1\n    input\n    backbone x\n    neck y { z = [1, 2] }\n}");

        Assert.Empty(parsed.Diagnostics);
        var members = parsed.Model.Body.Members;
        Assert.Equal("a", Assert.IsType<AssignmentSyntax>(members[0]).Keyword.Text);
        var input = Assert.IsType<SectionSyntax>(members[1]);
        Assert.Equal(("input", null, null), (input.Keyword.Text, input.Name, input.Body));
        var backbone = Assert.IsType<SectionSyntax>(members[2]);
        Assert.Equal(("backbone", "x", null), (backbone.Keyword.Text, backbone.Name?.Text, backbone.Body));
        var neck = Assert.IsType<SectionSyntax>(members[3]);
        Assert.Equal("z", Assert.Single(neck.Body!.Members).Keyword.Text);
    }

    [Fact]
    public void ValuesAreNumbersStringsNamesObjectsAndLists()
    {
        var parsed = Parsed.From("model M { x { n = 1, s = \"t\", i = dice, o = adamw { lr = 1e-4 }, l = [1, [2, 3], a { b = 1 }] } }");

        Assert.Empty(parsed.Diagnostics);
        var values = ((SectionSyntax)parsed.Model.Body.Members[0]).Body!.Members.Cast<AssignmentSyntax>().Select(a => a.Value).ToList();
        Assert.True(Assert.IsType<LiteralSyntax>(values[0]).IsNumber);
        Assert.True(Assert.IsType<LiteralSyntax>(values[1]).IsString);
        Assert.True(Assert.IsType<LiteralSyntax>(values[2]).IsIdentifier);
        var optimizer = Assert.IsType<ObjectSyntax>(values[3]);
        Assert.Equal(("adamw", "lr"), (optimizer.Name.Text, optimizer.Body.Members[0].Keyword.Text));
        var list = Assert.IsType<ListSyntax>(values[4]);
        Assert.IsType<LiteralSyntax>(list.Items[0]);
        Assert.Equal(2, Assert.IsType<ListSyntax>(list.Items[1]).Items.Count);
        Assert.Equal("a", Assert.IsType<ObjectSyntax>(list.Items[2]).Name.Text);
    }

    [Fact]
    public void ListItemsNeedNoCommasAndMaySpanLines()
    {
        var parsed = Parsed.From("model M { x { l = [1 2, 3], m = [\n    4,\n    5\n] } }");

        Assert.Empty(parsed.Diagnostics);
        var lists = ((SectionSyntax)parsed.Model.Body.Members[0]).Body!.Members.Cast<AssignmentSyntax>().Select(a => ((ListSyntax)a.Value).Items.Count);
        Assert.Equal(new[] { 3, 2 }, lists);
    }

    [Fact]
    public void CommasAndSemicolonsSeparateMembersOnALine()
    {
        var parsed = Parsed.From("model M { input { a = 1, b = 2; c = 3 }; backbone x }");

        Assert.Empty(parsed.Diagnostics);
        Assert.Equal(2, parsed.Model.Body.Members.Count);
        Assert.Equal(3, ((SectionSyntax)parsed.Model.Body.Members[0]).Body!.Members.Count);
    }

    [Fact]
    public void NodeSpansCoverExactlyTheirText()
    {
        const string text = "model M : segmentation {\n    neck select_indices { indices = [5, 11] }\n}";
        var parsed = Parsed.From(text);

        var neck = (SectionSyntax)parsed.Model.Body.Members[0];
        var indices = (AssignmentSyntax)neck.Body!.Members[0];
        Assert.Equal(text, parsed.TextOf(parsed.Model));
        Assert.Equal("neck select_indices { indices = [5, 11] }", parsed.TextOf(neck));
        Assert.Equal("indices = [5, 11]", parsed.TextOf(indices));
        Assert.Equal("[5, 11]", parsed.TextOf(indices.Value));
    }

    [Fact]
    public void SeveralModelsFollowOneAnother()
    {
        var parsed = Parsed.From("model A { }\nmodel B : regression { }\n\nmodel C { }");

        Assert.Empty(parsed.Diagnostics);
        Assert.Equal(new[] { "A", "B", "C" }, parsed.Syntax.Models.Select(m => m.Name.Text));
    }

    [Fact]
    public void NamespaceAloneDeclaresNothingAndIsNoError()
    {
        var file = Diagnosed.Compile("namespace geo.floods // models to come\n");

        Assert.Empty(file.Models);
        Assert.Empty(file.Diagnostics);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\r\n\t")]
    [InlineData("// only a comment")]
    public void BlankFileHasNoModelsAndNoDiagnostics(string text)
    {
        var file = Diagnosed.Compile(text);

        Assert.Empty(file.Models);
        Assert.Empty(file.Diagnostics);
    }
}
