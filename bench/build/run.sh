#!/usr/bin/env bash
# Issue 9 §2: what the GeoDsl generator and analyzers add to `dotnet build`. Creates, in a temporary folder, a consumer
# library with 50 models (the files of models/, renamed copies of each until there are 50) that uses GeoDsl as this repository's
# projects do (eng/UseGeoDsl.targets), and the same library with the generated sources checked in and the generator
# and analyzers removed. After one restore and one build of each, it rebuilds them in turn (A, B, A, B, …) with
# `dotnet build --no-restore --no-incremental -p:BuildProjectReferences=false` (the consumer recompiled, the GeoDsl
# projects it references already built) and writes the medians and their ratio to bench/build/RESULTS.md.
#   bench/build/run.sh            # REPEATS=5 bench/build/run.sh for more builds of each
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export GEODSL_ARTIFACTS="${GEODSL_ARTIFACTS:-$root/artifacts}"
repeats="${REPEATS:-3}" models="${MODELS:-50}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Both consumers share the repository's settings (warnings as errors, nullable, artifacts folder) and its NuGet sources.
cat > "$work/Directory.Build.props" <<PROPS
<Project>
  <Import Project="$root/Directory.Build.props" />
</Project>
PROPS
# …and its targets: the build tasks (model report, native fix) from the GeoDsl.Build project, as inside the repository.
cat > "$work/Directory.Build.targets" <<TARGETS
<Project>
  <Import Project="$root/Directory.Build.targets" />
</Project>
TARGETS
cp nuget.config "$work/"

mkdir -p "$work/WithGenerator/Models" "$work/CheckedIn/Generated"
count=0
copy=0
while [ "$count" -lt "$models" ]; do
  copy=$((copy + 1))
  for file in models/*.geomodel; do
    [ "$count" -lt "$models" ] || break
    # One model per file: the vlm files declare several models each (description classes, no GeoModel).
    case "$(basename "$file")" in vlm_*) continue ;; esac
    name="$(basename "$file" .geomodel)_$copy"
    # Rename the model (the first 'model Name' line) so the 50 classes differ.
    sed -E "0,/^model ([A-Za-z0-9_]+)/s//model \\1Copy$copy/" "$file" > "$work/WithGenerator/Models/$name.geomodel"
    count=$((count + 1))
  done
done

cat > "$work/WithGenerator/WithGenerator.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <RootNamespace>BuildBench</RootNamespace>
    <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
    <!-- Outside the project folder, or the next build would compile the emitted copies too. -->
    <CompilerGeneratedFilesOutputPath>$work/generated</CompilerGeneratedFilesOutputPath>
  </PropertyGroup>
  <Import Project="$root/eng/UseGeoDsl.targets" />
</Project>
PROJ
cat > "$work/CheckedIn/CheckedIn.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <RootNamespace>BuildBench</RootNamespace>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$root/src/GeoDsl.Runtime/GeoDsl.Runtime.csproj" />
  </ItemGroup>
</Project>
PROJ

build() { dotnet build "$1" -c Release -nologo -v q "${@:2}" > "$work/last-build.log" 2>&1 || { cat "$work/last-build.log"; exit 1; }; }
build "$work/WithGenerator"
generated="$(find "$work/generated" -name '*.g.cs' | wc -l)"
[ "$generated" -eq "$count" ] || { echo "expected $count generated model classes, found $generated" >&2; exit 1; }
find "$work/generated" -name '*.g.cs' -exec cp {} "$work/CheckedIn/Generated/" \;
build "$work/CheckedIn"

uptime > "$work/load"
: > "$work/times"
for i in $(seq 1 "$repeats"); do
  for variant in WithGenerator CheckedIn; do
    start=$(date +%s.%N)
    build "$work/$variant" --no-restore --no-incremental -p:BuildProjectReferences=false
    end=$(date +%s.%N)
    echo "$variant $(echo "$end - $start" | bc)" >> "$work/times"
  done
done
uptime >> "$work/load"

# What the compiler itself says the GeoDsl generator and analyzers took (ReportAnalyzer), on one more rebuild: the time
# csc spent inside them, against the totals of all generators and analyzers (the SDK's run in both projects).
dotnet build "$work/WithGenerator" -c Release -nologo -v d --no-restore --no-incremental -p:BuildProjectReferences=false \
  -p:ReportAnalyzer=true > "$work/report-analyzer.log" 2>&1 || { tail -50 "$work/report-analyzer.log"; exit 1; }
sed -E 's/^ +//; s/ \(GEO[0-9].*\)$//' "$work/report-analyzer.log" \
  | grep -E '^(Total (analyzer|generator) execution time|[<0-9.]+ +[<0-9]+ +GeoDsl\.)' | sort -u > "$work/analyzer-times" || true

/usr/bin/python3 - "$work/times" "$work/load" "$count" "$repeats" "$work/analyzer-times" > bench/build/RESULTS.md <<'PY'
import datetime, os, statistics, subprocess, sys
times, load, count, repeats, analyzer_times = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
runs = {}
for line in open(times):
    variant, seconds = line.split()
    runs.setdefault(variant, []).append(float(seconds))
cpu = next((l.split(":", 1)[1].strip() for l in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()
            if l.startswith("Model name:")), "unknown")
with_generator, checked_in = statistics.median(runs["WithGenerator"]), statistics.median(runs["CheckedIn"])
loads = [l.split("load average:")[1].strip() for l in open(load)]
print(f"""# Build overhead of the generator and analyzers (issue 9 §2)

Reproduce: `REPEATS={repeats} MODELS={count} bench/build/run.sh` (writes this file).

Machine: {cpu}, {os.cpu_count()} cores, shared with other engineers' builds (load average {loads[0]} before, {loads[1]} after);
{datetime.date.today().isoformat()}. The two projects were rebuilt in turn (A, B, A, B, …), so the other load falls on both alike.

A consumer library with {count} models (the files of `models/`, renamed copies), built with
`dotnet build --no-restore --no-incremental -p:BuildProjectReferences=false -c Release` (the consumer recompiled from
scratch, the GeoDsl projects it references already built):

| project | builds | median s | all s |
|---|---:|---:|---|
| with the generator and analyzers (`eng/UseGeoDsl.targets`, {count} `.geomodel` files) | {len(runs['WithGenerator'])} | {with_generator:.2f} | {', '.join(f'{t:.2f}' for t in runs['WithGenerator'])} |
| generated sources checked in, generator and analyzers removed | {len(runs['CheckedIn'])} | {checked_in:.2f} | {', '.join(f'{t:.2f}' for t in runs['CheckedIn'])} |

Overhead ratio (with / without): **{with_generator / checked_in:.3f}** (goal ≤ 1.15).

The compiler's own account of one more rebuild with the generator (`-p:ReportAnalyzer=true`: seconds csc spent in
GeoDsl's generator and analyzers, and in all generators and analyzers together, the SDK's included, which run in both
projects; wall time inside the callbacks, so it stretches with the machine's load like everything else):

```
{open(analyzer_times).read().strip()}
```
""")
PY
cat bench/build/RESULTS.md
