#!/usr/bin/env python3
"""Writes bench/keys/<name>.txt for the wavelength-conditioned ViTs of the GeoDsl catalog (Clay v1 / v1.5, DOFA small,
base, large): the state-dict keys and shapes of each reference encoder at its published configuration, and whether each
entry is learnable (a Parameter that trains) or fixed (a buffer, or a Parameter with requires_grad=False).

Neither Clay, torchgeo, TerraTorch, timm nor vit-pytorch is installable here (Debian has torch 1.13 and torchvision 0.14
only), so each module tree is restated with torch 1.13 from the reference source, attribute for attribute, on the meta
device; only names, shapes and trainability are modelled, there is no forward pass. The weight generators use torch's
own nn.TransformerEncoderLayer/nn.TransformerEncoder (as both sources do), so their nested names and shapes
(self_attn.in_proj_weight, linear1, norm2, ...) come from PyTorch itself, not from this restatement.

Sources read:
  Clay-foundation/model @00e6f09b05934f464984cccc2cc87dedc19eb281
    claymodel/model.py   Encoder: cls_token Parameter [1, 1, dim]; patch_embedding = DynamicEmbedding(wave_dim=128,
        num_latent_tokens=128, patch_size, embed_dim=dim, is_decoder=False); transformer = Transformer(dim, depth, heads,
        dim_head, mlp_dim=int(dim * mlp_ratio)); clay_mae_base 768/12/12/64/4, clay_mae_large 1024/24/16/64/4
    claymodel/embedding.py  DynamicEmbedding: weight_generator = WavesTransformer(wave_dim, (patch**2) * embed_dim,
        num_latent_tokens, embed_dim, is_decoder) [encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(
        d_model=wave_dim, nhead=4, activation="gelu", dropout=0, norm_first=False, batch_first=True), 1); fc_weight
        Linear(wave_dim, output_dim); fc_bias Linear(wave_dim, embed_dim) (encoder side); weight_tokens Parameter
        [num_latent_tokens, wave_dim]; bias_token Parameter [1, wave_dim]]; fclayer = FCBlock(wave_dim) [l1, l2 Linear]
    claymodel/layers.py  Transformer: norm LayerNorm(dim); layers ModuleList of ModuleList([Attention, FeedForward]);
        Attention: norm LayerNorm, to_qkv Linear(dim, 3 * heads * dim_head, bias=False), to_out Linear(heads * dim_head,
        dim, bias=False); FeedForward: net = Sequential(LayerNorm, Linear(dim, hidden), GELU, Linear(hidden, dim))
    claymodel/module.py  ClayMAEModule.model = ClayMAE, so checkpoints hold the encoder under "model.encoder."
  IBM/terratorch @07d5f98bddc49015e4406b01af17d74dff70bf20
    terratorch/models/backbones/clay_v1/embedder.py  clay_v1_base: EmbeddingEncoder(img_size=256, patch_size=8, dim=768,
        depth=12, heads=12, dim_head=64, mlp_ratio=4.0) as Embedder.clay_encoder (keys here without that prefix)
    terratorch/models/backbones/clay_v1/modules.py  the same Encoder / DynamicEmbedding / WavesTransformer names;
        its Transformer is vit_pytorch.simple_vit.Transformer (current versions have the final norm, as Clay's copy)
  microsoft/torchgeo @eeaeaa44e782f4cd6eab672d7dc39706054a96bb
    torchgeo/models/dofa.py  DOFA: cls_token Parameter [1, 1, D]; pos_embed Parameter [1, 1 + (224/16)**2, D]
        requires_grad=False; patch_embed = DOFAEmbedding(dynamic_embed_dim=128, kernel_size=16, embed_dim=D)
        [weight_generator = TransformerWeightGenerator(128, 16*16*D, D): transformer_encoder = nn.TransformerEncoder(
        nn.TransformerEncoderLayer(d_model=128, nhead=4, activation="gelu", norm_first=False, batch_first=False,
        dropout=False), num_layers=1, enable_nested_tensor=False); fc_weight; fc_bias; weight_tokens [128, 128];
        bias_token [1, 128]; fclayer = FCResLayer(128) (w1, w2)]; blocks = ModuleList of timm Block(D, heads, 4,
        qkv_bias=True, norm_layer=LayerNorm(eps=1e-6)); dofa_small 384/12/6, dofa_base 768/12/12, dofa_large 1024/24/16.
        Its classifier fc_norm and head (num_classes=45) are not part of the encoder: the published weights lack them
        (torchgeo allows exactly those as missing) and TerraTorch's DOFAEncoderWrapper never calls them.
  IBM/terratorch terratorch/models/backbones/dofa_vit.py @24465eaf29fa0a14cb6ac1f996f36038fe958ac2
    dofa_{small,base,large}_patch16_224 build torchgeo's models and wrap them as DOFAEncoderWrapper.dofa_model
  zhu-xlab/DOFA dofa_v1.py @3c33a2406bf4ef69a726aefa5b2d83d9d92e2314 (vit_small/base/large_patch16, same names) and
    wave_dynamic_layer.py @1550cbe314a79ec9f131f90ace728706a2f1127f (Dynamic_MLP_OFA, TransformerWeightGenerator, FCResLayer)
  timm Block (norm1, attn.qkv, attn.proj, norm2, mlp.fc1, mlp.fc2), as src/GeoDsl.Runtime/Backbones/TimmBlock.cs records it

Run: /usr/bin/python3 bench/tools/dynamic_vit_keys.py   (from the repository root)
"""
import os

