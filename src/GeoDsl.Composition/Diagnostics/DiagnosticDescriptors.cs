using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace GeoDsl.Composition.Diagnostics;

/// <summary>
/// Every diagnostic GeoDsl reports, in one place. IDs by family: GEO0xxx syntax and names, GEO1xxx shapes and
/// contracts, GEO2xxx memory, GEO3xxx training and options, GEO9xxx internal. An ID is never reused; each has a
/// row in AnalyzerReleases.Shipped.md and a page docs/diagnostics/{ID}.md.
/// </summary>
public static class DiagnosticDescriptors
{
    private const string Syntax = "GeoDsl.Syntax";
    private const string Names = "GeoDsl.Names";
    private const string Shapes = "GeoDsl.Shapes";
    private const string Memory = "GeoDsl.Memory";
    private const string Training = "GeoDsl.Training";
    private const string Internal = "GeoDsl.Internal";

    // GEO0xxx: syntax
    public static readonly DiagnosticDescriptor UnexpectedToken = new("GEO0001", "Unexpected token",
        "Unexpected {0}; expected {1}", DiagnosticSeverity.Error, Syntax);

    public static readonly DiagnosticDescriptor UnterminatedString = new("GEO0002", "Unterminated string",
        "This string has no closing quote; add '\"' before the end of the line", DiagnosticSeverity.Error, Syntax);

    public static readonly DiagnosticDescriptor UnterminatedComment = new("GEO0003", "Unterminated comment",
        "This comment has no closing '*/'", DiagnosticSeverity.Error, Syntax);

    public static readonly DiagnosticDescriptor UnexpectedCharacter = new("GEO0004", "Unexpected character",
        "The character '{0}' cannot appear here; names use letters, digits and '_'", DiagnosticSeverity.Error, Syntax);

    public static readonly DiagnosticDescriptor MalformedNumber = new("GEO0005", "Malformed number",
        "'{0}' is not a number; write plain numbers such as 512, 0.1 or 1e-4, without units", DiagnosticSeverity.Error, Syntax);

    public static readonly DiagnosticDescriptor ExpectedValue = new("GEO0006", "Missing value",
        "'{0}' must be followed by a value: a number, a name, a string or a list in brackets", DiagnosticSeverity.Error, Syntax);

    public static readonly DiagnosticDescriptor UnclosedBrace = new("GEO0007", "Unclosed brace",
        "The '{{' opened on line {0} is never closed; add '}}'", DiagnosticSeverity.Error, Syntax);

    public static readonly DiagnosticDescriptor UnclosedBracket = new("GEO0008", "Unclosed bracket",
        "This list has no closing ']'", DiagnosticSeverity.Error, Syntax);

    public static readonly DiagnosticDescriptor NestingTooDeep = new("GEO0009", "Nesting too deep",
        "Blocks and lists nest deeper than {0} levels here; flatten them", DiagnosticSeverity.Error, Syntax);

    // GEO00xx: names and values
    public static readonly DiagnosticDescriptor UnknownTask = new("GEO0010", "Unknown task",
        "Unknown task '{0}'.{1} A model's task is {2}", DiagnosticSeverity.Error, Names);

    public static readonly DiagnosticDescriptor UnknownComponent = new("GEO0011", "Unknown component",
        "Unknown {0} '{1}'.{2} Known {0}s: {3}", DiagnosticSeverity.Error, Names);

    public static readonly DiagnosticDescriptor UnknownArgument = new("GEO0012", "Unknown argument",
        "{0} has no argument '{1}'.{2} Its arguments: {3}", DiagnosticSeverity.Error, Names);

    public static readonly DiagnosticDescriptor ArgumentTypeMismatch = new("GEO0013", "Argument of the wrong type",
        "'{0}' of {1} must be {2}; got {3}", DiagnosticSeverity.Error, Names);

    public static readonly DiagnosticDescriptor ArgumentOutOfRange = new("GEO0014", "Argument out of range",
        "'{0}' of {1} must be {2}; got {3}", DiagnosticSeverity.Error, Names);

    public static readonly DiagnosticDescriptor DuplicateArgument = new("GEO0015", "Argument set twice",
        "'{0}' is set twice in {1}; keep one", DiagnosticSeverity.Error, Names);

    public static readonly DiagnosticDescriptor MissingSection = new("GEO0016", "Missing section",
        "{0} has no {1}; add one, e.g. '{2}'", DiagnosticSeverity.Error, Names);

