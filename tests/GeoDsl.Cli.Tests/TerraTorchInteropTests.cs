using GeoDsl.Composition;
using GeoDsl.Composition.Options;
using GeoDsl.Composition.Specs;
using GeoDsl.Tooling.TerraTorch;
using YamlDotNet.RepresentationModel;

namespace GeoDsl.Cli.Tests;

/// <summary>
/// TerraTorch configs in and out, over YAML written with the field names of terratorch-facts.md §5–6: the published
/// Sen1Floods11 config imports to the reference model, every reference model survives export then import, and configs
/// TerraTorch would accept but are wrong come back with GeoDsl's diagnostics on their YAML lines.
/// </summary>
public sealed class TerraTorchInteropTests
{
    // examples/confs/sen1floods11_vit.yaml as terratorch-facts.md §6 quotes it, with the trainer, data and optimizer
    // settings it lists (16-mixed, 200 epochs, batch 16, AdamW 1e-4 / 0.1, ReduceLROnPlateau patience 5 factor 0.5).
    private const string Sen1Floods11 = """
        seed_everything: 0
        trainer:
          accelerator: auto
          strategy: auto
          devices: auto
          num_nodes: 1
          precision: 16-mixed
          max_epochs: 200
        data:
          class_path: GenericNonGeoSegmentationDataModule
          init_args:
            batch_size: 16
            num_workers: 8
            constant_scale: 0.0001
            output_bands: [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2]
            num_classes: 2
            no_label_replace: -1
            no_data_replace: 0
        model:
          class_path: terratorch.tasks.SemanticSegmentationTask
          init_args:
            model_factory: EncoderDecoderFactory
            model_args:
              backbone: prithvi_eo_v2_300
              backbone_pretrained: true
              backbone_drop_path: 0.1
              backbone_bands: [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2]
              backbone_img_size: 512
              necks:
                - name: SelectIndices
                  indices: [5, 11, 17, 23]
                - name: ReshapeTokensToImage
                - name: LearnedInterpolateToPyramidal
              decoder: UNetDecoder
              decoder_channels: [512, 256, 128, 64]
              head_channel_list: [256]
              head_dropout: 0.1
              num_classes: 2
            loss: dice
            aux_heads:
              - name: aux_head
                decoder: FCNDecoder
                decoder_args: {decoder_channels: 256, decoder_in_index: -1, decoder_num_convs: 2, head_dropout: 0.1}
            aux_loss: {aux_head: 1.0}
            ignore_index: -1
            freeze_backbone: false
            freeze_decoder: false
        optimizer:
          class_path: torch.optim.AdamW
          init_args:
            lr: 1.e-4
            weight_decay: 0.1
        lr_scheduler:
          class_path: ReduceLROnPlateau
          init_args:
            monitor: val/loss
            patience: 5
            factor: 0.5
        """;

    /// <summary>A 40 GB card, as the reference model targets: the published batch of 16 does not fit 24 GiB.</summary>
    private static readonly CompileOptions A100 = CompileOptions.Default with { TargetGpu = "a100_40gb" };

    private static ModelAnalysis Reference(string file, CompileOptions? options = null)
    {
        string path = CliRunner.Reference(file);
        return GeoModelCompiler.Compile(path, File.ReadAllText(path), options: options).Models.Single();
    }

    private static ModelSpec Imported(TerraTorchImport import)
    {
        Assert.False(import.HasErrors, string.Join("\n", import.Diagnostics.Select(d => d.ToCompilerString("config.yaml"))) + "\n" + import.GeoModel);
        return import.Analysis.Models.Single().Spec;
    }

