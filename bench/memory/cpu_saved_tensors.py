"""What autograd keeps for mmsegmentation's UPerNet R-50/R-101 (with the FCN auxiliary head and cross-entropy), measured on
the CPU with PyTorch's saved-tensor hooks, per part of the model, and the peak resident memory of one training step.

No GPU was lent to the memory task, so this checks GeoDsl's per-block activation rules against what PyTorch itself saves
(the same on CPU and GPU: autograd decides what to keep), not against cuDNN workspaces or the caching allocator.

Run with Debian's PyTorch 1.13 (/usr/bin/python3); MALLOC_MMAP_THRESHOLD_ makes every large tensor its own mapping, so the
peak resident size follows the live tensors:
    MALLOC_MMAP_THRESHOLD_=65536 /usr/bin/python3 bench/memory/cpu_saved_tensors.py > bench/memory/cpu_saved_tensors.txt

The UPerHead and FCNHead below follow mmseg's decode_heads/uper_head.py and fcn_head.py (structure only, written here).
"""
import resource
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision


def conv_module(cin, cout, k):
    return nn.Sequential(nn.Conv2d(cin, cout, k, padding=k // 2, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class UPerHead(nn.Module):
    def __init__(self, in_channels=(256, 512, 1024, 2048), channels=512, pool_scales=(1, 2, 3, 6), classes=150):
        super().__init__()
        self.ppm = nn.ModuleList(nn.Sequential(nn.AdaptiveAvgPool2d(s), conv_module(in_channels[-1], channels, 1)) for s in pool_scales)
        self.bottleneck = conv_module(in_channels[-1] + len(pool_scales) * channels, channels, 3)
        self.lateral = nn.ModuleList(conv_module(c, channels, 1) for c in in_channels[:-1])
        self.fpn = nn.ModuleList(conv_module(channels, channels, 3) for _ in in_channels[:-1])
        self.fpn_bottleneck = conv_module(len(in_channels) * channels, channels, 3)
        self.dropout = nn.Dropout2d(0.1)
        self.conv_seg = nn.Conv2d(channels, classes, 1)

    def forward(self, inputs):
        x = inputs[-1]
        psp = [x] + [F.interpolate(p(x), size=x.shape[2:], mode="bilinear", align_corners=False) for p in self.ppm]
        laterals = [l(inputs[i]) for i, l in enumerate(self.lateral)]
        laterals.append(self.bottleneck(torch.cat(psp, 1)))
        for i in range(len(laterals) - 1, 0, -1):
            laterals[i - 1] = laterals[i - 1] + F.interpolate(laterals[i], size=laterals[i - 1].shape[2:], mode="bilinear", align_corners=False)
        outs = [self.fpn[i](laterals[i]) for i in range(len(laterals) - 1)] + [laterals[-1]]
        outs = [outs[0]] + [F.interpolate(o, size=outs[0].shape[2:], mode="bilinear", align_corners=False) for o in outs[1:]]
        return self.conv_seg(self.dropout(self.fpn_bottleneck(torch.cat(outs, 1))))


class FCNHead(nn.Module):
    def __init__(self, cin=1024, channels=256, classes=150):
        super().__init__()
        self.conv = conv_module(cin, channels, 3)
        self.dropout = nn.Dropout2d(0.1)
        self.conv_seg = nn.Conv2d(channels, classes, 1)

    def forward(self, inputs):
        return self.conv_seg(self.dropout(self.conv(inputs[2])))


class Backbone(nn.Module):
    def __init__(self, depth):
        super().__init__()
        r = getattr(torchvision.models, f"resnet{depth}")()
        self.stem = nn.Sequential(r.conv1, r.bn1, r.relu, r.maxpool)
        self.layers = nn.ModuleList([r.layer1, r.layer2, r.layer3, r.layer4])

    def forward(self, x):
        x = self.stem(x)
        outs = []
        for layer in self.layers:
            x = layer(x)
            outs.append(x)
        return outs


class Saved:
    """Counts the bytes autograd saves, each storage once, parameters left out, attributed to the current part."""

    def __init__(self, params):
        self.params = {p.data_ptr() for p in params}
        self.seen = set()
        self.part = "input"
        self.bytes = {}

    def pack(self, t):
        ptr = t.storage().data_ptr()
        if ptr not in self.params and ptr not in self.seen:
            self.seen.add(ptr)
            self.bytes[self.part] = self.bytes.get(self.part, 0) + t.storage().nbytes()
        return t


def main():
    depth, classes, batch, height, width = (int(a) for a in sys.argv[1:6]) if len(sys.argv) > 5 else (50, 150, 1, 512, 512)
    torch.manual_seed(0)
    backbone, head, aux = Backbone(depth), UPerHead(classes=classes), FCNHead(classes=classes)
    params = list(backbone.parameters()) + list(head.parameters()) + list(aux.parameters())
    x = torch.randn(batch, 3, height, width)
    y = torch.randint(0, classes, (batch, height, width))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    saved = Saved(params)
    with torch.autograd.graph.saved_tensors_hooks(saved.pack, lambda t: t):
        saved.part = "backbone"
        feats = backbone(x)
        saved.part = "uper_head"
        logits = head(feats)
        saved.part = "fcn_aux_head"
        aux_logits = aux(feats)
        saved.part = "losses"
        loss = F.cross_entropy(F.interpolate(logits, size=(height, width), mode="bilinear", align_corners=False), y) \
            + 0.4 * F.cross_entropy(F.interpolate(aux_logits, size=(height, width), mode="bilinear", align_corners=False), y)
    loss.backward()
    peak_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    mib = lambda b: b / 2**20
    print(f"resnet{depth} UPerNet+FCN aux, {classes} classes, batch {batch}, {height}x{width}, fp32, torch {torch.__version__}")
    print(f"  parameters {sum(p.numel() for p in params):,}")
    for part, b in saved.bytes.items():
        print(f"  saved by {part:<13} {mib(b):9.1f} MiB")
    print(f"  saved in all       {mib(sum(saved.bytes.values())):9.1f} MiB")
    print(f"  peak resident growth of the step (saved + transient + gradients) {peak_mib:9.1f} MiB")


if __name__ == "__main__":
    main()
