#!/usr/bin/env python3
"""Reference side of the numerical parity bench: seeded weights, a seeded input and torchvision's outputs.

For one model of MODELS it writes, into the work folder:
  <model>.weights.safetensors    the state dict (seeded; batch-norm statistics calibrated, see below)
  <model>.input.safetensors      "input": the seeded input batch
  <model>.reference.safetensors  "output": the model's output in eval mode, plus one tensor per tap (float32)
  <model>.reference64.safetensors the same with the model and input converted to float64 (exactly: same values)
  <model>.reference.json         versions, seed, input shape; per output its max |value| and torch's own float32
                                 rounding error (max |float32 - float64|), the scale any float32 comparison lives at

Usage (Debian's python3-torch / python3-torchvision; nothing is downloaded):
    /usr/bin/python3 bench/parity/reference.py resnet50 /tmp/geodsl-parity

Safetensors is written directly (the safetensors package is not installed): 8-byte little-endian header length,
a JSON header {name: {dtype, shape, data_offsets}} padded with spaces to a multiple of 8, then the raw
little-endian tensor bytes in header order.
"""
import copy
import json
import os
import struct
import sys

import torch
import torchvision
from torchvision import models

SEED = 20240601

# name -> row. "build": a torchvision constructor call as Python source (`models` = torchvision.models), built with
# weights=None; "input": the input shape; "taps": submodules whose forward outputs are recorded beside the model
# output (names as in named_modules(); the C# side returns tensors under the same names). One row per model.
MODELS = {
    "resnet50": {
        "build": "models.resnet50()",
        "input": [2, 3, 224, 224],
        # The stem's ReLU (torchvision's top-level `relu` runs only in the stem) and the four stages: the five levels.
        "taps": ["relu", "layer1", "layer2", "layer3", "layer4"],
    },
    # torchvision zero-initialises the classifier, the class token and the attention biases: "prepare" redraws every
    # all-zero parameter, so the logits and the class token carry information.
    "vit_b_16": {
        "build": "models.vit_b_16()",
        "input": [2, 3, 224, 224],
        "taps": ["encoder.layers.encoder_layer_0", "encoder.layers.encoder_layer_5", "encoder"],
        "prepare": "[p.normal_(0.0, 0.02) for p in model.parameters() if not p.any()]",
    },
    # layer_scale starts at 1e-6, which would leave every block close to the identity: "prepare" draws it in [0.2, 1]
    # and redraws the all-zero biases.
    "convnext_tiny": {
        "build": "models.convnext_tiny()",
        "input": [2, 3, 224, 224],
        "taps": ["features.1", "features.3", "features.5", "features.7"],
        "prepare": "[p.uniform_(0.2, 1.0) for n, p in model.named_parameters() if n.endswith('layer_scale')] + "
                   "[p.normal_(0.0, 0.02) for p in model.parameters() if not p.any()]",
    },
    # torchvision zero-initialises every bias and sets each LayerNorm to the identity, which would hide how biases are used
    # (Swin v2 zeroes the key bias in its forward pass): "prepare" adds seeded noise to every 1-d parameter.
    "swin_t": {
        "build": "models.swin_t()",
        "input": [2, 3, 224, 224],
        "taps": ["features.1", "features.3", "features.5", "features.7"],
        "prepare": "[p.add_(0.1 * torch.randn_like(p)) for p in model.parameters() if p.dim() == 1]",
    },
    "swin_v2_t": {
        "build": "models.swin_v2_t()",
        "input": [2, 3, 256, 256],
        "taps": ["features.1", "features.3", "features.5", "features.7"],
        "prepare": "[p.add_(0.1 * torch.randn_like(p)) for p in model.parameters() if p.dim() == 1]",
    },
    # To add a model, add a row here and one in bench/GeoDsl.Bench.Parity/Program.cs (see bench/parity/README.md), e.g.
    # "vit_b_16": {"build": "models.vit_b_16()", "input": [2, 3, 224, 224], "taps": ["encoder"]},
    # "swin_t": {"build": "models.swin_t()", "input": [2, 3, 224, 224], "taps": ["features"]},
    # "swin_v2_t": {"build": "models.swin_v2_t()", "input": [2, 3, 256, 256], "taps": ["features"]},
    # "convnext_tiny": {"build": "models.convnext_tiny()", "input": [2, 3, 224, 224], "taps": ["features"]},
}

DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16",
          torch.int64: "I64", torch.int32: "I32", torch.uint8: "U8", torch.bool: "BOOL"}


def write_safetensors(path, tensors, metadata=None):
    header, chunks, offset = {}, [], 0
    for name, tensor in tensors.items():
        t = tensor.detach().contiguous().cpu()
        data = t.numpy().astype(t.numpy().dtype.newbyteorder("<"), copy=False).tobytes() if t.dtype != torch.bfloat16 \
            else t.view(torch.int16).numpy().astype("<i2").tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for chunk in chunks:
            f.write(chunk)


def seeded_model(row):
    torch.manual_seed(SEED)
    model = eval(row["build"], {"models": models, "torch": torch})
    if "prepare" in row:
        # Optional per-row statement (Python source, `model` and `torch` in scope) that makes zero or near-identity
        # initial tensors informative; seeded like the rest.
        with torch.no_grad():
            exec(row["prepare"], {"model": model, "torch": torch})
    # Non-trivial affine batch norms, then statistics from a few seeded batches (cumulative average), so that eval-mode
    # activations keep a realistic scale through the whole depth instead of the untrained running_var = 1.
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
                module.weight.uniform_(0.5, 1.5)
                module.bias.normal_(0.0, 0.1)
                module.momentum = None
                module.reset_running_stats()
        model.train()
        for _ in range(3):
            model(torch.randn(*row["input"]))
    return model.eval()


def run(model, row, x):
    """The model's output and its taps (cloned: the stem ReLU is in place, and later layers must not change them)."""
    taps, hooks = {}, []
    modules = dict(model.named_modules())
    for tap in row["taps"]:
        hooks.append(modules[tap].register_forward_hook(lambda _m, _i, out, tap=tap: taps.__setitem__(tap, out.detach().clone())))
    with torch.no_grad():
        output = model(x)
    for hook in hooks:
        hook.remove()
    return {"output": output, **taps}


def main(name, work):
    if name not in MODELS:
        sys.exit(f"unknown model {name}; known: {', '.join(MODELS)}")
    row = MODELS[name]
    os.makedirs(work, exist_ok=True)
    model = seeded_model(row)

    generator = torch.Generator().manual_seed(SEED + 1)
    x = torch.randn(*row["input"], generator=generator)
    outputs = run(model, row, x)
    outputs64 = run(copy.deepcopy(model).double(), row, x.double())
    rounding = {k: float((v.double() - outputs64[k]).abs().max()) for k, v in outputs.items()}

    versions = {"torch": torch.__version__, "torchvision": torchvision.__version__, "seed": SEED, "build": row["build"]}
    write_safetensors(os.path.join(work, f"{name}.weights.safetensors"), model.state_dict(), versions)
    write_safetensors(os.path.join(work, f"{name}.input.safetensors"), {"input": x}, versions)
    write_safetensors(os.path.join(work, f"{name}.reference.safetensors"), outputs, versions)
    write_safetensors(os.path.join(work, f"{name}.reference64.safetensors"), outputs64, versions)
    summary = dict(versions, input=row["input"], outputs={
        k: {"shape": list(v.shape), "max_abs": float(v.abs().max()), "torch_float32_rounding": rounding[k]} for k, v in outputs.items()})
    with open(os.path.join(work, f"{name}.reference.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
    print(f"{name}: torchvision {torchvision.__version__} outputs {', '.join(f'{k} {list(v.shape)}' for k, v in outputs.items())}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: reference.py <model> <work folder>")
    main(sys.argv[1], sys.argv[2])
