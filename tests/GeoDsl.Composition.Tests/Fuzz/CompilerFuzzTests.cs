using System.Text;
using CsCheck;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Syntax;
using GeoDsl.Composition.Tests.Diagnostics;
using GeoDsl.Composition.Text;

namespace GeoDsl.Composition.Tests.Fuzz;

/// <summary>
/// Property-style fuzzing of the whole front end (<see cref="CompilerInvariants"/>) over damaged and random inputs:
/// every prefix of each reference model, single-character edits, token swaps, duplications and deletions, token soup,
/// printable garbage and random bytes. Inputs come from CsCheck generators driven by a fixed PCG seed, so a run is the
/// same every time and a failure names its case and prints its input. About six thousand compilations, a few seconds.
/// </summary>
public sealed class CompilerFuzzTests
{
    /// <summary>Above this many characters of reference models in all, prefixes are taken at a stride.</summary>
    private const int PrefixBudget = 8000;

    /// <summary>A model using most of the language: namespace, comments, strings, objects, auxiliary head, train, target.</summary>
    private const string KitchenSink = """
        namespace geo.floods
        // A model with every kind of section.
        model Kitchen : segmentation {
            input {
                bands  = ["BLUE", GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2]
                size   = [224, 224]
                frames = 1
                means  = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
                stds   = [1e-1, 1, 1, 1, 1, 2.5]
            }
            backbone prithvi_eo_tiny { pretrained = false, drop_path = 0.1, out_indices = none }
            neck select_indices { indices = [0, 1, 2, -1] }
            neck reshape_tokens_to_image
            neck learned_interpolate_to_pyramidal
            decoder unet { channels = [256, 128, 64, 32] }
            head segmentation { num_classes = 3, dropout = 0.1 }
            aux_head aux {
                decoder fcn { channels = 64, num_convs = 1 }
                head { dropout = 0.1 }
                weight = 0.4
            }
            train {
                batch_size = 4; epochs = 2
                precision  = bf16_mixed
                optimizer  = sgd { lr = 1e-2, momentum = 0.9, nesterov = true }
                loss       = "ce"
                class_weights = [1, 2.5, 0.5]
            }
            target rtx_4090 /* 24 GiB */
        }
        """;

    private static readonly string[] Corpus = ReferenceModels().Select(r => r.Text).Append(KitchenSink).Append(Diagnosed.Valid).ToArray();

    /// <summary>Characters that matter to the lexer and parser, and some that do not belong at all.</summary>
    private static readonly Gen<char> Interesting = Gen.Frequency(
        (6, Gen.Char["{}[]=,:;.\"/*\\\n\r\t -+_e0123456789"]),
        (3, Gen.Char[' ', '~']),
        (1, Gen.Char["@#$%^&`'~|?!\u0000\u00e9\u2028\ud800\ufeff"]));