    public static readonly DiagnosticDescriptor UnknownSection = new("GEO0017", "Unknown section",
        "'{0}' is not part of {1}.{2} Valid here: {3}", DiagnosticSeverity.Error, Names);

    public static readonly DiagnosticDescriptor UnknownBand = new("GEO0018", "Unknown band",
        "Unknown band '{0}'.{1} Known bands: {2} (Sentinel-2 IDs such as B8A and lower-case names such as red work too)", DiagnosticSeverity.Error, Names);

    public static readonly DiagnosticDescriptor DuplicateBand = new("GEO0019", "Band listed twice",
        "Band '{0}' is listed twice; each input band appears once", DiagnosticSeverity.Error, Names);

    public static readonly DiagnosticDescriptor MissingArgument = new("GEO0020", "Missing argument",
        "{0} needs '{1}': {2}", DiagnosticSeverity.Error, Names);

    public static readonly DiagnosticDescriptor DuplicateModel = new("GEO0021", "Model declared twice",
        "A model named '{0}' is already declared at {1}; model names are unique", DiagnosticSeverity.Error, Names);

    public static readonly DiagnosticDescriptor SectionNeedsName = new("GEO0022", "Component name missing",
        "'{0}' names its component, e.g. '{0} {1}'", DiagnosticSeverity.Error, Names);

    public static readonly DiagnosticDescriptor DuplicateSection = new("GEO0023", "Section repeated",
        "Only one {0} is allowed here; this one repeats the {0} at line {1}", DiagnosticSeverity.Error, Names);

    public static readonly DiagnosticDescriptor GeoModelClassShape = new("GEO0024", "[GeoModel] class the generator cannot extend",
        "[GeoModel] class '{0}' must be {1}, so the generator can add the model to it: {2}", DiagnosticSeverity.Error, Names);

    public static readonly DiagnosticDescriptor ReservedModelName = new("GEO0025", "Model name taken by a generated member",
        "A model cannot be named '{0}': its generated class has a member of that name ({1}); choose another name", DiagnosticSeverity.Error, Names);

