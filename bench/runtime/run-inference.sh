#!/usr/bin/env bash
# Issue 9 §4: a 2048×2048 RGB GeoTIFF scene predicted by BenchResNet18UperNetScene (bench/GeoDsl.Bench.Runtime/Models),
# tiled (GeoDsl's ScenePredictor: 256-pixel tiles, its default stride and blending) and in one forward pass, one
# process per prediction so each peak resident memory is its own, the two modes alternating. Writes
# bench/runtime/INFERENCE.md.
#   bench/runtime/run-inference.sh            # ROUNDS=3 THREADS=2 TILE_BATCH=16 SIZE=2048 bench/runtime/run-inference.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export GEODSL_ARTIFACTS="${GEODSL_ARTIFACTS:-$root/artifacts}"
rounds="${ROUNDS:-2}" threads="${THREADS:-2}" batch="${TILE_BATCH:-16}" size="${SIZE:-2048}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

dotnet build bench/GeoDsl.Bench.Runtime -c Release -nologo -v q
bench="$GEODSL_ARTIFACTS/bin/GeoDsl.Bench.Runtime/Release/net10.0/GeoDsl.Bench.Runtime"
"$bench" scene --size "$size" --out "$work/scene.tif"
for round in $(seq 1 "$rounds"); do
  for mode in tiled whole; do
    uptime > "$work/$mode-$round.load"
    "$bench" infer --mode "$mode" --threads "$threads" --batch "$batch" --scene "$work/scene.tif" \
      --prediction "$work/$mode-$round.tif" --out "$work/$mode-$round.json"
    uptime >> "$work/$mode-$round.load"
  done
done
/usr/bin/python3 bench/runtime/report_inference.py "$work" bench/runtime/INFERENCE.md \
  "ROUNDS=$rounds THREADS=$threads TILE_BATCH=$batch SIZE=$size bench/runtime/run-inference.sh"
