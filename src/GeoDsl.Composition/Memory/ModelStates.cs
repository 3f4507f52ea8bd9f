using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Memory;

/// <summary>
/// Bytes per parameter of the model states: HF "Model training anatomy" (memory-facts.md §1.1) for fp32 and torch AMP
/// (weights and gradients stay fp32; AdamW keeps two states, SGD with momentum one, bitsandbytes' 8-bit AdamW two 1-byte
/// states), and pure bf16 as torchtune runs it (weights, gradients and states in bf16).
/// </summary>
public static class ModelStates
{
    /// <summary>A stored weight: fp32 under fp32 and mixed precision (autocast casts inside the region), bf16 in pure bf16.</summary>
    public static int WeightBytes(Precision precision) => precision == Precision.Bf16 ? 2 : 4;

    /// <summary>A gradient has its parameter's type.</summary>
    public static int GradientBytes(Precision precision) => WeightBytes(precision);

    /// <summary>
    /// Under autocast each weight of a layer whose backward runs is cast to 16 bits and the cast is kept until the backward
    /// pass (the matmul or convolution saves it to compute its input's gradient): HF's "6 bytes per parameter" for
    /// mixed-precision weights.
    /// </summary>
    public static int WeightCastBytes(Precision precision) => precision is Precision.Fp16Mixed or Precision.Bf16Mixed ? 2 : 0;

    /// <summary>Optimizer states per trainable parameter.</summary>
    public static double OptimizerStateBytes(ObjectValue optimizer, Precision precision) => optimizer.Name switch
    {
        "adamw" or "adam" => 2 * WeightBytes(precision),
        "sgd" => optimizer.Args.Double("momentum") > 0 ? WeightBytes(precision) : 0,

        // Two 8-bit moments; the per-block (2048) fp32 quantisation constants add 0.004 bytes, left out.
        "adamw8bit" => 2,
        _ => 2 * WeightBytes(precision),
    };

    /// <summary>
    /// The largest temporary of one optimizer step per trainable parameter. PyTorch's multi-tensor ("foreach") Adam/AdamW
    /// computes sqrt(v) for all parameters into a new list before the update; SGD with weight decay adds
    /// weight_decay · p to a copy of the gradients. bitsandbytes updates each tensor in place.
    /// </summary>
    public static double OptimizerStepBytes(ObjectValue optimizer, Precision precision) => optimizer.Name switch
    {
        "adamw" or "adam" => WeightBytes(precision),
        "sgd" => optimizer.Args.Double("weight_decay") > 0 ? WeightBytes(precision) : 0,
        _ => 0,
    };
}