    // GEO1xxx: shapes and contracts
    public static readonly DiagnosticDescriptor FeatureKindMismatch = new("GEO1001", "Wrong kind of features",
        "{0} takes {1} but receives {2} from {3}.{4}", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor FeatureIndexOutOfRange = new("GEO1002", "Feature index out of range",
        "Index {0} of {1} is out of range: {2} gives {3} features (valid indices {4})", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor WrongFeatureCount = new("GEO1003", "Wrong number of features",
        "{0} needs {1}; it receives {2} from {3}", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor ChannelListLength = new("GEO1004", "Channel list length mismatch",
        "{0} has {1} '{2}' entries but receives {3} feature maps; give one entry per map", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor PyramidScaleMismatch = new("GEO1005", "Feature maps do not form the required pyramid",
        "{0} needs feature maps, finest first, each half the size of the one before; it receives {1}.{2}", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor SizeNotMultipleOfPatch = new("GEO1006", "Image size not a multiple of the patch",
        "Image size {0} is not a multiple of {1} (2 × patch {2}); it is padded to {3} at run time, costing memory and time. {4}", DiagnosticSeverity.Warning, Shapes);

    public static readonly DiagnosticDescriptor FramesNotMultipleOfTubelet = new("GEO1007", "Frames not a multiple of the tubelet",
        "{0} frames do not divide into tubelets of {1} frames for {2}; use a multiple of {1}", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor StatisticsCountMismatch = new("GEO1008", "Normalisation statistics do not match the bands",
        "The input has {0} bands but {1} '{2}' values; give one per band", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor HeadAfterHeadedDecoder = new("GEO1009", "Decoder already includes a head",
        "decoder '{0}' produces the predictions itself; remove the head section or choose a decoder without a head", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor NoClsTokenToRemove = new("GEO1010", "No class token",
        "{0} uses a class token, but {1} emits none; set 'remove_cls_token = false' or pool another way", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor ChannelsNotDivisible = new("GEO1011", "Channels not divisible",
        "{0} divides the channels of feature {1} by {2}, but it has {3}; use a width divisible by {2}", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor DecoderNeedsHead = new("GEO1012", "Head missing",
        "decoder '{0}' outputs {1}-channel features, not predictions; add a head, e.g. 'head {2} {{ {3} }}'", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor HeadDoesNotMatchTask = new("GEO1013", "Head does not match the task",
        "head '{0}' does not fit a {1} model; use 'head {2}'", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor TimeEncodingNeedsUnitTubelet = new("GEO1014", "Time encoding needs a one-frame tubelet",
        "{0} encodes acquisition dates per frame, which needs a tubelet of 1 frame; it is {1}", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor FeatureMapTooSmall = new("GEO1015", "Feature map shrinks to nothing",
        "{0} reduces a {1} map below one pixel; use a larger image or fewer levels", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor InputSizeDiffersFromFixedSize = new("GEO1016", "Image size differs from the backbone's fixed size",
        "{0} computes its position encoding once, for img_size = {1} ({2} patches), and any other patch count fails at run time (TerraTorch #773); the input {3} gives {4} patches. {5}", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor NonSquareInput = new("GEO1017", "Backbone needs a square image",
        "{0} needs a square image ({1}); the input is {2}. Use {3}", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor BandWithoutWavelength = new("GEO1018", "Band without a known wavelength",
        "{0} needs each band's central wavelength, since {1}, but {2} {3} none in GeoDsl's table; give 'wavelengths' (µm, one per band, {4} in all) or drop {5}", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor BandsDoNotMatchModalities = new("GEO1019", "Bands do not match the modalities",
        "{0} cannot split the {1} input bands into its modalities: it needs {2}; got {3}", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor OutIndicesIgnored = new("GEO1020", "out_indices ignored by the backbone",
        "{0} ignores out_indices = {1}: TerraTorch's wrapper always returns all {2} blocks, so an exported run would not do what this says; remove it and choose blocks with 'neck select_indices'", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor ChannelGroupBandsMissing = new("GEO1021", "Bands missing for a channel group",
        "{0} needs {1} in the input: channel group {2} ({3}) has its own patch embedding; the groups need {4} in any order (other bands are ignored)", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor FramesForSingleImageBackbone = new("GEO1022", "Several frames into a single-image backbone",
        "{0} encodes one image, but the input has {1} frames; set temporal_pooling (mean, max, diff or concat) to run it on each frame and pool the features, or use frames = 1", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor BandOrderDiffersFromPretrained = new("GEO1023", "Bands in another order than the pretrained weights",
        "The input lists {0} in another order than the weights of {1} ({2}); the patch embedding is re-selected by band name, so this works, but data prepared for the published model comes in that order: list them as [{3}] to feed it unchanged", DiagnosticSeverity.Info, Shapes);
    // GEO104x: declarations of custom components ([GeoCustomBackbone] and friends), reported on the declaration
    public static readonly DiagnosticDescriptor CustomListsDisagree = new("GEO1040", "Custom component's lists disagree",
        "{0} lists {1}; {2}", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor CustomNotPowerOfTwo = new("GEO1041", "Custom component's stride not a power of two",
        "{0} declares {1} = {2}, which is not a power of two; strides, patch sizes, padding multiples and upscales are 1, 2, 4, 8, …", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor CustomUnknownFeatureKind = new("GEO1042", "Custom component's feature kind unknown",
        "{0} declares {1} = \"{2}\", which is not a feature kind.{3} Use one of: tokens, maps, channel_last_maps, pooled", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor CustomDeclarationInvalid = new("GEO1043", "Custom component's declaration incomplete or invalid",
        "{0}: {1}; {2}", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor CustomClassMismatch = new("GEO1044", "Custom component's class does not fit its declaration",
        "{0}: {1}; {2}", DiagnosticSeverity.Error, Shapes);
    // GEO11xx: vision-language compositions (vlm models)
    public static readonly DiagnosticDescriptor ProjectorWidthMismatch = new("GEO1101", "Projector width does not match",
        "Projector '{0}' {1} = {2}, but {3} gives {4}. {5}", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor VisualTokensExceedContext = new("GEO1102", "Visual tokens exceed the context",
        "Each sample carries {0} visual tokens ({1}), but context_length is {2}, leaving no room for text. {3}", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor LanguageModelAsImageEncoder = new("GEO1103", "Language model used as an image encoder",
        "'{0}' is a language model ({1}): it maps text tokens to next-token logits and has no patch embedding, so it cannot be {2}. Pair it with an image encoder in a vlm model: {3}", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor ImageEncoderAsLanguageModel = new("GEO1104", "Image encoder used as a language model",
        "'{0}' is an image encoder ({1}): it turns pixels into features and has no vocabulary or next-token head, so it cannot be the language model. Put it in 'vision' and name a language model: {2}", DiagnosticSeverity.Error, Shapes);

    public static readonly DiagnosticDescriptor EmbeddingTyingChanged = new("GEO1105", "Embedding tying differs from the checkpoint",
        "'{0}' {1} its embeddings in its checkpoint; tie_word_embeddings = {2} {3} the output projection ({4} × {5} = {6} parameters): {7} parameters in all instead of {8}", DiagnosticSeverity.Info, Shapes);

    public static readonly DiagnosticDescriptor ContextBeyondLanguageModel = new("GEO1106", "Context longer than the language model's",
        "context_length = {0} is longer than the {1} tokens '{2}' was trained for; positions past them are extrapolated. Use at most {1}, or a language model with a longer context", DiagnosticSeverity.Warning, Shapes);

    // GEO2xxx: memory
    public static readonly DiagnosticDescriptor TrainingMemoryExceedsBudget = new("GEO2001", "Training does not fit the GPU",
        "Training '{0}' needs about {1} on the device (peak allocated {2}: {3}), more than the {4} of the {5}. {6}", DiagnosticSeverity.Error, Memory);

    public static readonly DiagnosticDescriptor TrainingMemoryNearBudget = new("GEO2002", "Training nearly fills the GPU",
        "Training '{0}' needs about {1} on the device (peak allocated {2}: {3}), {4} of the {5} of the {6}: less than {7} is left for fragmentation, other processes and the estimate's error. {8}", DiagnosticSeverity.Warning, Memory);

    public static readonly DiagnosticDescriptor InvalidBudgetSetting = new("GEO2003", "Invalid memory budget setting",
        "{0} Models are checked against the default instead", DiagnosticSeverity.Error, Memory);

    // GEO3xxx: training and options
    public static readonly DiagnosticDescriptor LoraOnFrozenBackbone = new("GEO3001", "LoRA on a frozen backbone",
        "peft_config '{0}' trains adapters inside the backbone, but freeze_backbone = true freezes the backbone with its adapters, so they would never train; remove freeze_backbone ({0} keeps the backbone's own weights frozen already)", DiagnosticSeverity.Error, Training);

    public static readonly DiagnosticDescriptor LoraTargetNotInBackbone = new("GEO3002", "LoRA target not in the backbone",
        "backbone '{0}' has no '{1}' layers for LoRA to adapt; {2}", DiagnosticSeverity.Error, Training);

    public static readonly DiagnosticDescriptor ScheduleOutlastsTraining = new("GEO3003", "Schedule does not act within the training",
        "scheduler '{0}' {1}, but training lasts {2} epoch(s); {3}", DiagnosticSeverity.Warning, Training);

    public static readonly DiagnosticDescriptor OneCyclePeakBelowLearningRate = new("GEO3004", "One-cycle peak below the learning rate",
        "onecycle's max_lr {0} is below the optimizer's lr {1}; OneCycleLR replaces lr and peaks at max_lr, so training runs at lower rates than lr says; raise max_lr (commonly about 10 × lr) or lower lr", DiagnosticSeverity.Warning, Training);

    public static readonly DiagnosticDescriptor LossIgnoresIndexInTerraTorch = new("GEO3005", "Loss cannot ignore labels in TerraTorch",
        "loss 'jaccard' with ignore_index = {0}: TerraTorch's jaccard loss refuses ignore_index (RuntimeError), so an exported run fails, while GeoDsl's trainer masks those pixels; use loss = dice or ce to ignore labels in both, or remove ignore_index", DiagnosticSeverity.Warning, Training);

    public static readonly DiagnosticDescriptor ClassWeightsIgnoredByLoss = new("GEO3006", "Class weights with a loss that ignores them",
        "class_weights apply only to the ce loss (TerraTorch passes them to CrossEntropyLoss alone), so loss '{0}' would train unweighted; use loss = ce or remove class_weights", DiagnosticSeverity.Error, Training);

    public static readonly DiagnosticDescriptor NesterovWithoutMomentum = new("GEO3007", "Nesterov without momentum",
        "sgd with nesterov = true needs momentum above 0 (it is {0}): torch.optim.SGD rejects it (\"Nesterov momentum requires a momentum and zero dampening\"); set momentum, e.g. 0.9, or nesterov = false", DiagnosticSeverity.Error, Training);

    // GEO9xxx: internal
    public static readonly DiagnosticDescriptor InternalError = new("GEO9001", "Internal error",
        "GeoDsl's front end failed on this file ({0}); the model is not generated. Please report this with the file", DiagnosticSeverity.Error, Internal);

    /// <summary>Every descriptor above, in ID order.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .OrderBy(d => d.Id, System.StringComparer.Ordinal)
        .ToList();
}
