#!/usr/bin/env python3
"""Writes bench/keys/<name>.txt for the MAE-family backbones of the GeoDsl catalog (SatMAE, Scale-MAE, SSL4EO ViT-S/16):
the state-dict keys and shapes of each reference encoder at its published configuration, and whether each entry is
learnable (an nn.Parameter that trains) or fixed (a buffer, or a Parameter with requires_grad=False).

Neither SatMAE, Scale-MAE, TerraTorch nor timm can be installed here (Debian has torch 1.13 and torchvision 0.14 only,
no timm), so each module tree is restated with torch 1.13 from the reference source, attribute for attribute, and its
state_dict() listed on the meta device. Only names, shapes and trainability are modelled; there is no forward pass.
Sources read:
  sustainlab-group/SatMAE @b182634c4455a847676213f69e53f5ea3abad821
    models_vit_group_channels.py  GroupChannelsVisionTransformer(timm 0.3.2 VisionTransformer): patch_embed =
        ModuleList of PatchEmbed(len(group)) per channel group; pos_embed Parameter [1, 1+L, D-channel_embed];
        channel_embed Parameter [1, G, channel_embed]; channel_cls_embed Parameter [1, 1, channel_embed];
        cls_token, blocks, norm (global_pool=False keeps norm; the head is not part of the encoder)
    models_vit_temporal.py  VisionTransformer: timm ViT + pos_embed Parameter [1, 1+L, D-384]
    main_finetune.py  model construction (img_size, patch_size, in_chans, channel_groups); timm == 0.3.2
    README.md  fMoW-Sentinel: --input_size 96 --patch_size 8 --dropped_bands 0 9 10 (10 channels);
        fMoW-temporal: 224 px, patch 16, RGB
  IBM/terratorch terratorch/models/backbones/scalemae.py @24465eaf29fa0a14cb6ac1f996f36038fe958ac2
    VisionTransformer(timm VisionTransformer): super().__init__ without img_size/patch_size (timm defaults 224/16, so
    pos_embed is [1, 197, D] for every size), patch_embed replaced by PatchEmbedUnSafe(patch_size, in_chans);
    fc_norm, head_drop and head deleted; create_model sets pos_embed.requires_grad = False
  IBM/terratorch terratorch/models/backbones/torchgeo_vit.py @dceebf0f019f216e1e42fa839c9c11e35935fb4e and
  microsoft/torchgeo torchgeo/models/vit.py @0402db0bf4cb728146dd6c37f3c4e0959c47a1ac
    timm.create_model('vit_small_patch16_224', in_chans=len(bands)); the published weights carry no head, so the
    encoder is listed with num_classes=0 (timm's head is then an Identity)
  huggingface/pytorch-image-models timm/models/vision_transformer.py @0041cb7ba4ab3b8b3bce5bf105300f0ee57ffc22
    VisionTransformer: cls_token, pos_embed (learned), patch_embed.proj (Conv2d with bias), blocks (Block: norm1,
    attn.qkv, attn.proj, norm2, mlp.fc1, mlp.fc2; ls/q_norm/k_norm/drop_path are Identity by default), norm;
    no fc_norm for global_pool='token'

Run: /usr/bin/python3 bench/tools/mae_family_keys.py   (from the repository root)
"""
import os

import torch
from torch import nn

META = torch.device("meta")


class PatchEmbed(nn.Module):
    def __init__(self, in_chans, dim, patch):
        super().__init__()
        self.proj = nn.Conv2d(in_chans, dim, patch, stride=patch, bias=True, device=META)


class Attention(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.qkv = nn.Linear(dim, 3 * dim, bias=True, device=META)
        self.proj = nn.Linear(dim, dim, bias=True, device=META)


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden, device=META)
        self.fc2 = nn.Linear(hidden, dim, device=META)


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6, device=META)
        self.attn = Attention(dim)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6, device=META)
        self.mlp = Mlp(dim, 4 * dim)


def param(*shape, learnable=True):
    return nn.Parameter(torch.empty(*shape, device=META), requires_grad=learnable)


