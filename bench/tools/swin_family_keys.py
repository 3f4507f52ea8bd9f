#!/usr/bin/env python3
"""Writes bench/keys/<name>.txt for the Swin backbones of the GeoDsl catalog that are not plain torchvision models
(those are in dump_state_dict_keys.py): one 'key [d0,d1,...]' line per state-dict entry in state_dict() order, after a
header naming the source and the parameter count.

SatlasPretrain Swin-v2 (satlas_swin_t_*, satlas_swin_b_*): built from Debian's torchvision 0.14, as
  IBM/terratorch terratorch/models/backbones/torchgeo_swin_satlas.py @28f3ae3a8765e3616cbe7c188fc4fae0f4834e64 does:
  load_model() replaces features[0][0] by Conv2d(in_chans, embed_dim, kernel_size=patch, stride=patch) and
  SwinEncoderWrapper holds the model as `swin_model` (its only child module). Written for the nine-band Sentinel-2
  variants; the other variants differ only in features.0.0.weight's input channels.

Prithvi-Swin (prithvi_swin_B, prithvi_swin_L): TerraTorch and timm cannot be installed here, so the module tree is
restated with torch 1.13 from the reference source, attribute for attribute, on the meta device (names, shapes and
registration order only; no forward pass). Sources read:
  IBM/terratorch terratorch/models/backbones/prithvi_swin.py @1c9812fe3bd88495a16c6e7447cba5bb9a4c8ac4
    prithvi_swin_B: patch 4, window 7, embed 128, depths (2,2,18,2), heads (4,8,16,32), in_chans 6;
    prithvi_swin_L: embed 192, heads (6,12,24,48); built by timm build_model_with_cfg(MMSegSwinTransformer, ...,
    feature_cfg={"flatten_sequential": True, "out_indices": (0, 1, 2, 3)})
  IBM/terratorch terratorch/models/backbones/swin_encoder_decoder.py @c9b948b3cadc377354bdd47eefa9e89ecb930a0c
    MMSegSwinTransformer: patch_embed (PatchEmbed: adap_padding, projection Conv2d, norm, drop), stages (Sequential of
    SwinBlockSequence: blocks ModuleList of SwinBlock(norm1, attn=ShiftWindowMSA(w_msa=WindowMSA(
    relative_position_bias_table, buffer relative_position_index [N, N], qkv, attn_drop, proj, proj_drop, softmax),
    drop), norm2, ffn=FFN(layers=Sequential(Sequential(Linear, GELU, Dropout), Linear, Dropout), dropout_layer)),
    downsample=PatchMerging(adap_padding, sampler, norm over 4C, reduction without bias) except the last stage, norm),
    head (ClassifierHead)
  IBM/terratorch terratorch/registry/timm_registry.py @153e36f2f9f108e3d695150b8e86e2191bdec0a0
    timm.create_model(..., features_only=True) wrapped by TimmBackboneWrapper, which copies the feature net's modules
  timm FeatureListNet with flatten_sequential=True keeps the modules up to the last feature module, naming the
    children of the `stages` Sequential `stages_0` ... `stages_3`; the classifier head is not kept.

Run: /usr/bin/python3 bench/tools/swin_family_keys.py   (from anywhere)
"""
import os

import torch
import torchvision
from torch import nn
from torchvision import models

META = torch.device("meta")


# --- SatlasPretrain, as TerraTorch builds it --------------------------------------------------------------------

class SwinEncoderWrapper(nn.Module):
    """TerraTorch's wrapper: the torchvision model is its only child, `swin_model`."""

    def __init__(self, swin_model):
        super().__init__()
        self.swin_model = swin_model


def satlas(builder, embed_dim, in_chans):
    model = builder()
    model.features[0][0] = nn.Conv2d(in_chans, embed_dim, kernel_size=[4, 4], stride=[4, 4])
    return SwinEncoderWrapper(model)


# --- Prithvi-Swin: MMSegSwinTransformer restated (names and shapes only) -----------------------------------------

class PatchEmbed(nn.Module):
    def __init__(self, in_chans, embed_dim, patch):
        super().__init__()
        self.drop = nn.Dropout(0.0)
        self.adap_padding = nn.Identity()
        self.projection = nn.Conv2d(in_chans, embed_dim, patch, patch, device=META)
        self.norm = nn.LayerNorm(embed_dim, device=META)


