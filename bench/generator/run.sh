#!/usr/bin/env bash
# Generator and analyzer speed on a 200-file project (bench/GeoDsl.Bench.Generator): cold vs incremental runs with
# the tracked steps' reasons, analyzer time per file. Writes bench/generator/RESULTS.md.
#   bench/generator/run.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
dotnet run -c Release --project bench/GeoDsl.Bench.Generator -- "$root/bench/generator/RESULTS.md"
