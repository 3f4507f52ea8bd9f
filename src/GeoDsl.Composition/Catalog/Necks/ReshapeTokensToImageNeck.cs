using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Necks;

/// <summary>
/// TerraTorch <c>ReshapeTokensToImage</c>: token sequences [B, 1 + t·h·w, E] become maps [B, t·E, h, w].
/// TerraTorch guesses h as √(tokens per frame), which breaks on non-square inputs; here the backbone's token grid
/// gives h and w, so non-square images work. <c>effective_time_dim</c> defaults to the grid's frames (TerraTorch
/// defaults to 1, which silently folds frames into space for multi-frame inputs).
/// </summary>
public sealed class ReshapeTokensToImageNeck : StageDescriptor
{
    public ReshapeTokensToImageNeck()
        : base("reshape_tokens_to_image", ComponentKind.Neck, "Turn token sequences into channel-first maps on the patch grid (frames stacked into channels).",
            ParameterInfo.With("remove_cls_token", ParameterType.Bool, true, "Drop token 0 (the class token) first."),
            ParameterInfo.Optional("effective_time_dim", ParameterType.Int(1, 1024), "Frames after the tubelet (default: the backbone's)."),
            ParameterInfo.Optional("h", ParameterType.Int(1, 100000), "Rows of the token grid (default: the backbone's)."))
    {
    }

    public override FeatureShape? Infer(FeatureShape input, ArgumentList args, ShapeContext context)
    {
        var layout = input.Tokens ?? new TokenLayout(false, 1, 0, 0);
        bool removeCls = args.Bool("remove_cls_token");
        if (removeCls && !layout.HasClsToken)
        {
            context.ReportAt("remove_cls_token", DiagnosticDescriptors.NoClsTokenToRemove, Title, context.PreviousStage);
            return null;
        }

        if (!removeCls && layout.HasClsToken)
        {
            context.ReportAt("remove_cls_token", DiagnosticDescriptors.ArgumentOutOfRange, "remove_cls_token", Title,
                $"true: {context.PreviousStage} emits a class token, and 1 + {layout.PatchTokens} tokens do not tile a {layout.Rows}×{layout.Columns} grid", "false");
            return null;
        }

        int frames = args.IntOrNull("effective_time_dim") ?? layout.Frames;
        if (frames != layout.Frames)
        {
            context.ReportAt("effective_time_dim", DiagnosticDescriptors.ArgumentOutOfRange, "effective_time_dim", Title,
                $"the backbone's {layout.Frames} frame(s) after the tubelet, or the frames fold into space", StageRules.Text(frames));
            return null;
        }

        int rows = args.IntOrNull("h") ?? layout.Rows;
        if (rows != layout.Rows)
        {
            context.ReportAt("h", DiagnosticDescriptors.ArgumentOutOfRange, "h", Title,
                $"the token grid's {layout.Rows} rows ({layout.Rows}×{layout.Columns} patches)", StageRules.Text(rows));
            return null;
        }

        int width = input.Tensors[0][1];
        var map = TensorShape.Of(frames * width, layout.Rows, layout.Columns);
        return FeatureShape.Maps(input.Tensors.Select(_ => map));
    }

    public override IReadOnlyList<FeatureKind> Accepts { get; } = new[] { FeatureKind.Tokens };

    public override FeatureKind? Produces => FeatureKind.Maps;

    public override long CountParameters(FeatureShape input, ArgumentList args) => 0;
}
