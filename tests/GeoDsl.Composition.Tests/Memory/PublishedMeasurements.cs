using System.Globalization;
using GeoDsl.Composition.Catalog;

namespace GeoDsl.Composition.Tests.Memory;

/// <summary>
/// One published peak-memory measurement (memory-facts.md §2) written as a GeoDsl model: what was run, what it
/// measured and what the row assumes where the source is silent.
/// </summary>
/// <param name="Id">The row of memory-facts.md §2, with the variant (M3 R-101).</param>
/// <param name="PublishedGiB">The published figure; mmseg's "Mem (GB)" is <c>max_memory_allocated</c>, read as GiB.</param>
/// <param name="Backbones">Catalog entries the row needs; it is skipped, naming them, until they exist.</param>
public sealed record PublishedMeasurement(string Id, string Configuration, double PublishedGiB, string Source, string Assumes, string Model, params string[] Backbones)
{
    public override string ToString() => Id;

    public IEnumerable<string> MissingBackbones => Backbones.Where(b => ComponentCatalog.Default.FindBackbone(b) is null);

    /// <summary>The estimator's allocated peak for the row, in GiB.</summary>
    public double PredictedGiB() => Estimate().TrainingPeakBytes / (1024.0 * 1024 * 1024);

    /// <summary>The part of the prediction that is the calibrated cuDNN workspace, in GiB.</summary>
    public double ConvolutionWorkspaceGiB() =>
        Estimate().TrainingBreakdown.Where(i => i.Name == "convolution workspace").Sum(i => i.Bytes) / (1024.0 * 1024 * 1024);

    private Composition.Memory.MemoryEstimate Estimate() => TestModels.Single(GeoModelCompiler.Compile(Id + ".geomodel", Model)).Memory;
}

/// <summary>The rows of memory-facts.md §2 that GeoDsl's catalog can express, as models.</summary>
public static class PublishedMeasurements
{
    /// <summary>
    /// The mmsegmentation UPerNet configurations (configs/_base_/models/upernet_r50.py, upernet_swin.py): UPerHead with
    /// 512 channels and pool scales 1, 2, 3, 6 on four maps, dropout 0.1 before the classifier; the auxiliary FCNHead
    /// (one 3×3 ConvModule of 256 channels) on the third map, loss weight 0.4; cross-entropy on logits resized to the crop.
    /// </summary>
    public static string UperNet(string name, string backbone, int classes, string size, int batch, string optimizer, int auxChannels = 256) => $$"""
        model {{name}} : segmentation {
            input { bands = [RED, GREEN, BLUE], size = {{size}} }
            {{backbone}}
            decoder uper_net { channels = 512, align_corners = false }
            head segmentation { num_classes = {{classes.ToString(CultureInfo.InvariantCulture)}}, dropout = 0.1 }
            aux_head auxiliary {
                decoder fcn { channels = {{auxChannels.ToString(CultureInfo.InvariantCulture)}}, num_convs = 1, in_index = 2 }
                head { dropout = 0.1 }
                weight = 0.4
            }
            train { batch_size = {{batch.ToString(CultureInfo.InvariantCulture)}}, precision = fp32, optimizer = {{optimizer}}, loss = ce }
            target v100_32gb
        }
        """;

    private const string MmsegUperNet = "open-mmlab/mmsegmentation configs/upernet/README.md";
    private const string MmsegSwin = "open-mmlab/mmsegmentation configs/swin/README.md (commit 0e7cafe)";
    private const string Sgd = "sgd { lr = 0.01, momentum = 0.9, weight_decay = 0.0005 }";
    private const string AdamW = "adamw { lr = 0.00006, weight_decay = 0.01 }";

    private const string ResNetAssumes =
        "torchvision ResNet (7×7 stem) for mmseg's ResNetV1c (3×3 deep stem); GeoDsl's FCN decoder (×2 transposed conv) for mmseg's FCNHead; "
        + "grads kept between steps (torch 1.x zero_grad)";

    private const string SwinAssumes =
        "torchvision Swin for mmseg's Swin (same blocks); AdamW; GeoDsl's FCN decoder for mmseg's FCNHead; grads kept between steps";

