#!/usr/bin/env python3
"""Writes bench/keys/terramind_v1_{tiny,small,base,large}.txt: the state-dict keys and shapes of TerraTorch's
TerraMindViT encoder for the four registered v1 variants.

TerraTorch itself cannot be installed here (it needs torch >= 2 and a network), so the module tree is restated with
torch 1.13 (Debian's python3-torch) from the reference source, attribute for attribute, and its state_dict() listed.
Only names, shapes and what is a parameter or a buffer are modelled; there is no forward pass. Sources read
(IBM/terratorch):
  terratorch/models/backbones/terramind/model/terramind_vit.py @0e4be42a1d0f1d9917b8e10989069232c8a58e1e
      TerraMindViT: encoder_embeddings (ModuleDict by MODALITY_INFO key), missing_mod_token (concat only),
      encoder (ModuleList of Block), encoder_norm
  terratorch/models/backbones/terramind/model/encoder_embeddings.py @7cbd330e19bd4db9a106c1dad6ff9a9773558873
      ImageEncoderEmbedding.init: buffer pos_emb [1, (img/p)^2, D], parameter mod_emb [1, 1, D],
      proj = Linear(C*p*p, D, bias=False)
  terratorch/models/backbones/terramind/model/tm_utils.py @2b830f24d15a28299f8759e725a4d67a6c8394c9
      LayerNorm(bias=False): parameter weight, *buffer* bias; Block: norm1, attn (qkv, proj), norm2,
      mlp = Mlp (fc1, fc2) or GatedMlp (fc1, fc2, fc3; hidden int(2*hidden/3))
  terratorch/models/backbones/terramind/model/modality_info.py @291047deb618e26d71c640a134d5ad71d8078874
      untok_* keys, patch 16, num_channels 13/12/3/2/2/1
  terratorch/models/backbones/terramind/model/terramind_register.py @ae1f135660d08f020fb7e551afdde11ac407e27c
      base/large: qkv/proj/mlp bias False, SiLU, gated_mlp; norm partial(LayerNorm, eps=1e-6, bias=False).
      tiny/small (not in that stored revision; terratorch-facts.md section 2 @85467a9 and terratorch 1.2.11's
      terramind_register.py as vendored elsewhere): 192/12/3 and 384/12/6, biases on, GELU, same norm.
Configuration listed: all six image modalities in MODALITY_INFO order of the published checkpoint
(S2L1C, S2L2A, S2RGB, S1GRD, S1RTC, DEM), img_size 224, merge_method mean (no missing_mod_token).

Run: /usr/bin/python3 bench/tools/terramind_keys.py   (from the repository root)
"""
import os
import sys

import torch
from torch import nn

VARIANTS = {
    # name: (dim, depth, heads, biases, gated)
    "terramind_v1_tiny": (192, 12, 3, True, False),
    "terramind_v1_small": (384, 12, 6, True, False),
    "terramind_v1_base": (768, 12, 12, False, True),
    "terramind_v1_large": (1024, 24, 16, False, True),
}
MODALITIES = [  # (user name, MODALITY_INFO key, channels)
    ("S2L1C", "untok_sen2l1c@224", 13),
    ("S2L2A", "untok_sen2l2a@224", 12),
    ("S2RGB", "untok_sen2rgb@224", 3),
    ("S1GRD", "untok_sen1grd@224", 2),
    ("S1RTC", "untok_sen1rtc@224", 2),
    ("DEM", "untok_dem@224", 1),
]
PATCH, IMG, MLP_RATIO = 16, 224, 4


class NormWithoutBias(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.register_buffer("bias", torch.zeros(dim))


class Attention(nn.Module):
    def __init__(self, dim, bias):
        super().__init__()
        self.qkv = nn.Linear(dim, 3 * dim, bias=bias)
        self.proj = nn.Linear(dim, dim, bias=bias)


class FeedForward(nn.Module):
    def __init__(self, dim, bias, gated):
        super().__init__()
        hidden = dim * MLP_RATIO
        if gated:
            hidden = int(2 * hidden / 3)
        self.fc1 = nn.Linear(dim, hidden, bias=bias)
        self.fc2 = nn.Linear(hidden, dim, bias=bias)
        if gated:
            self.fc3 = nn.Linear(dim, hidden, bias=bias)


class EncoderBlock(nn.Module):
    def __init__(self, dim, bias, gated):
        super().__init__()
        self.norm1 = NormWithoutBias(dim)
        self.attn = Attention(dim, bias)
        self.norm2 = NormWithoutBias(dim)
        self.mlp = FeedForward(dim, bias, gated)


class ImageEmbedding(nn.Module):
    def __init__(self, channels, dim):
        super().__init__()
        side = IMG // PATCH
        self.register_buffer("pos_emb", torch.zeros(1, side * side, dim))
        self.mod_emb = nn.Parameter(torch.zeros(1, 1, dim))
        self.proj = nn.Linear(channels * PATCH * PATCH, dim, bias=False)


class Encoder(nn.Module):
    def __init__(self, dim, depth, bias, gated):
        super().__init__()
        self.encoder_embeddings = nn.ModuleDict({key: ImageEmbedding(c, dim) for _, key, c in MODALITIES})
        self.encoder = nn.ModuleList([EncoderBlock(dim, bias, gated) for _ in range(depth)])
        self.encoder_norm = NormWithoutBias(dim)


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out_dir = os.path.join(root, "bench", "keys")
    os.makedirs(out_dir, exist_ok=True)
    for name, (dim, depth, heads, bias, gated) in VARIANTS.items():
        model = Encoder(dim, depth, bias, gated)
        params = {n for n, _ in model.named_parameters()}
        lines = [
            f"# {name}: TerraTorch TerraMindViT state_dict(), dim {dim}, encoder_depth {depth}, num_heads {heads}, "
            f"{'SwiGLU without biases' if gated else 'GELU MLP with biases'}",
            "# modalities " + ", ".join(m for m, _, _ in MODALITIES) + f"; img_size {IMG}; merge_method mean",
            "# written by bench/tools/terramind_keys.py from the reference source (see its header for files and commits)",
            "# key<TAB>shape<TAB>parameter|buffer",
        ]
        learnable = 0
        for key, tensor in model.state_dict().items():
            kind = "parameter" if key in params else "buffer"
            if kind == "parameter":
                learnable += tensor.numel()
            lines.append(f"{key}\t{list(tensor.shape)}\t{kind}")
        lines.insert(3, f"# learnable parameters: {learnable}")
        path = os.path.join(out_dir, name + ".txt")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        print(f"{path}: {len(lines) - 5} tensors, {learnable} learnable parameters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