class WindowMSA(nn.Module):
    def __init__(self, dim, heads, window):
        super().__init__()
        self.relative_position_bias_table = nn.Parameter(torch.zeros((2 * window - 1) ** 2, heads, device=META))
        self.register_buffer("relative_position_index", torch.zeros(window * window, window * window, dtype=torch.int64, device=META))
        self.qkv = nn.Linear(dim, 3 * dim, device=META)
        self.attn_drop = nn.Dropout(0.0)
        self.proj = nn.Linear(dim, dim, device=META)
        self.proj_drop = nn.Dropout(0.0)
        self.softmax = nn.Softmax(dim=-1)


class ShiftWindowMSA(nn.Module):
    def __init__(self, dim, heads, window):
        super().__init__()
        self.w_msa = WindowMSA(dim, heads, window)
        self.drop = nn.Identity()


class FFN(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Sequential(nn.Linear(dim, hidden, device=META), nn.GELU(), nn.Dropout(0.0)),
            nn.Linear(hidden, dim, device=META),
            nn.Dropout(0.0))
        self.dropout_layer = nn.Identity()


class SwinBlock(nn.Module):
    def __init__(self, dim, heads, window):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, device=META)
        self.attn = ShiftWindowMSA(dim, heads, window)
        self.norm2 = nn.LayerNorm(dim, device=META)
        self.ffn = FFN(dim, 4 * dim)


class PatchMerging(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.adap_padding = nn.Identity()
        self.sampler = nn.Unfold(kernel_size=2, stride=2)
        self.norm = nn.LayerNorm(4 * dim, device=META)
        self.reduction = nn.Linear(4 * dim, 2 * dim, bias=False, device=META)


class SwinBlockSequence(nn.Module):
    def __init__(self, dim, heads, depth, window, downsample):
        super().__init__()
        self.blocks = nn.ModuleList([SwinBlock(dim, heads, window) for _ in range(depth)])
        self.downsample = PatchMerging(dim) if downsample else None
        self.norm = nn.LayerNorm(dim, device=META)


class FeaturesOnlyPrithviSwin(nn.Module):
    """What TerraTorch's encoder holds: patch_embed and the flattened stages_N, no head."""

    def __init__(self, in_chans, embed_dim, depths, heads, window=7, patch=4):
        super().__init__()
        self.patch_embed = PatchEmbed(in_chans, embed_dim, patch)
        for i, (depth, h) in enumerate(zip(depths, heads)):
            self.add_module(f"stages_{i}", SwinBlockSequence(embed_dim * 2 ** i, h, depth, window, downsample=i < len(depths) - 1))


# --- Writing -----------------------------------------------------------------------------------------------------

MODELS = {
    "satlas_swin_t_sentinel2_si_ms": (
        "torchvision swin_v2_t as TerraTorch torchgeo_swin_satlas.py builds it (9 bands)",
        lambda: satlas(models.swin_v2_t, 96, 9)),
    "satlas_swin_b_sentinel2_si_ms": (
        "torchvision swin_v2_b as TerraTorch torchgeo_swin_satlas.py builds it (9 bands)",
        lambda: satlas(models.swin_v2_b, 128, 9)),
    "prithvi_swin_B": (
        "TerraTorch prithvi_swin_B (MMSegSwinTransformer, timm features_only, 6 bands), restated",
        lambda: FeaturesOnlyPrithviSwin(6, 128, (2, 2, 18, 2), (4, 8, 16, 32))),
    "prithvi_swin_L": (
        "TerraTorch prithvi_swin_L (MMSegSwinTransformer, timm features_only, 6 bands), restated",
        lambda: FeaturesOnlyPrithviSwin(6, 192, (2, 2, 18, 2), (6, 12, 24, 48))),
}


def main():
    out_dir = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "keys"))
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(0)
    for name, (description, build) in MODELS.items():
        model = build()
        state = model.state_dict()
        parameters = sum(p.numel() for p in model.parameters())
        path = os.path.join(out_dir, name + ".txt")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(f"# {description}; torchvision {torchvision.__version__} (torch {torch.__version__})\n")
            f.write(f"# {len(state)} state-dict entries; {parameters} parameters (sum of numel over parameters())\n")
            f.write("# Written by bench/tools/swin_family_keys.py; one 'key [shape]' line per entry, in state_dict() order.\n")
            for key, tensor in state.items():
                f.write(f"{key} [{','.join(str(d) for d in tensor.shape)}]\n")
        print(f"{path}: {len(state)} entries, {parameters:,} parameters")


if __name__ == "__main__":
    main()