import torch
from torch import nn

META = torch.device("meta")


def param(*shape, learnable=True):
    return nn.Parameter(torch.empty(*shape, device=META), requires_grad=learnable)


def torch_encoder(model_dim):
    """One nn.TransformerEncoderLayer(d_model, nhead=4, gelu, dropout 0) in an nn.TransformerEncoder, as both sources build it."""
    layer = nn.TransformerEncoderLayer(d_model=model_dim, nhead=4, activation="gelu", dropout=0.0, norm_first=False, device=META)
    return nn.TransformerEncoder(layer, num_layers=1, enable_nested_tensor=False)


# ---- Clay ----------------------------------------------------------------------------------------------------------

class ClayFCBlock(nn.Module):
    def __init__(self, size):
        super().__init__()
        self.l1 = nn.Linear(size, size, device=META)
        self.l2 = nn.Linear(size, size, device=META)


class ClayWavesTransformer(nn.Module):
    def __init__(self, wave_dim, output_dim, num_latent_tokens, embed_dim):
        super().__init__()
        self.encoder = torch_encoder(wave_dim)
        self.fc_weight = nn.Linear(wave_dim, output_dim, device=META)
        self.fc_bias = nn.Linear(wave_dim, embed_dim, device=META)
        self.weight_tokens = param(num_latent_tokens, wave_dim)
        self.bias_token = param(1, wave_dim)


class ClayDynamicEmbedding(nn.Module):
    def __init__(self, patch_size, embed_dim, wave_dim=128, num_latent_tokens=128):
        super().__init__()
        self.weight_generator = ClayWavesTransformer(wave_dim, patch_size ** 2 * embed_dim, num_latent_tokens, embed_dim)
        self.fclayer = ClayFCBlock(wave_dim)


class ClayAttention(nn.Module):
    def __init__(self, dim, heads, dim_head):
        super().__init__()
        inner = heads * dim_head
        self.norm = nn.LayerNorm(dim, device=META)
        self.to_qkv = nn.Linear(dim, inner * 3, bias=False, device=META)
        self.to_out = nn.Linear(inner, dim, bias=False, device=META)


