#!/usr/bin/env bash
# Issue 9 §5: what the generated model class adds around the runtime modules, on the quickstart's tiny Prithvi-class
# model (BenchTinyPrithviUNet64) where a step takes milliseconds: training steps and evaluation forwards of the
# generated class and of the same modules composed by hand, interleaved in one process. Writes bench/runtime/OVERHEAD.md.
#   bench/runtime/run-overhead.sh            # THREADS=1 WARMUP=3 STEPS=30 bench/runtime/run-overhead.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export GEODSL_ARTIFACTS="${GEODSL_ARTIFACTS:-$root/artifacts}"
threads="${THREADS:-1}" warmup="${WARMUP:-3}" steps="${STEPS:-30}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

dotnet build bench/GeoDsl.Bench.Runtime -c Release -nologo -v q
uptime > "$work/load"
"$GEODSL_ARTIFACTS/bin/GeoDsl.Bench.Runtime/Release/net10.0/GeoDsl.Bench.Runtime" overhead --threads "$threads" --warmup "$warmup" \
  --steps "$steps" --out "$work/overhead.json"
uptime >> "$work/load"
/usr/bin/python3 - "$work/overhead.json" "$work/load" "THREADS=$threads WARMUP=$warmup STEPS=$steps bench/runtime/run-overhead.sh" \
  > bench/runtime/OVERHEAD.md <<'PY'
import datetime, json, os, subprocess, sys
run = json.load(open(sys.argv[1]))
loads = [l.split("load average:")[1].strip() for l in open(sys.argv[2]) if "load average:" in l]
cpu = next((l.split(":", 1)[1].strip() for l in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()
            if l.startswith("Model name:")), "unknown")
print(f"""# What the generated class adds (issue 9 §5)

Reproduce: `{sys.argv[3]}` (writes this file).

Machine: {cpu}, {os.cpu_count()} cores, shared (load average {loads[0]} before, {loads[1]} after); {datetime.date.today().isoformat()}.
`BenchTinyPrithviUNet64` (the quickstart's model: ViT width 96, 4 blocks, UNet [64, 32, 16, 16], 64 px, batch
{run['batch']}, {run['threads']} thread(s), {run['trainingSteps'][0]['Parameters']:,} parameters) as the generated class and as the same modules
composed by hand, interleaved step by step.

| measurement | variant | runs | median ms |
|---|---|---:|---:|""")
ratios = []
for key, title in (("trainingSteps", "training step"), ("evalForwards", "evaluation forward")):
    medians = {}
    for t in run[key]:
        values = sorted(t["Seconds"])
        n = len(values)
        median = values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2
        medians[t["Variant"]] = median
        print(f"| {title} | {t['Variant']} | {n} | {median * 1e3:.2f} |")
    ratios.append(f"{title}: **{medians['hand-composed'] / medians['generated']:.3f}**")
print("\nGenerated / hand-composed throughput: " + "; ".join(ratios) + " (goal ≥ 0.98).")
PY
cat bench/runtime/OVERHEAD.md
