using System;

namespace GeoDsl;

// Attributes that declare a model on a partial class, the C# form of a .geomodel file. Argument strings use the
// .geomodel syntax ("indices = [5, 11, 17, 23]"), so both forms share one parser and one set of checks.

/// <summary>Declares a GeoDsl model on a <c>partial</c> class; the generator adds the TorchSharp implementation.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GeoModelAttribute : Attribute
{
    /// <param name="task">segmentation, regression, classification or vlm.</param>
    public GeoModelAttribute(string task) => Task = task;

    public string Task { get; }
}

/// <summary>The input section, e.g. <c>[GeoInput("bands = [BLUE, GREEN, RED], size = 256")]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GeoInputAttribute : Attribute
{
    public GeoInputAttribute(string arguments) => Arguments = arguments;

    public string Arguments { get; }
}

/// <summary>The backbone, e.g. <c>[GeoBackbone("prithvi_eo_v2_300", "pretrained = true")]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GeoBackboneAttribute : Attribute
{
    public GeoBackboneAttribute(string name, string arguments = "")
    {
        Name = name;
        Arguments = arguments;
    }

    public string Name { get; }

    public string Arguments { get; }
}

/// <summary>A neck; necks apply in the order the attributes are written.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
public sealed class GeoNeckAttribute : Attribute
{
    public GeoNeckAttribute(string name, string arguments = "")
    {
        Name = name;
        Arguments = arguments;
    }

    public string Name { get; }

    public string Arguments { get; }
}

/// <summary>The decoder, e.g. <c>[GeoDecoder("unet", "channels = [512, 256, 128, 64]")]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GeoDecoderAttribute : Attribute
{
    public GeoDecoderAttribute(string name, string arguments = "")
    {
        Name = name;
        Arguments = arguments;
    }

    public string Name { get; }

    public string Arguments { get; }
}

/// <summary>The head, e.g. <c>[GeoHead("segmentation", "num_classes = 2")]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GeoHeadAttribute : Attribute
{
    public GeoHeadAttribute(string name, string arguments = "")
    {
        Name = name;
        Arguments = arguments;
    }

    public string Name { get; }

    public string Arguments { get; }
}

/// <summary>An auxiliary head; the body holds its decoder, head settings and weight:
/// <c>[GeoAuxiliaryHead("aux", "decoder fcn { channels = 256 } weight = 0.5")]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
public sealed class GeoAuxiliaryHeadAttribute : Attribute
{
    public GeoAuxiliaryHeadAttribute(string name, string body)
    {
        Name = name;
        Body = body;
    }

    public string Name { get; }

    public string Body { get; }
}

/// <summary>The training settings, e.g. <c>[GeoTrain("batch_size = 8, optimizer = adamw { lr = 1e-4 }")]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GeoTrainAttribute : Attribute
{
    public GeoTrainAttribute(string arguments) => Arguments = arguments;

    public string Arguments { get; }
}

/// <summary>The GPU the model must fit, e.g. <c>[GeoTarget("rtx_4090")]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GeoTargetAttribute : Attribute
{
    public GeoTargetAttribute(string gpu) => Gpu = gpu;

    public string Gpu { get; }
}

// vlm models ([GeoModel("vlm")]): the sections of `model X : vlm { … }`.

/// <summary>A vlm model's vision encoder, e.g. <c>[GeoVision("intern_vit_300m_448px")]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GeoVisionAttribute : Attribute
{
    public GeoVisionAttribute(string name, string arguments = "")
    {
        Name = name;
        Arguments = arguments;
    }

    public string Name { get; }

    public string Arguments { get; }
}

/// <summary>A vlm model's projector, e.g. <c>[GeoProjector("pixel_shuffle_mlp", "factor = 2")]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GeoProjectorAttribute : Attribute
{
    public GeoProjectorAttribute(string name, string arguments = "")
    {
        Name = name;
        Arguments = arguments;
    }

    public string Name { get; }

    public string Arguments { get; }
}

/// <summary>A vlm model's language model, e.g. <c>[GeoLanguageModel("qwen2_5_3b", "tie_word_embeddings = false")]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GeoLanguageModelAttribute : Attribute
{
    public GeoLanguageModelAttribute(string name, string arguments = "")
    {
        Name = name;
        Arguments = arguments;
    }

    public string Name { get; }

    public string Arguments { get; }
}

/// <summary>A vlm model's image tiling, e.g. <c>[GeoImages("tile_size = 448, max_tiles = 6")]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GeoImagesAttribute : Attribute
{
    public GeoImagesAttribute(string arguments) => Arguments = arguments;

    public string Arguments { get; }
}

/// <summary>A vlm model's text settings, e.g. <c>[GeoText("context_length = 4096")]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GeoTextAttribute : Attribute
{
    public GeoTextAttribute(string arguments) => Arguments = arguments;

    public string Arguments { get; }
}
