#!/usr/bin/env python3
"""PyTorch side of issue 9 §3: the same two architectures as bench/GeoDsl.Bench.Runtime, written here in plain PyTorch
(1.13, Debian's python3-torch), timed the same way: forward + cross-entropy + backward + AdamW, warm-up steps, then the
median of N steps. Also counts forward FLOPs (2 per multiply-add of every Conv/ConvTranspose/Linear and of attention's
two matrix products; norms, activations, pooling and resizes are left out) and the fp32 matmul rate, for report.py.

    pytorch_step.py --model prithvi|resnet --threads N --batch B --warmup W --steps S --expect-parameters P --out FILE
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision


# ---- Prithvi-EO-2.0-300M as GeoDsl's PrithviViT builds it (timm blocks, 3-D patch embedding, fixed sin-cos table) ----

def sincos_1d(dim, positions):
    omega = 1.0 / 10000 ** (torch.arange(dim // 2, dtype=torch.float64) / (dim / 2.0))
    out = positions.reshape(-1).double()[:, None] * omega[None, :]
    return torch.cat([torch.sin(out), torch.cos(out)], dim=1)


def sincos_3d_with_cls(dim, frames, rows, cols):
    # The values do not matter for speed; the shape and that it is a buffer (not a parameter) do.
    t, h, w = torch.meshgrid(torch.arange(frames), torch.arange(rows), torch.arange(cols), indexing="ij")
    w_dim = dim // 16 * 6
    h_dim = dim // 16 * 6
    t_dim = dim - w_dim - h_dim
    table = torch.cat([sincos_1d(w_dim, w), sincos_1d(h_dim, h), sincos_1d(t_dim, t)], dim=1).float()
    return torch.cat([torch.zeros(1, dim), table], dim=0)[None]


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=True)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, c = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4).unbind(0)
        # PyTorch 1.13 has no scaled_dot_product_attention: timm's explicit form.
        attn = (q @ k.transpose(-2, -1)) * (c // self.heads) ** -0.5
        out = attn.softmax(dim=-1) @ v
        self.flops = 2 * 2 * b * self.heads * n * n * (c // self.heads)
        return self.proj(out.transpose(1, 2).reshape(b, n, c))


class Block(nn.Module):
    def __init__(self, dim, heads, mlp_ratio=4.0):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-5)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-5)
        hidden = int(dim * mlp_ratio)
        self.mlp = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class PrithviViT(nn.Module):
    def __init__(self, in_chans=6, dim=1024, depth=24, heads=16, patch=16, size=224):
        super().__init__()
        self.patch = patch
        self.proj = nn.Conv3d(in_chans, dim, (1, patch, patch), stride=(1, patch, patch))
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim).normal_(std=0.02))
        self.register_buffer("pos_embed", sincos_3d_with_cls(dim, 1, size // patch, size // patch))
        self.blocks = nn.ModuleList(Block(dim, heads) for _ in range(depth))
        self.norm = nn.LayerNorm(dim, eps=1e-5)

    def forward(self, pixels):
        x = self.proj(pixels.unsqueeze(2)).flatten(2).transpose(1, 2)
        x = x + self.pos_embed[:, 1:]
        cls = (self.cls_token + self.pos_embed[:, :1]).expand(x.shape[0], -1, -1)
        x = torch.cat([cls, x], dim=1)
        outputs = []
        for i, block in enumerate(self.blocks):
            x = block(x)
            if i == len(self.blocks) - 1:
                x = self.norm(x)
            outputs.append(x)
        return outputs


class LearnedInterpolateToPyramidal(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.fpn1 = nn.Sequential(nn.ConvTranspose2d(c[0], c[0] // 2, 2, 2), nn.BatchNorm2d(c[0] // 2), nn.GELU(),
                                  nn.ConvTranspose2d(c[0] // 2, c[0] // 4, 2, 2))
        self.fpn2 = nn.Sequential(nn.ConvTranspose2d(c[1], c[1] // 2, 2, 2))
        self.fpn3 = nn.Identity()
        self.fpn4 = nn.MaxPool2d(2, 2)

    def forward(self, maps):
        return [self.fpn1(maps[0]), self.fpn2(maps[1]), self.fpn3(maps[2]), self.fpn4(maps[3])]


def conv_bn_relu(cin, cout, bias):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=bias), nn.BatchNorm2d(cout), nn.ReLU())


class UNetDecoder(nn.Module):
    """segmentation_models_pytorch 0.4's UnetDecoder as GeoDsl's UNetDecoder (smp04 flavour) wires it."""

    def __init__(self, embed, channels):
        super().__init__()
        n = len(embed)
        shapes = [(embed[n - 1] if i == 0 else channels[i - 1], embed[n - 2 - i] if i < n - 1 else 0, channels[i]) for i in range(n)]
        self.blocks = nn.ModuleList(nn.ModuleList([conv_bn_relu(i + s, o, False), conv_bn_relu(o, o, False)]) for i, s, o in shapes)

    def forward(self, maps):
        n = len(maps)
        x = maps[-1]
        for i, (conv1, conv2) in enumerate(self.blocks):
            x = F.interpolate(x, scale_factor=2, mode="nearest")
            if i < n - 1:
                x = torch.cat([x, maps[n - 2 - i]], dim=1)
            x = conv2(conv1(x))
        return x


class PrithviUNet(nn.Module):
    def __init__(self, size):
        super().__init__()
        self.encoder = PrithviViT(size=size)
        self.neck = LearnedInterpolateToPyramidal([1024] * 4)
        self.decoder = UNetDecoder([256, 512, 1024, 1024], [512, 256, 128, 64])
        self.head = nn.Conv2d(64, 2, 1)

    def forward(self, pixels):
        # One encoder pass, four of its blocks' outputs (GeoDsl's select_indices [5, 11, 17, 23]).
        blocks = self.encoder(pixels)
        tokens = [blocks[i] for i in (5, 11, 17, 23)]
        side = int(math.isqrt(tokens[0].shape[1] - 1))
        maps = [t[:, 1:].reshape(t.shape[0], side, side, -1).permute(0, 3, 1, 2).contiguous() for t in tokens]
        logits = self.head(self.decoder(self.neck(maps)))
        return F.interpolate(logits, size=pixels.shape[-2:], mode="bilinear", align_corners=False)


# ---- ResNet-50 (torchvision) + UperNet as GeoDsl's UperNetDecoder ----

def conv_module(cin, cout, k, padding=0):
    return nn.Sequential(nn.Conv2d(cin, cout, k, padding=padding, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class UperNet(nn.Module):
    def __init__(self, embed, channels=256, scales=(1, 2, 3, 6)):
        super().__init__()
        last = embed[-1]
        self.psp = nn.ModuleList(nn.Sequential(nn.AdaptiveAvgPool2d(s), conv_module(last, channels, 1)) for s in scales)
        self.bottleneck = conv_module(last + len(scales) * channels, channels, 3, 1)
        self.laterals = nn.ModuleList(conv_module(c, channels, 1) for c in embed[:-1])
        self.fpns = nn.ModuleList(conv_module(channels, channels, 3, 1) for _ in embed[:-1])
        self.fuse = conv_module(len(embed) * channels, channels, 3, 1)

    @staticmethod
    def resize(x, like):
        return F.interpolate(x, size=like.shape[-2:], mode="bilinear", align_corners=True)

    def forward(self, maps):
        x = maps[-1]
        psp = self.bottleneck(torch.cat([x] + [self.resize(stage(x), x) for stage in self.psp], dim=1))
        laterals = [conv(m) for conv, m in zip(self.laterals, maps)] + [psp]
        for i in range(len(laterals) - 1, 0, -1):
            laterals[i - 1] = laterals[i - 1] + self.resize(laterals[i], laterals[i - 1])
        outs = [conv(l) for conv, l in zip(self.fpns, laterals)] + [laterals[-1]]
        outs = [outs[0]] + [self.resize(o, outs[0]) for o in outs[1:]]
        return self.fuse(torch.cat(outs, dim=1))


class ResNet50UperNet(nn.Module):
    def __init__(self):
        super().__init__()
        r = torchvision.models.resnet50()
        self.stem = nn.Sequential(r.conv1, r.bn1, r.relu, r.maxpool)
        self.layers = nn.ModuleList([r.layer1, r.layer2, r.layer3, r.layer4])
        self.decoder = UperNet([256, 512, 1024, 2048])
        self.head = nn.Conv2d(256, 2, 1)

    def forward(self, pixels):
        x = self.stem(pixels)
        maps = []
        for layer in self.layers:
            x = layer(x)
            maps.append(x)
        logits = self.head(self.decoder(maps))
        return F.interpolate(logits, size=pixels.shape[-2:], mode="bilinear", align_corners=False)


# ---- measurement ----

def forward_flops(model, pixels):
    """Forward FLOPs from the layers' shapes, counted on one eval-free forward pass with hooks."""
    total = 0

    def hook(module, inputs, output):
        nonlocal total
        if isinstance(module, (nn.Conv2d, nn.Conv3d)):
            per_output = module.in_channels // module.groups * math.prod(module.kernel_size)
            total += 2 * output.numel() * per_output
        elif isinstance(module, nn.ConvTranspose2d):
            total += 2 * inputs[0].numel() * module.out_channels // module.groups * math.prod(module.kernel_size)
        elif isinstance(module, nn.Linear):
            total += 2 * output.numel() * module.in_features
        elif isinstance(module, Attention):
            total += module.flops

    handles = [m.register_forward_hook(hook) for m in model.modules()]
    with torch.no_grad():
        model(pixels)
    for h in handles:
        h.remove()
    return total