    [Fact]
    public void ThePublishedSen1Floods11ConfigImportsToTheReferenceModel()
    {
        var import = TerraTorchImporter.Import("sen1floods11_vit.yaml", Sen1Floods11, "Sen1Floods11Prithvi300", A100);
        var expected = Reference("sen1floods11_prithvi_300_unet.geomodel").Spec;

        var spec = Imported(import);

        // The reference file keeps no scheduler and names its card; everything else is the same model.
        Assert.Equal("plateau { patience = 5, factor = 0.5 }", spec.Train.Scheduler?.ToSource());
        Assert.Equal(expected, spec with { Train = spec.Train with { Scheduler = null }, Target = expected.Target });
    }

    [Fact]
    public void TheSen1Floods11ConfigOnAnRtx4090ReportsTheMemoryErrorOnTheBatchSizeLine()
    {
        var import = TerraTorchImporter.Import("sen1floods11_vit.yaml", Sen1Floods11);

        var memory = Assert.Single(import.Diagnostics, d => d.Diagnostic.Id == "GEO2001");
        Assert.True(import.HasErrors);
        Assert.Contains("RTX 4090", memory.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyTerraTorchSwallowsThroughKwargsIsAnErrorOnItsYamlLine()
    {
        // sen1floods11_vit_smp.yaml passes backbone_pretrain_img_size, which PrithviViT does not have (§6).
        string yaml = Sen1Floods11.Replace("      backbone_drop_path: 0.1\n", "      backbone_drop_path: 0.1\n      backbone_pretrain_img_size: 512\n", StringComparison.Ordinal);
        int line = yaml.Split('\n').ToList().FindIndex(l => l.Contains("backbone_pretrain_img_size", StringComparison.Ordinal)) + 1;

        var import = TerraTorchImporter.Import("sen1floods11_vit_smp.yaml", yaml, options: A100);

        var unknown = Assert.Single(import.Diagnostics, d => d.Diagnostic.Severity == Composition.Diagnostics.DiagnosticSeverity.Error);
        Assert.Equal(line, unknown.YamlLine);
        Assert.Contains("pretrain_img_size", unknown.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOutOfRangeNeckIndexIsAnErrorOnTheNecksYamlLine()
    {
        string yaml = Sen1Floods11.Replace("indices: [5, 11, 17, 23]", "indices: [5, 11, 17, 24]", StringComparison.Ordinal);
        int line = yaml.Split('\n').ToList().FindIndex(l => l.Contains("indices: [5, 11, 17, 24]", StringComparison.Ordinal)) + 1;

        var import = TerraTorchImporter.Import("config.yaml", yaml, options: A100);

        var error = Assert.Single(import.Diagnostics, d => d.Diagnostic.Id == "GEO1002");
        Assert.Equal(line, error.YamlLine);
    }

    [Fact]
    public void SettingsGeoDslDoesNotCarryAreNotedWithTheirLines()
    {
        var import = TerraTorchImporter.Import("sen1floods11_vit.yaml", Sen1Floods11, options: A100);
        string[] lines = Sen1Floods11.Split('\n');

        int LineOf(string text) => Array.FindIndex(lines, l => l.TrimStart().StartsWith(text, StringComparison.Ordinal)) + 1;

        Assert.Contains(import.Notes, n => n.Line == LineOf("devices: auto") && n.Message.Contains("trainer.devices", StringComparison.Ordinal));
        Assert.Contains(import.Notes, n => n.Line == LineOf("constant_scale:") && n.Message.Contains("data.init_args.constant_scale", StringComparison.Ordinal));
        Assert.DoesNotContain(import.Notes, n => n.Message.Contains("batch_size", StringComparison.Ordinal));
    }

    [Fact]
    public void ExportWritesTerraTorchsFieldNamesAndTheScaleOutSettings()
    {
        var spec = Reference("sen1floods11_prithvi_300_unet.geomodel").Spec;

        var export = TerraTorchExporter.Export(spec, new TerraTorchRun(8, 2, "fsdp"));

        var stream = new YamlStream();
        stream.Load(new StringReader(export.Yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        string At(params string[] path) => ((YamlScalarNode)Node(root, path)).Value!;
        IEnumerable<string> List(params string[] path) => ((YamlSequenceNode)Node(root, path)).Children.Select(c => ((YamlScalarNode)c).Value!);

        Assert.Equal("terratorch.tasks.SemanticSegmentationTask", At("model", "class_path"));
        Assert.Equal("EncoderDecoderFactory", At("model", "init_args", "model_factory"));
        Assert.Equal("prithvi_eo_v2_300", At("model", "init_args", "model_args", "backbone"));
        Assert.Equal("true", At("model", "init_args", "model_args", "backbone_pretrained"));
        Assert.Equal("0.1", At("model", "init_args", "model_args", "backbone_drop_path"));
        Assert.Equal(new[] { "SelectIndices", "ReshapeTokensToImage", "LearnedInterpolateToPyramidal" },
            ((YamlSequenceNode)Node(root, "model", "init_args", "model_args", "necks")).Children.Select(n => ((YamlScalarNode)((YamlMappingNode)n).Children[new YamlScalarNode("name")]).Value));
        Assert.Equal("UNetDecoder", At("model", "init_args", "model_args", "decoder"));
        Assert.Equal(new[] { "512", "256", "128", "64" }, List("model", "init_args", "model_args", "decoder_channels"));
        Assert.Equal(new[] { "256" }, List("model", "init_args", "model_args", "head_channel_list"));
        Assert.Equal("2", At("model", "init_args", "model_args", "num_classes"));
        Assert.Equal("dice", At("model", "init_args", "loss"));
        Assert.Equal("FCNDecoder", ((YamlScalarNode)((YamlMappingNode)((YamlSequenceNode)Node(root, "model", "init_args", "aux_heads")).Children[0]).Children[new YamlScalarNode("decoder")]).Value);
        Assert.Equal("torch.optim.AdamW", At("optimizer", "class_path"));
        Assert.Equal("0.0001", At("optimizer", "init_args", "lr"));
        Assert.Equal("8", At("trainer", "devices"));
        Assert.Equal("2", At("trainer", "num_nodes"));
        Assert.Equal("fsdp", At("trainer", "strategy"));
        Assert.Equal("16-mixed", At("trainer", "precision"));
        Assert.Equal("16", At("data", "init_args", "batch_size"));
        Assert.Contains("train on 256 samples per step", export.Yaml, StringComparison.Ordinal);
    }

    // vlm models have no TerraTorch counterpart (TerraTorch builds encoder-decoder models): export refuses them.
    public static TheoryData<string> ReferenceFiles => new(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "models"), "*.geomodel")
        .Select(Path.GetFileName).Where(f => !f!.StartsWith("vlm_", StringComparison.Ordinal)).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(ReferenceFiles))]
    public void EveryReferenceModelSurvivesExportThenImport(string file)
    {
        var original = Reference(file).Spec;
        var budget = CompileOptions.Default with { TargetGpu = original.Target.Gpu == Composition.Catalog.Gpus.CustomName ? null : original.Target.Gpu, GpuMemoryGiB = original.Target.MemoryGiB };

        var export = TerraTorchExporter.Export(original, new TerraTorchRun());
        var spec = Imported(TerraTorchImporter.Import(file + ".yaml", export.Yaml, original.Name, budget));

        // A TerraTorch config names no GPU: the budget comes from the options, the rest from the YAML. TerraTorch has no
        // gradient checkpointing switch: the export says so, and the imported model trains without it.
        Assert.Equal(original.Train.GradientCheckpointing, export.Notes.Any(n => n.Contains("gradient_checkpointing", StringComparison.Ordinal)));
        Assert.Equal(original, spec with { Target = original.Target, Namespace = original.Namespace, Train = spec.Train with { GradientCheckpointing = original.Train.GradientCheckpointing } });
    }

    private static YamlNode Node(YamlMappingNode root, params string[] path)
    {
        YamlNode node = root;
        foreach (string key in path)
        {
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        }

        return node;
    }
}
