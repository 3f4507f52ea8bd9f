#!/usr/bin/env bash
# Issue 9 §3: a training step (forward + cross-entropy + backward + AdamW) of the generated models vs the same runtime
# modules composed by hand (one .NET process, interleaved step by step) and vs the same architectures in PyTorch 1.13
# (Debian's /usr/bin/python3), .NET and PyTorch processes alternating round by round. Writes bench/runtime/RESULTS.md
# (or OUTPUT).
#   bench/runtime/run.sh                       # defaults below; override with the environment, e.g.
#   ROUNDS=2 STEPS=3 THREADS=2 bench/runtime/run.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export GEODSL_ARTIFACTS="${GEODSL_ARTIFACTS:-$root/artifacts}"
rounds="${ROUNDS:-1}" warmup="${WARMUP:-1}" steps="${STEPS:-2}" threads="${THREADS:-2}"
models="${MODELS:-resnet prithvi}" output="${OUTPUT:-bench/runtime/RESULTS.md}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

dotnet build bench/GeoDsl.Bench.Runtime -c Release -nologo -v q
bench="$GEODSL_ARTIFACTS/bin/GeoDsl.Bench.Runtime/Release/net10.0/GeoDsl.Bench.Runtime"
for model in $models; do
  batch=1; [ "$model" = resnet ] && batch="${RESNET_BATCH:-2}"
  for round in $(seq 1 "$rounds"); do
    uptime > "$work/$model-dotnet-$round.load"
    "$bench" train --model "$model" --threads "$threads" --batch "$batch" --warmup "$warmup" --steps "$steps" --out "$work/$model-dotnet-$round.json"
    uptime >> "$work/$model-dotnet-$round.load"
    expected="$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["variants"][0]["Parameters"])' "$work/$model-dotnet-$round.json")"
    uptime > "$work/$model-pytorch-$round.load"
    /usr/bin/python3 bench/runtime/pytorch_step.py --model "$model" --threads "$threads" --batch "$batch" --warmup "$warmup" \
      --steps "$steps" --expect-parameters "$expected" --out "$work/$model-pytorch-$round.json"
    uptime >> "$work/$model-pytorch-$round.load"
  done
done
/usr/bin/python3 bench/runtime/report.py "$work" "$output" \
  "ROUNDS=$rounds WARMUP=$warmup STEPS=$steps THREADS=$threads MODELS=\"$models\" OUTPUT=$output bench/runtime/run.sh"