class ClayFeedForward(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.net = nn.Sequential(nn.LayerNorm(dim, device=META), nn.Linear(dim, hidden, device=META), nn.GELU(),
                                 nn.Linear(hidden, dim, device=META))


class ClayTransformer(nn.Module):
    def __init__(self, dim, depth, heads, dim_head, mlp_dim):
        super().__init__()
        self.norm = nn.LayerNorm(dim, device=META)
        self.layers = nn.ModuleList([nn.ModuleList([ClayAttention(dim, heads, dim_head), ClayFeedForward(dim, mlp_dim)])
                                     for _ in range(depth)])


class ClayEncoder(nn.Module):
    def __init__(self, dim, depth, heads, dim_head=64, mlp_ratio=4, patch_size=8):
        super().__init__()
        self.cls_token = param(1, 1, dim)
        self.patch_embedding = ClayDynamicEmbedding(patch_size, dim)
        self.transformer = ClayTransformer(dim, depth, heads, dim_head, int(dim * mlp_ratio))


# ---- DOFA ----------------------------------------------------------------------------------------------------------

class DofaFCResLayer(nn.Module):
    def __init__(self, size=128):
        super().__init__()
        self.w1 = nn.Linear(size, size, device=META)
        self.w2 = nn.Linear(size, size, device=META)


class DofaWeightGenerator(nn.Module):
    def __init__(self, input_dim, output_dim, embed_dim):
        super().__init__()
        self.transformer_encoder = torch_encoder(input_dim)
        self.fc_weight = nn.Linear(input_dim, output_dim, device=META)
        self.fc_bias = nn.Linear(input_dim, embed_dim, device=META)
        self.weight_tokens = param(128, input_dim)
        self.bias_token = param(1, input_dim)


class DofaEmbedding(nn.Module):
    def __init__(self, embed_dim, kernel_size=16, dynamic_embed_dim=128):
        super().__init__()
        self.weight_generator = DofaWeightGenerator(dynamic_embed_dim, kernel_size * kernel_size * embed_dim, embed_dim)
        self.fclayer = DofaFCResLayer(dynamic_embed_dim)


class TimmAttention(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.qkv = nn.Linear(dim, 3 * dim, bias=True, device=META)
        self.proj = nn.Linear(dim, dim, device=META)


class TimmMlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden, device=META)
        self.fc2 = nn.Linear(hidden, dim, device=META)


class TimmBlock(nn.Module):
    def __init__(self, dim, mlp_ratio=4):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6, device=META)
        self.attn = TimmAttention(dim)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6, device=META)
        self.mlp = TimmMlp(dim, int(dim * mlp_ratio))


class DofaEncoder(nn.Module):
    def __init__(self, dim, depth, img_size=224, patch_size=16):
        super().__init__()
        self.patch_embed = DofaEmbedding(dim, kernel_size=16)
        self.cls_token = param(1, 1, dim)
        self.pos_embed = param(1, (img_size // patch_size) ** 2 + 1, dim, learnable=False)
        self.blocks = nn.ModuleList([TimmBlock(dim) for _ in range(depth)])


MODELS = {
    "clay_v1_base": (lambda: ClayEncoder(768, 12, 12),
                     "Clay clay_mae_base encoder = TerraTorch clay_v1_base EmbeddingEncoder (768/12/12, dim_head 64, patch 8)"),
    "clay_v1_5_large": (lambda: ClayEncoder(1024, 24, 16),
                        "Clay clay_mae_large encoder (v1.5: 1024/24/16, dim_head 64, patch 8)"),
    "dofa_small_patch16_224": (lambda: DofaEncoder(384, 12), "torchgeo dofa_small_patch16_224 encoder (384/12/6)"),
    "dofa_base_patch16_224": (lambda: DofaEncoder(768, 12), "torchgeo dofa_base_patch16_224 encoder (768/12/12)"),
    "dofa_large_patch16_224": (lambda: DofaEncoder(1024, 24), "torchgeo dofa_large_patch16_224 encoder (1024/24/16)"),
}


def main():
    out_dir = os.path.join("bench", "keys")
    os.makedirs(out_dir, exist_ok=True)
    for name, (build, description) in MODELS.items():
        model = build()
        learnable = {n for n, p in model.named_parameters() if p.requires_grad}
        count = sum(p.numel() for p in model.parameters() if p.requires_grad)
        lines = [
            f"# {name}: {description}",
            "# written by bench/tools/dynamic_vit_keys.py (torch " + torch.__version__ + ") from the reference source; see its header for files and commits",
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
