#!/usr/bin/env python3
"""Turns bench/runtime/run.sh's JSON files into bench/runtime/RESULTS.md: medians, ratios and FLOP/s fractions.

    report.py WORK_FOLDER OUTPUT.md "COMMAND"
"""
import datetime
import glob
import json
import os
import statistics
import subprocess
import sys

TITLES = {"prithvi": "Prithvi-EO-2.0-300M (ViT-L/16) + UNet, 224 px", "resnet": "ResNet-50 + UperNet, 256 px"}


def cpu_model():
    for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
        if line.startswith("Model name:"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def main(work, output, command):
    runs = [json.load(open(p)) | {"load": [line.split("load average:")[1] for line in open(p[:-5] + ".load") if "load average:" in line]}
            for p in sorted(glob.glob(os.path.join(work, "*.json")))]
    lines = ["# Runtime training step (issue 9 §3)", "",
             f"Reproduce: `{command}` (writes this file).", "",
             f"Machine: {cpu_model()}, {os.cpu_count()} cores, shared with other builds (load averages below); "
             f"{datetime.date.today().isoformat()}. Each .NET process times the generated model and the hand composition "
             "step by step in turn (A, B, B, A, …), so the machine's other load falls on both alike; the PyTorch process "
             "runs right after it with the same threads, batch, seeds, warm-up and step counts.", "",
             "A step is forward + cross-entropy + backward + AdamW (lr 1e-4, weight decay 0.05) on random inputs. "
             "Training FLOPs per step are estimated as 3 × the forward FLOPs of the batch, which pytorch_step.py counts from the layers' "
             "shapes (2 per multiply-add of every convolution, transposed convolution, linear layer and of attention's two "
             "matrix products; norms, activations, pooling and resizes left out). Peak = the median rate of a 2048×2048 "
             "fp32 `mm` through the same libtorch, measured at the start and end of each process (the higher is used).", ""]
    for model in ("resnet", "prithvi"):
        mine = [r for r in runs if r["model"] == model]
        if not mine:
            continue
        dotnet = [r for r in mine if r["runtime"].startswith("TorchSharp")]
        torch_runs = [r for r in mine if r["runtime"].startswith("PyTorch")]
        flops = 3 * torch_runs[0]["forwardFlops"] if torch_runs else None
        steps = {}
        peaks = {}
        for r in mine:
            for v in r["variants"]:
                steps.setdefault(v["Variant"], []).extend(v["Seconds"])
                peaks.setdefault(v["Variant"], []).append(max(r["matmulFlopsPerSecond"]))
        lines += [f"## {TITLES[model]}", "",
                  f"Batch {mine[0]['batch']}, {mine[0]['threads']} threads, {mine[0]['warmup']} warm-up step(s); "
                  f"{mine[0]['variants'][0]['Parameters']:,} parameters in every variant (checked by each process); "
                  f"{dotnet[0]['runtime']} vs {torch_runs[0]['runtime'] if torch_runs else 'no PyTorch run'}.", "",
                  "| variant | steps | median s/step | samples/s | training GFLOP/s | matmul peak GFLOP/s | fraction of peak |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        medians = {name: statistics.median(s) for name, s in steps.items()}
        for name, s in steps.items():
            peak = max(peaks[name])
            rate = flops / medians[name] if flops else None
            lines.append(f"| {name} | {len(s)} | {medians[name]:.3f} | {mine[0]['batch'] / medians[name]:.3f} | "
                         f"{rate / 1e9:.1f} | {peak / 1e9:.1f} | {rate / peak:.2f} |" if rate else
                         f"| {name} | {len(s)} | {medians[name]:.3f} | {mine[0]['batch'] / medians[name]:.3f} | – | {peak / 1e9:.1f} | – |")
        lines.append("")
        if "generated" in medians and "hand-composed" in medians:
            lines.append(f"- Generated / hand-composed throughput: **{medians['hand-composed'] / medians['generated']:.3f}** (goal ≥ 0.98).")
        if "generated" in medians and "pytorch" in medians:
            lines.append(f"- Generated (TorchSharp) / PyTorch 1.13 throughput: **{medians['pytorch'] / medians['generated']:.3f}** (goal ≥ 1: not slower).")
        if flops:
            lines.append(f"- Forward FLOPs per sample: {flops / 3 / mine[0]['batch'] / 1e9:.1f} G; training step per sample: {flops / mine[0]['batch'] / 1e9:.1f} G.")
        lines.append("- Per-step seconds: " + "; ".join(f"{n}: " + ", ".join(f"{x:.2f}" for x in s) for n, s in steps.items()) + ".")
        lines.append("- Load averages (1, 5, 15 min) before → after each process: " + "; ".join(
            f"{r['variants'][0]['Variant'] if r['runtime'].startswith('PyTorch') else '.NET'}: "
            + " → ".join(l.strip() for l in r["load"]) for r in mine) + ".")
        lines.append("")
    with open(output, "w") as f:
        f.write("\n".join(lines))
    print(f"wrote {output}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