    [Fact]
    public void ReferenceModelsSatisfyTheInvariants()
    {
        foreach (var (name, text) in ReferenceModels())
        {
            CompilerInvariants.Check(text, name);
            Assert.False(GeoModelCompiler.Compile(name, text).HasErrors, name + " must compile cleanly");
        }

        CompilerInvariants.Check(KitchenSink, "kitchen sink");
        Assert.DoesNotContain(GeoModelCompiler.Compile("kitchen", KitchenSink).Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void EveryPrefixOfEveryReferenceModelSatisfiesTheInvariants()
    {
        var models = ReferenceModels().ToList();
        int stride = Math.Max(1, (models.Sum(m => m.Text.Length) + PrefixBudget - 1) / PrefixBudget);
        int checkedCount = 0;
        foreach (var (name, text) in models)
        {
            for (int length = 0; length <= text.Length; length += stride)
            {
                CompilerInvariants.Check(text.Substring(0, length), $"{name}, first {length} characters");
                checkedCount++;
            }

            CompilerInvariants.Check(text, name);
        }

        Assert.True(checkedCount > 1000, $"only {checkedCount} prefixes checked");
    }

    [Fact]
    public void SingleCharacterEditsSatisfyTheInvariants()
    {
        var edits = Gen.Int[0, Corpus.Length - 1].SelectMany(source => Gen.Int[0, 2].SelectMany(kind =>
        {
            string text = Corpus[source];
            return kind switch
            {
                0 => Gen.Int[0, text.Length - 1].Select(i => (text.Remove(i, 1), $"corpus[{source}] without character {i}")),
                1 => Gen.Select(Gen.Int[0, text.Length], Interesting, (i, c) => (text.Insert(i, c.ToString()), $"corpus[{source}] with U+{(int)c:X4} inserted at {i}")),
                _ => Gen.Select(Gen.Int[0, text.Length - 1], Interesting, (i, c) => (text.Substring(0, i) + c + text.Substring(i + 1), $"corpus[{source}] with character {i} replaced by U+{(int)c:X4}")),
            };
        }));

        Run(edits, seed: "00000000001A", count: 1200);
    }

    [Fact]
    public void TokenSwapsDuplicationsAndDeletionsSatisfyTheInvariants()
    {
        var tokenized = Corpus.Select(text => (Text: text, Spans: Tokens(text))).ToArray();
        var edits = Gen.Int[0, tokenized.Length - 1].SelectMany(source => Gen.Int[0, 3].SelectMany(kind =>
        {
            var (text, spans) = tokenized[source];
            var index = Gen.Int[0, spans.Length - 1];
            return Gen.Select(index, index, (a, b) =>
            {
                var (first, second) = spans[a].Start <= spans[b].Start ? (spans[a], spans[b]) : (spans[b], spans[a]);
                string firstText = text.Substring(first.Start, first.Length), secondText = text.Substring(second.Start, second.Length);
                string edited = kind switch
                {
                    0 when first != second => Splice(Splice(text, second, firstText), first, secondText),
                    1 => text.Insert(second.End, " " + firstText),
                    2 => Splice(text, first, string.Empty),
                    _ => Splice(text, first, secondText),
                };
                string what = kind switch { 0 => "swapped", 1 => "duplicated after", 2 => "deleted (first of)", _ => "replaced by" };
                return (edited, $"corpus[{source}]: tokens at {first.Start} and {second.Start} {what}");
            });
        }));

        Run(edits, seed: "00000000002B", count: 1000);
    }

    [Fact]
    public void TokenSoupSatisfiesTheInvariants()
    {
        string[] fragments =
        {
            "model", "M", "N", ":", "segmentation", "regression", "classification", "{", "}", "[", "]", "=", ",", ";", ".", "namespace",
            "input", "bands", "size", "frames", "means", "stds", "backbone", "prithvi_eo_tiny", "prithvi_eo_v2_300", "neck", "select_indices",
            "indices", "reshape_tokens_to_image", "learned_interpolate_to_pyramidal", "aggregate_tokens", "decoder", "unet", "fcn", "identity",
            "channels", "head", "num_classes", "aux_head", "weight", "train", "optimizer", "adamw", "sgd", "lr", "loss", "dice", "precision",
            "target", "rtx_4090", "none", "true", "false", "BLUE", "GREEN", "RED", "0", "1", "-1", "4", "256", "0.1", "1e-4", "1e400",
            "99999999999", "..5", "-.5", "1..2", "1e-", "1e", "+", "-", "\u0663", "\"BLUE\"", "\"x", "\"a\\", "12px", "/* c */", "/*", "// c\n", "\n", "\n", "\r\n", " ", " ", "\t", "@",
        };
        var soup = Gen.Int[0, fragments.Length - 1].Array[0, 120].Select(picks =>
        {
            string text = string.Concat(picks.Select(p => fragments[p] + (p % 3 == 0 ? " " : string.Empty)));
            return (text, "token soup");
        });

        Run(soup, seed: "00000000003C", count: 1000);
    }

    [Fact]
    public void PrintableGarbageSatisfiesTheInvariants()
    {
        var garbage = Gen.String[Gen.Frequency((9, Gen.Char[' ', '~']), (1, Gen.Char["\n\r\t"])), 0, 300].Select(text => (text, "printable garbage"));

        Run(garbage, seed: "00000000004D", count: 400);
    }

    [Fact]
    public void RandomBytesDecodedAsTextSatisfyTheInvariants()
    {
        var bytes = Gen.Select(Gen.Byte.Array[0, 300], Gen.Bool, (data, utf8) =>
            (utf8 ? Encoding.UTF8.GetString(data) : Encoding.Latin1.GetString(data), utf8 ? "random bytes as UTF-8" : "random bytes as Latin-1"));

        Run(bytes, seed: "00000000005E", count: 400);
    }

    /// <summary>
    /// Draws <paramref name="count"/> cases from <paramref name="gen"/> with a fixed seed and checks each; every tenth is
    /// also compiled twice to check determinism. For a longer hunt outside CI, GEODSL_FUZZ_SCALE multiplies the count and
    /// GEODSL_FUZZ_SEED replaces the seed (a failure prints the seed and case number either way).
    /// </summary>
    private static void Run(Gen<(string Text, string Origin)> gen, string seed, int count)
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("GEODSL_FUZZ_SCALE"), out int scale) && scale > 1)
        {
            count *= scale;
        }

        if (Environment.GetEnvironmentVariable("GEODSL_FUZZ_SEED") is { Length: > 0 } chosen)
        {
            seed = chosen;
        }

        var pcg = PCG.Parse(seed);
        for (int i = 0; i < count; i++)
        {
            var (text, origin) = gen.Generate(pcg, null, out _);
            string name = $"{origin} (seed {seed}, case {i})";
            CompilerInvariants.Check(text, name);
            if (i % 10 == 0)
            {
                CompilerInvariants.CheckDeterministic(text, name);
            }
        }
    }

    private static IEnumerable<(string Name, string Text)> ReferenceModels() =>
        Directory.GetFiles(TestModels.ModelsDirectory, "*.geomodel")
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => (Path.GetFileName(p), File.ReadAllText(p)));

    private static TextSpan[] Tokens(string text)
    {
        var source = new SourceText(text);
        return new Lexer(source, new DiagnosticSink("fuzz.geomodel", source)).Lex().Where(t => t.Kind != TokenKind.EndOfFile).Select(t => t.Span).ToArray();
    }

    private static string Splice(string text, TextSpan span, string replacement) => text.Substring(0, span.Start) + replacement + text.Substring(span.End);
}
