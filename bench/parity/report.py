#!/usr/bin/env python3
"""Writes bench/PARITY.md (to stdout) from the results bench/parity/run.sh left in the work folder.

    report.py <work folder> <command> <model> [<model> ...]
"""
import datetime
import json
import os
import platform
import subprocess
import sys


def cpu_name():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def dotnet_version():
    try:
        return subprocess.run(["dotnet", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(work, command, models):
    results = []
    for model in models:
        with open(os.path.join(work, f"{model}.result.json"), encoding="utf-8") as f:
            result = json.load(f)
        with open(os.path.join(work, f"{model}.reference.json"), encoding="utf-8") as f:
            reference = json.load(f)
        results.append((model, result, reference))

    first = results[0]
    lines = [
        "# Numerical parity with the reference implementations",
        "",
        "Written by `bench/parity/run.sh` (see `bench/parity/README.md`); rerun it rather than editing this file.",
        "Each model gets the same seeded weights (batch-norm statistics calibrated on seeded batches) and the same seeded",
        "input on both sides; GeoDsl loads the weights **strictly** (every tensor by name and shape) into its own module.",
        "",
        f"- Command: `{command}`",
        f"- Date: {datetime.date.today().isoformat()}",
        f"- Machine: {platform.system()} {platform.machine()}, {cpu_name()}, {os.cpu_count()} logical CPUs; .NET SDK {dotnet_version()}",
        f"- Reference: torch {first[2]['torch']}, torchvision {first[2]['torchvision']} (Debian python3-torch, python3-torchvision), CPU",
        f"- GeoDsl: TorchSharp {first[1]['torchsharp']} with TorchSharp-cpu (libtorch {first[1]['libtorch']}), CPU",
        f"- Goals: float32 model output max |Δ| ≤ {first[1]['tolerance']:g}; float64, every output max |Δ| ≤ {first[1]['float64_goal']:g}"
        " (the same function). Intermediate outputs (taps) are shown in float32 beside torch's own float32 rounding",
        "  error (max |float32 − float64| within torch), the scale two correct float32 implementations can differ by.",
        "",
        "| Model | Output | Shape | max \\|ref\\| | float32 max \\|Δ\\| | torch's own float32 rounding | float64 max \\|Δ\\| | Result |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for model, result, _ in results:
        for i, out in enumerate(result["outputs"]):
            verdict = ("PASS" if result["pass"] else "FAIL") if i == 0 else ""
            lines.append(
                f"| {model if i == 0 else ''} | {out['name']} | {'×'.join(str(d) for d in out['shape'])} | {out['max_abs_reference']:.4g} "
                f"| {out['float32_max_abs_difference']:.2e} | {out['torch_float32_rounding']:.2e} | {out['float64_max_abs_difference']:.2e} | {verdict} |")
    lines.append("")
    lines.append("GeoDsl modules:")
    for model, result, reference in results:
        lines.append(f"- {model}: `{result['module']}` against `torchvision.{reference['build']}`, {result['loaded_tensors']} tensors loaded strictly,"
                     f" input {'×'.join(str(d) for d in reference['input'])}, seed {reference['seed']}.")
    print("\n".join(lines))


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit("usage: report.py <work folder> <command> <model> [<model> ...]")
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