    public static IReadOnlyList<PublishedMeasurement> ResNetRows { get; } = new[]
    {
        new PublishedMeasurement("M1 R-50", "UPerNet R-50, ADE20K (150 classes), 512×512, 4 per GPU, fp32, SGD momentum", 8.1, MmsegUperNet, ResNetAssumes,
            UperNet("M1R50", "backbone resnet50 { out_indices = [1, 2, 3, 4] }", 150, "512", 4, Sgd), "resnet50"),
        new PublishedMeasurement("M3 R-50", "UPerNet R-50, VOC12aug (21 classes), 512×512, 4 per GPU, fp32, SGD momentum", 6.4, MmsegUperNet, ResNetAssumes,
            UperNet("M3R50", "backbone resnet50 { out_indices = [1, 2, 3, 4] }", 21, "512", 4, Sgd), "resnet50"),
        new PublishedMeasurement("M3 R-101", "UPerNet R-101, VOC12aug (21 classes), 512×512, 4 per GPU, fp32, SGD momentum", 7.5, MmsegUperNet, ResNetAssumes,
            UperNet("M3R101", "backbone resnet101 { out_indices = [1, 2, 3, 4] }", 21, "512", 4, Sgd), "resnet101"),
        new PublishedMeasurement("M4 R-50", "UPerNet R-50, Cityscapes (19 classes), 512×1024, 2 per GPU, fp32, SGD momentum", 6.4, MmsegUperNet, ResNetAssumes,
            UperNet("M4R50", "backbone resnet50 { out_indices = [1, 2, 3, 4] }", 19, "[512, 1024]", 2, Sgd), "resnet50"),
        new PublishedMeasurement("M4 R-101", "UPerNet R-101, Cityscapes (19 classes), 512×1024, 2 per GPU, fp32, SGD momentum", 7.4, MmsegUperNet, ResNetAssumes,
            UperNet("M4R101", "backbone resnet101 { out_indices = [1, 2, 3, 4] }", 19, "[512, 1024]", 2, Sgd), "resnet101"),
    };

    /// <summary>Swin maps are channel-last; permute_dims makes them channel-first for UPerNet, as TerraTorch's Swin configs do.</summary>
    private static string Swin(string name) => $"backbone {name}\n    neck permute_dims {{ new_order = [0, 3, 1, 2] }}";

    public static IReadOnlyList<PublishedMeasurement> SwinRows { get; } = new[]
    {
        new PublishedMeasurement("M6 Swin-T", "UPerNet Swin-T (window 7), ADE20K (150 classes), 512×512, 2 per GPU, fp32, AdamW", 5.02, MmsegSwin, SwinAssumes,
            UperNet("M6SwinT", Swin("swin_t"), 150, "512", 2, AdamW), "swin_t"),
        new PublishedMeasurement("M6 Swin-S", "UPerNet Swin-S (window 7), ADE20K (150 classes), 512×512, 2 per GPU, fp32, AdamW", 6.17, MmsegSwin, SwinAssumes,
            UperNet("M6SwinS", Swin("swin_s"), 150, "512", 2, AdamW), "swin_s"),
        new PublishedMeasurement("M6 Swin-B", "UPerNet Swin-B (window 7), ADE20K (150 classes), 512×512, 2 per GPU, fp32, AdamW", 7.61, MmsegSwin, SwinAssumes,
            UperNet("M6SwinB", Swin("swin_b"), 150, "512", 2, AdamW), "swin_b"),
        new PublishedMeasurement("M6 Swin-B w12", "UPerNet Swin-B (window 12), ADE20K (150 classes), 512×512, 2 per GPU, fp32, AdamW", 8.52, MmsegSwin,
            SwinAssumes + "; window_size = 12 on torchvision's Swin-B",
            UperNet("M6SwinB12", "backbone swin_b { window_size = 12 }\n    neck permute_dims { new_order = [0, 3, 1, 2] }", 150, "512", 2, AdamW), "swin_b"),
    };

    public static IEnumerable<PublishedMeasurement> All => ResNetRows.Concat(SwinRows);
}
