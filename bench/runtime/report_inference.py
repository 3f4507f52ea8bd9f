#!/usr/bin/env python3
"""Turns bench/runtime/run-inference.sh's JSON files into bench/runtime/INFERENCE.md.

    report_inference.py WORK_FOLDER OUTPUT.md "COMMAND"
"""
import datetime
import glob
import json
import os
import statistics
import subprocess
import sys


def main(work, output, command):
    runs = {}
    loads = []
    for path in sorted(glob.glob(os.path.join(work, "*.json"))):
        run = json.load(open(path))
        runs.setdefault(run["mode"], []).append(run)
        loads.append(f"{run['mode']}: " + " → ".join(l.split("load average:")[1].strip() for l in open(path[:-5] + ".load")))
    cpu = next((l.split(":", 1)[1].strip() for l in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()
                if l.startswith("Model name:")), "unknown")
    first = next(iter(runs.values()))[0]
    lines = ["# Scene prediction (issue 9 §4)", "", f"Reproduce: `{command}` (writes this file).", "",
             f"Machine: {cpu}, {os.cpu_count()} cores, shared with other builds; {datetime.date.today().isoformat()}. "
             f"A {first['width']}×{first['height']} RGB GeoTIFF predicted by `BenchResNet18UperNetScene` "
             "(ResNet-18 + 64-channel UperNet, 256-pixel input), read, predicted and written as a GeoTIFF; one process per "
             "prediction, tiled and whole alternating. Peak memory is the process's peak resident set (VmHWM), which "
             "includes the .NET runtime, libtorch and the model (resident before the prediction shown beside it).", "",
             "| mode | runs | median s | median MP/s | peak RSS MiB (median) | RSS before MiB | tiles |", "|---|---:|---:|---:|---:|---:|---:|"]
    for mode, mine in runs.items():
        lines.append(f"| {mode} | {len(mine)} | {statistics.median(r['seconds'] for r in mine):.2f} | "
                     f"{statistics.median(r['megapixelsPerSecond'] for r in mine):.3f} | "
                     f"{statistics.median(r['peakResidentBytes'] for r in mine) / 2**20:.0f} | "
                     f"{statistics.median(r['residentBeforeBytes'] for r in mine) / 2**20:.0f} | {mine[0].get('tiles', '–')} |")
    if "tiled" in runs and "whole" in runs:
        t = statistics.median(r["megapixelsPerSecond"] for r in runs["tiled"])
        w = statistics.median(r["megapixelsPerSecond"] for r in runs["whole"])
        m = statistics.median(r["peakResidentBytes"] for r in runs["tiled"]) / statistics.median(r["peakResidentBytes"] for r in runs["whole"])
        lines += ["", f"Tiled / whole throughput: **{t / w:.3f}**; tiled / whole peak memory: **{m:.3f}**."]
    lines += ["", "Load averages (1, 5, 15 min) before → after: " + "; ".join(loads) + ".", ""]
    with open(output, "w") as f:
        f.write("\n".join(lines))
    print(f"wrote {output}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