def matmul_flops_per_second(n=2048, repeats=7):
    a, b = torch.randn(n, n), torch.randn(n, n)
    times = []
    for i in range(repeats + 2):
        start = time.perf_counter()
        torch.mm(a, b)
        if i >= 2:
            times.append(time.perf_counter() - start)
    return 2.0 * n ** 3 / statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", choices=["prithvi", "resnet"], required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--expect-parameters", type=int, required=True, help="GeoDsl's count for the same architecture")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    peak_before = matmul_flops_per_second()
    torch.manual_seed(0)
    size, channels = (224, 6) if args.model == "prithvi" else (256, 3)
    model = PrithviUNet(size) if args.model == "prithvi" else ResNet50UperNet()
    parameters = sum(p.numel() for p in model.parameters())
    if parameters != args.expect_parameters:
        raise SystemExit(f"{args.model}: the PyTorch model has {parameters:,} parameters but GeoDsl's {args.expect_parameters:,}; "
                         "the architectures differ, so the timings would not compare.")

    torch.manual_seed(1)
    pixels = torch.randn(args.batch, channels, size, size)
    labels = torch.randint(0, 2, (args.batch, size, size))
    flops = forward_flops(model, pixels)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.05)
    times = []
    for step in range(args.warmup + args.steps):
        start = time.perf_counter()
        optimizer.zero_grad()
        loss = F.cross_entropy(model(pixels), labels)
        loss.backward()
        optimizer.step()
        if step >= args.warmup:
            times.append(time.perf_counter() - start)
    peak_after = matmul_flops_per_second()
    print(f"{args.model} pytorch: median {statistics.median(times):.3f} s/step over {len(times)} steps ({parameters:,} parameters)")
    with open(args.out, "w") as f:
        json.dump({"runtime": f"PyTorch {torch.__version__}", "model": args.model, "imageSize": size, "batch": args.batch,
                   "threads": torch.get_num_threads(), "warmup": args.warmup, "forwardFlops": flops,
                   "matmulFlopsPerSecond": [peak_before, peak_after],
                   "variants": [{"Variant": "pytorch", "Parameters": parameters, "Seconds": times,
                                 "MedianSeconds": statistics.median(times)}]}, f, indent=2)


if __name__ == "__main__":
    main()