class TimmViT(nn.Module):
    """timm's VisionTransformer encoder part, as the subclasses below start from."""

    def __init__(self, in_chans, dim, depth, patch, img, pos_width=None, pos_learnable=True):
        super().__init__()
        tokens = 1 + (img // patch) ** 2
        self.cls_token = param(1, 1, dim)
        self.pos_embed = param(1, tokens, pos_width or dim, learnable=pos_learnable)
        self.patch_embed = PatchEmbed(in_chans, dim, patch)
        self.blocks = nn.Sequential(*[Block(dim) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6, device=META)


class SatMaeGroupChannels(TimmViT):
    def __init__(self, dim, depth, img=96, patch=8, groups=((0, 1, 2, 6), (3, 4, 5, 7), (8, 9)), channel_embed=256):
        super().__init__(10, dim, depth, patch, img, pos_width=dim - channel_embed)
        self.patch_embed = nn.ModuleList([PatchEmbed(len(g), dim, patch) for g in groups])
        self.channel_embed = param(1, len(groups), channel_embed)
        self.channel_cls_embed = param(1, 1, channel_embed)


class SatMaeTemporal(TimmViT):
    def __init__(self, dim, depth, img=224, patch=16):
        super().__init__(3, dim, depth, patch, img, pos_width=dim - 384)


class ScaleMae(TimmViT):
    def __init__(self, dim, depth, patch):
        super().__init__(3, dim, depth, 16, 224, pos_learnable=False)  # timm defaults: 224 px, patch 16 -> 197 rows
        self.patch_embed = PatchEmbed(3, dim, patch)


SSL4EO_CHANNELS = {"landsat_tm_toa": 7, "landsat_etm_toa": 9, "landsat_etm_sr": 6, "landsat_oli_tirs_toa": 11,
                   "landsat_oli_sr": 7, "sentinel2_all": 13}
SSL4EO = [
    "ssl4eol_vit_small_patch16_224_landsat_tm_toa_moco", "ssl4eol_vit_small_patch16_224_landsat_tm_toa_simclr",
    "ssl4eol_vit_small_patch16_224_landsat_etm_toa_moco", "ssl4eol_vit_small_patch16_224_landsat_etm_toa_simclr",
    "ssl4eol_vit_small_patch16_224_landsat_etm_sr_moco", "ssl4eol_vit_small_patch16_224_landsat_etm_sr_simclr",
    "ssl4eol_vit_small_patch16_224_landsat_oli_tirs_toa_simclr", "ssl4eol_vit_small_patch16_224_landsat_oli_sr_moco",
    "ssl4eol_vit_small_patch16_224_landsat_oli_sr_simclr", "ssl4eos12_vit_small_patch16_224_sentinel2_all_dino",
    "ssl4eos12_vit_small_patch16_224_sentinel2_all_moco",
]


def ssl4eo_channels(name):
    sensor = name.split("patch16_224_")[1].rsplit("_", 1)[0]
    return SSL4EO_CHANNELS[sensor]


MODELS = {
    "satmae_vit_base_multispectral": (lambda: SatMaeGroupChannels(768, 12),
        "SatMAE models_vit_group_channels.vit_base_patch16(img_size=96, patch_size=8, in_chans=10), default channel_groups"),
    "satmae_vit_large_multispectral": (lambda: SatMaeGroupChannels(1024, 24),
        "SatMAE models_vit_group_channels.vit_large_patch16(img_size=96, patch_size=8, in_chans=10), default channel_groups"),
    "satmae_vit_large_temporal": (lambda: SatMaeTemporal(1024, 24),
        "SatMAE models_vit_temporal.vit_large_patch16() (img_size 224, patch 16, in_chans 3)"),
    "scalemae_vit_base_patch16": (lambda: ScaleMae(768, 12, 16), "TerraTorch scalemae vit_base_patch16(in_chans=3)"),
    "scalemae_vit_large_patch16": (lambda: ScaleMae(1024, 24, 16), "TerraTorch scalemae vit_large_patch16(in_chans=3)"),
    "scalemae_vit_huge_patch14": (lambda: ScaleMae(1280, 32, 14), "TerraTorch scalemae vit_huge_patch14(in_chans=3)"),
}
for _name in SSL4EO:
    MODELS[_name] = ((lambda c: lambda: TimmViT(c, 384, 12, 16, 224))(ssl4eo_channels(_name)),
                     f"timm vit_small_patch16_224(in_chans={ssl4eo_channels(_name)}, num_classes=0)")


def main():
    out_dir = os.path.join("bench", "keys")
    os.makedirs(out_dir, exist_ok=True)
    for name, (build, description) in MODELS.items():
        model = build()
        learnable = {n for n, p in model.named_parameters() if p.requires_grad}
        count = sum(p.numel() for p in model.parameters() if p.requires_grad)
        lines = [
            f"# {name}: {description}",
            "# written by bench/tools/mae_family_keys.py from the reference source (see its header for files and commits)",
            f"# learnable parameters: {count}",
            "# key<TAB>shape<TAB>learnable|fixed",
        ]
        for key, tensor in model.state_dict().items():
            kind = "learnable" if key in learnable else "fixed"
            lines.append(f"{key}\t[{', '.join(str(d) for d in tensor.shape)}]\t{kind}")
        with open(os.path.join(out_dir, name + ".txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        print(f"{name}: {len(lines) - 4} entries, {count} learnable parameters")


if __name__ == "__main__":
    main()
