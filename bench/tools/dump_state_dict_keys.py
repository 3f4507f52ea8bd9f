#!/usr/bin/env python3
"""Writes bench/keys/<model>.txt: the state-dict keys and shapes of torchvision models, one `key [d0,d1,...]`
line per entry in state_dict() order, after a header naming torchvision's version, the constructor and the
parameter count. GeoDsl's runtime tests compare their modules' state dicts with these files.

Run with Debian's torch/torchvision (python3-torch, python3-torchvision):
    /usr/bin/python3 bench/tools/dump_state_dict_keys.py            # every model in MODELS
    /usr/bin/python3 bench/tools/dump_state_dict_keys.py vit_b_16    # only these

To add a model, add one row to MODELS: the file name, and a constructor call as Python source (evaluated with
`torchvision.models` imported as `models`, `functools.partial` as `partial`), built without pretrained weights.
"""
import os
import sys

import torch
import torchvision
from torchvision import models
from functools import partial

# file name (bench/keys/<name>.txt) -> constructor call, evaluated with `models` = torchvision.models.
MODELS = {
    # ResNets (torchvision/models/resnet.py).
    "resnet18": "models.resnet18()",
    "resnet50": "models.resnet50()",
    "resnet101": "models.resnet101()",
    "resnet152": "models.resnet152()",
    # Vision Transformers (torchvision/models/vision_transformer.py). ViT-S/16 has no builder: timm's sizes in
    # torchvision's class. vit_h_14 at 518 px is the size of its DEFAULT (SWAG E2E) weights.
    "vit_small_patch16": "models.VisionTransformer(image_size=224, patch_size=16, num_layers=12, num_heads=6, hidden_dim=384, mlp_dim=1536)",
    "vit_b_16": "models.vit_b_16()",
    "vit_b_32": "models.vit_b_32()",
    "vit_l_16": "models.vit_l_16()",
    "vit_l_32": "models.vit_l_32()",
    "vit_h_14": "models.vit_h_14()",
    "vit_h_14_518": "models.vit_h_14(image_size=518)",
    # ConvNeXts (torchvision/models/convnext.py).
    "convnext_tiny": "models.convnext_tiny()",
    "convnext_small": "models.convnext_small()",
    "convnext_base": "models.convnext_base()",
    "convnext_large": "models.convnext_large()",
    # Swin transformers (torchvision/models/swin_transformer.py): v1 window 7, v2 window 8.
    "swin_t": "models.swin_t()",
    "swin_b": "models.swin_b()",
    "swin_v2_t": "models.swin_v2_t()",
    "swin_v2_b": "models.swin_v2_b()",
}


def shape_text(tensor):
    return "[" + ",".join(str(d) for d in tensor.shape) + "]"


def dump(name, source, out_dir):
    model = eval(source, {"models": models, "partial": partial, "torch": torch})
    state = model.state_dict()
    parameters = sum(p.numel() for p in model.parameters())
    path = os.path.join(out_dir, name + ".txt")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# torchvision {torchvision.__version__} (torch {torch.__version__}): {source}\n")
        f.write(f"# {len(state)} state-dict entries; {parameters} parameters (sum of numel over parameters())\n")
        f.write("# Written by bench/tools/dump_state_dict_keys.py; one 'key [shape]' line per entry, in state_dict() order.\n")
        for key, tensor in state.items():
            f.write(f"{key} {shape_text(tensor)}\n")
    print(f"{path}: {len(state)} entries, {parameters:,} parameters")


def main(argv):
    out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "keys")
    os.makedirs(out_dir, exist_ok=True)
    names = argv[1:] or list(MODELS)
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        sys.exit(f"unknown model(s): {', '.join(unknown)}; known: {', '.join(MODELS)}")
    torch.manual_seed(0)
    for name in names:
        dump(name, MODELS[name], out_dir)


if __name__ == "__main__":
    main(sys.argv)
