#!/usr/bin/env python3
"""Writes the parity fixture for GeoDsl's TorchTransformerEncoder (src/GeoDsl.Runtime/Backbones/Dofa/TorchTransformerEncoder.cs),
the restatement of torch.nn.TransformerEncoder over nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout=0,
activation="gelu", norm_first=False) that DOFA's and Clay's wavelength weight generators use on one unbatched sequence.

A seeded torch 1.13 encoder (d_model 8, 2 heads, feed-forward 16: small, same code path as the real 128/4/2048) is run on a
5-token sequence; its state dict (the keys the C# module must have), the input and the output are written as safetensors
to tests/GeoDsl.Runtime.Tests/Backbones/Dofa/Fixtures/torch_transformer_encoder_layer.safetensors. Debian has no safetensors
package, so the file is written by hand (8-byte little-endian header length, JSON header, raw little-endian float32 data).

Run: /usr/bin/python3 bench/tools/torch_encoder_layer_fixture.py   (from the repository root)
"""
import json
import os
import struct

import torch
from torch import nn

OUT = os.path.join("tests", "GeoDsl.Runtime.Tests", "Backbones", "Dofa", "Fixtures", "torch_transformer_encoder_layer.safetensors")


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, tensor in tensors.items():
        data = tensor.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"))
    text += " " * ((8 - len(text) % 8) % 8)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text.encode("utf-8"))
        for blob in blobs:
            f.write(blob)


def main():
    torch.manual_seed(1234)
    layer = nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16, dropout=0.0, activation="gelu", norm_first=False)
    encoder = nn.TransformerEncoder(layer, num_layers=1, enable_nested_tensor=False)
    with torch.no_grad():
        for p in encoder.parameters():  # move the zero biases and unit norms away from their trivial starts
            p.add_(0.1 * torch.randn_like(p))
    encoder.train()  # dropout is 0; the training path is the plain one (no fused fast path)
    sequence = torch.randn(5, 8)
    with torch.no_grad():
        output = encoder(sequence)
    tensors = dict(encoder.state_dict())
    tensors["input"] = sequence
    tensors["output"] = output
    write_safetensors(OUT, tensors)
    print(f"{OUT}: {len(tensors)} tensors, torch {torch.__version__}")


if __name__ == "__main__":
    main()
