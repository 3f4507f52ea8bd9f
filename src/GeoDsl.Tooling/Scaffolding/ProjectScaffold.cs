using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;

namespace GeoDsl.Tooling.Scaffolding;

/// <summary>
/// The project <c>geodsl new</c> writes: a console program referencing the GeoDsl package and TorchSharp's CPU backend,
/// one <c>.geomodel</c> file with a small Prithvi-class segmentation model, and a Program.cs that builds the generated
/// class and runs a forward pass. The integration test builds exactly this project from the packed packages.
/// </summary>
public static class ProjectScaffold
{
    private static readonly Regex Identifier = new("^[A-Z][A-Za-z0-9]*$", RegexOptions.CultureInvariant);

    /// <summary>Null when <paramref name="name"/> can name the project, its namespace and its model; else how to fix it.</summary>
    public static string? Problem(string name) => Identifier.IsMatch(name)
        ? null
        : $"'{name}' cannot name a project and its model: use letters and digits starting with a capital letter, e.g. WaterMapper.";

    /// <summary>Relative path → content.</summary>
    /// <param name="geoDslVersion">The GeoDsl package version to reference.</param>
    /// <param name="torchSharpVersion">The TorchSharp-cpu version, the one GeoDsl.Runtime is built against.</param>
    public static IReadOnlyDictionary<string, string> Files(string name, string geoDslVersion, string torchSharpVersion)
    {
        if (Problem(name) is { } problem)
        {
            throw new ArgumentException(problem, nameof(name));
        }

        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [name + ".csproj"] = $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <RootNamespace>{name}</RootNamespace>
                  </PropertyGroup>
                  <ItemGroup>
                    <!-- The generator, the analyzers, the build integration and (as a dependency) the runtime. -->
                    <PackageReference Include="GeoDsl" Version="{geoDslVersion}" />
                    <!-- TorchSharp's backend: -cpu here; TorchSharp-cuda-linux or TorchSharp-cuda-windows for an NVIDIA card. -->
                    <PackageReference Include="TorchSharp-cpu" Version="{torchSharpVersion}" />
                  </ItemGroup>
                </Project>

                """,
            [name + ".geomodel"] = $$"""
                // A small Prithvi-class water mapper: six HLS bands at 64 px, a 4-block ViT with 8-pixel patches, TerraTorch's
                // ViT necks, a UNet decoder and a two-class segmentation head. 'geodsl describe {{name}}.geomodel' shows its
                // shapes, parameters and GPU memory; swap in prithvi_eo_v2_300 { pretrained = true } for the real model.
                model {{name}}Model : segmentation {
                    input {
                        bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2]
                        size  = 64
                    }
                    backbone prithvi_eo_tiny { patch_size = 8, embed_dim = 64, depth = 4, num_heads = 4 }
                    neck select_indices { indices = [0, 1, 2, 3] }
                    neck reshape_tokens_to_image
                    neck learned_interpolate_to_pyramidal
                    decoder unet { channels = [64, 32, 16, 16] }
                    head segmentation { num_classes = 2 }
                    train {
                        batch_size = 8
                        epochs     = 10
                        optimizer  = adamw { lr = 1e-3, weight_decay = 0.01 }
                        loss       = ce
                    }
                }

                """,
            ["Program.cs"] = $$"""
                using {{name}};
                using TorchSharp;

                // The generated model class: typed input (bands by name), TerraTorch's module names, the front end's analysis.
                torch.manual_seed(0);
                using var model = new {{name}}Model();
                model.eval();
                using var _ = torch.no_grad();
                var pixels = torch.randn(1, {{name}}Model.Channels, {{name}}Model.Height, {{name}}Model.Width);
                var prediction = model.Predict(new {{name}}Model.Input(pixels));
                Console.WriteLine($"parameters {model.parameters().Sum(p => p.numel())}");
                Console.WriteLine($"output {string.Join("x", prediction.Output.shape)}");

                """,
        };
    }

    /// <summary>Writes the files into <paramref name="directory"/>, refusing to overwrite any existing file.</summary>
    public static IReadOnlyList<string> Write(string directory, string name, string geoDslVersion, string torchSharpVersion)
    {
        var files = Files(name, geoDslVersion, torchSharpVersion);
        foreach (string file in files.Keys)
        {
            string path = Path.Combine(directory, file);
            if (File.Exists(path))
            {
                throw new IOException($"{path} already exists; geodsl new writes only into a new or empty folder. Choose another --output.");
            }
        }

        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var file in files)
        {
            string path = Path.Combine(directory, file.Key);
            File.WriteAllText(path, file.Value.Replace("\r\n", "\n"));
            written.Add(path);
        }

        return written;
    }
}
