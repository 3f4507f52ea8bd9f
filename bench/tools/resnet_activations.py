#!/usr/bin/env python3
"""Measures what autograd saves for a torchvision ResNet's backward pass (fp32, batch 1, training mode), to check
ResNetBackbone.EstimateActivations. Counts each saved storage once, parameters and buffers excluded; runs the stem
and layer1..layer4 (the feature extractor, no pooling or fc).

    /usr/bin/python3 bench/tools/resnet_activations.py
"""
import torch
import torchvision


def saved_bytes(depth, size):
    model = getattr(torchvision.models, f"resnet{depth}")(weights=None).train()
    weights = {t.storage().data_ptr() for t in list(model.parameters()) + list(model.buffers())}
    saved = {}

    def pack(tensor):
        storage = tensor.storage()
        if storage.data_ptr() not in weights:
            saved[storage.data_ptr()] = max(saved.get(storage.data_ptr(), 0), storage.nbytes())
        return tensor

    x = torch.randn(1, 3, size, size)
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        features = model.maxpool(model.relu(model.bn1(model.conv1(x))))
        model.layer4(model.layer3(model.layer2(model.layer1(features))))
    return sum(saved.values())


if __name__ == "__main__":
    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}: saved activations per image, fp32")
    for depth in (18, 50, 101):
        for size in (224, 320):
            print(f"resnet{depth} @ {size}: {saved_bytes(depth, size) / 2**20:.2f} MiB")
