#!/usr/bin/env bash
# Issue 9 §2: what GeoDsl adds to `dotnet build`, as a package consumer gets it. Packs this tree's GeoDsl,
# GeoDsl.Runtime and GeoDsl.Composition packages into a local feed (and, with BASELINE=<git ref>, the same packages
# from that commit, to measure a change before/after in one run), then creates, in a temporary folder outside the
# repository, a library with 50 models (the files of models/, renamed copies until there are 50) that references the
# GeoDsl package, and the same library with the 50 generated classes checked in that references only GeoDsl.Runtime
# (no generator, no analyzers, no build tasks). After one restore and build of each, it rebuilds them in turn
# (A, B, A, B, …) with `dotnet build --no-restore --no-incremental` under two process settings:
#   fresh processes  UseSharedCompilation=false, MSBUILDDISABLENODEREUSE=1 (this machine's and CI's environment):
#                    every build starts a new compiler and new MSBuild nodes, so every analyzer and task is loaded
#                    and JIT-compiled again;
#   dotnet defaults  the compiler server and MSBuild node reuse on, as on a developer's machine.
# It writes the medians, their ratios and where the difference goes (csc's ReportAnalyzer, MSBuild's performance
# summary) to bench/build/RESULTS.md.
#   bench/build/run.sh                          # REPEATS=8 MODELS=50 BASELINE=e8af801 bench/build/run.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export GEODSL_ARTIFACTS="${GEODSL_ARTIFACTS:-$root/artifacts}"
repeats="${REPEATS:-5}" models="${MODELS:-50}" baseline="${BASELINE:-}"
work="$(mktemp -d)"
cleanup() { dotnet build-server shutdown > /dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
stamp="$(date -u +%Y%m%d%H%M%S)"
current_version="0.1.0-bench.$stamp" baseline_version="0.1.0-bench.$stamp.base"

pack() { # source tree, version, artifacts folder
  for project in src/GeoDsl.Package src/GeoDsl.Runtime src/GeoDsl.Composition; do
    GEODSL_ARTIFACTS="$3" dotnet pack "$1/$project" -c Release -o "$work/feed" -p:PackageVersion="$2" -nologo -v q \
      > "$work/pack.log" 2>&1 || { cat "$work/pack.log"; exit 1; }
  done
}
pack "$root" "$current_version" "$GEODSL_ARTIFACTS"
if [ -n "$baseline" ]; then
  baseline_commit="$(git rev-parse --short "$baseline")"
  mkdir -p "$work/baseline-src"
  git archive "$baseline_commit" | tar -x -C "$work/baseline-src"
  pack "$work/baseline-src" "$baseline_version" "$work/baseline-artifacts"
fi

# The feed first, then the repository's sources; packages land in a folder of their own, with the user's cache as a
# fallback so TorchSharp is not copied again and no earlier GeoDsl build can be picked up.
user_cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
sources="$(sed -n 's/.*<add key="\([^"]*\)" value="\(http[^"]*\)".*/    <add key="\1" value="\2" \/>/p' nuget.config)"
cat > "$work/NuGet.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config><add key="globalPackagesFolder" value="$work/packages" /></config>
  <fallbackPackageFolders><clear /><add key="user" value="$user_cache" /></fallbackPackageFolders>
  <packageSources>
    <clear />
    <add key="bench" value="$work/feed" />
$sources
  </packageSources>
</configuration>
CONFIG

# The consumer: a library whose 50 models are the files of models/, renamed copies (one model per file: the vlm files
# declare several models each and generate description classes, not models).
consumer() { # folder, package, version
  mkdir -p "$work/$1"
  cat > "$work/$1/$1.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <RootNamespace>BuildBench</RootNamespace>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="$2" Version="$3" />
  </ItemGroup>
</Project>
PROJ
}
copy_models() { # folder
  mkdir -p "$work/$1/Models"
  local count=0 copy=0
  while [ "$count" -lt "$models" ]; do
    copy=$((copy + 1))
    for file in models/*.geomodel; do
      [ "$count" -lt "$models" ] || break
      case "$(basename "$file")" in vlm_*) continue ;; esac
      # Rename the model (the first 'model Name' line) so the 50 classes differ.
      sed -E "0,/^model ([A-Za-z0-9_]+)/s//model \\1Copy$copy/" "$file" > "$work/$1/Models/$(basename "$file" .geomodel)_$copy.geomodel"
      count=$((count + 1))
    done
  done
}

build() { # folder, extra arguments…
  dotnet build "$work/$1" -c Release -nologo -v q "${@:2}" > "$work/last-build.log" 2>&1 || { cat "$work/last-build.log"; exit 1; }
}

consumer WithGenerator GeoDsl "$current_version"
copy_models WithGenerator
variants="WithGenerator CheckedIn"
if [ -n "$baseline" ]; then
  consumer Baseline GeoDsl "$baseline_version"
  copy_models Baseline
  variants="Baseline WithGenerator CheckedIn"
fi
consumer CheckedIn GeoDsl.Runtime "$current_version"
mkdir -p "$work/CheckedIn/Generated"

export UseSharedCompilation=false MSBUILDDISABLENODEREUSE=1
# The generated classes, emitted on this first build only (outside the project folder, or the next build would
# compile the copies too); the timed builds write nothing but what a consumer's build writes.
build WithGenerator -p:EmitCompilerGeneratedFiles=true -p:CompilerGeneratedFilesOutputPath="$work/generated"
generated="$(find "$work/generated" -name '*.g.cs' | wc -l)"
[ "$generated" -eq "$models" ] || { echo "expected $models generated model classes, found $generated" >&2; exit 1; }
find "$work/generated" -name '*.g.cs' -exec cp {} "$work/CheckedIn/Generated/" \;
for variant in $variants; do build "$variant"; done

: > "$work/times"
uptime > "$work/load"
for mode in fresh defaults; do
  if [ "$mode" = defaults ]; then
    unset MSBUILDDISABLENODEREUSE
    export UseSharedCompilation=true
  fi
  # One untimed round, so the defaults' servers are up and every variant has been built once under this mode.
  for variant in $variants; do build "$variant" --no-restore --no-incremental; done
  for i in $(seq 1 "$repeats"); do
    for variant in $variants; do
      start=$(date +%s.%N)
      build "$variant" --no-restore --no-incremental
      end=$(date +%s.%N)
      echo "$mode $variant $(echo "$end - $start" | bc)" >> "$work/times"
    done
  done
  dotnet build-server shutdown > /dev/null 2>&1 || true
  uptime >> "$work/load"
done

# Where the difference goes, on one more rebuild of each variant with fresh processes: csc's own timing of GeoDsl's
# generator and analyzers (-p:ReportAnalyzer=true) and MSBuild's time per target.
export UseSharedCompilation=false MSBUILDDISABLENODEREUSE=1
for variant in $variants; do
  dotnet build "$work/$variant" -c Release -nologo -v d --no-restore --no-incremental -p:ReportAnalyzer=true -clp:PerformanceSummary \
    > "$work/account-$variant.log" 2>&1 || { tail -50 "$work/account-$variant.log"; exit 1; }
done

/usr/bin/python3 - "$work" "$models" "$repeats" "$variants" "${baseline:+$baseline_commit}" > bench/build/RESULTS.md <<'PY'
import datetime, os, re, statistics, subprocess, sys
work, count, repeats, variants, baseline = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4].split(), sys.argv[5]
runs = {}
for line in open(os.path.join(work, "times")):
    mode, variant, seconds = line.split()
    runs.setdefault((mode, variant), []).append(float(seconds))
cpu = next((l.split(":", 1)[1].strip() for l in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()
            if l.startswith("Model name:")), "unknown")
sdk = subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()
loads = [l.split("load average:")[1].strip() for l in open(os.path.join(work, "load"))]
names = {"WithGenerator": "GeoDsl package (this tree)", "Baseline": f"GeoDsl package at {baseline} (before)",
         "CheckedIn": "generated sources checked in, GeoDsl.Runtime only"}
modes = {"fresh": "fresh processes (`UseSharedCompilation=false`, `MSBUILDDISABLENODEREUSE=1`: this machine's and CI's setting)",
         "defaults": "dotnet defaults (compiler server and MSBuild node reuse on)"}

def median(mode, variant): return statistics.median(runs[(mode, variant)])

def account(variant):
    text = open(os.path.join(work, f"account-{variant}.log")).read()
    geodsl = sorted(set(re.findall(r"^\s+([<0-9.]+)\s+[<0-9]+\s+(GeoDsl\.[A-Za-z.]+(?:Generator|Analyzer))\b", text, re.M)), key=lambda t: t[1])
    totals = re.findall(r"Total (analyzer|generator) execution time: ([0-9.]+) seconds", text)
    targets = dict((name, int(ms)) for ms, name in re.findall(r"^\s+(\d+) ms\s+(\S+)\s+\d+ calls", text.split("Target Performance Summary:")[-1].split("Task Performance Summary:")[0], re.M))
    elapsed = re.search(r"Time Elapsed ([0-9:.]+)", text).group(1)
    return geodsl, totals, targets, elapsed

print(f"""# Build overhead of GeoDsl for a package consumer (issue 9 §2)

Reproduce: `REPEATS={repeats} MODELS={count}{f' BASELINE={baseline}' if baseline else ''} bench/build/run.sh` (writes this file).

Machine: {cpu}, {os.cpu_count()} cores, .NET SDK {sdk}, {datetime.date.today().isoformat()}; load average {loads[0]} at the
start, {' and '.join(loads[1:])} after each mode. Variants rebuilt in turn (A, B, …), so other load falls on all alike.

A library with {count} models (the files of `models/`, renamed copies) referencing the packed GeoDsl package, outside the
repository, against the same library with the {count} generated classes checked in and only GeoDsl.Runtime referenced
(no generator, analyzers or build tasks). Each build: `dotnet build -c Release --no-restore --no-incremental` (the
consumer compiled from scratch, its model report written again); one untimed round first in each mode.
""")
for mode in ("fresh", "defaults"):
    print(f"### {modes[mode]}\n")
    print("| project | builds | median s | all s |\n|---|---:|---:|---|")
    for variant in variants:
        print(f"| {names[variant]} | {len(runs[(mode, variant)])} | {median(mode, variant):.2f} | {', '.join(f'{t:.2f}' for t in runs[(mode, variant)])} |")
    checked = median(mode, "CheckedIn")
    print(f"\nOverhead ratio (GeoDsl package / checked in): **{median(mode, 'WithGenerator') / checked:.3f}** (goal ≤ 1.15)"
          + (f"; before (at {baseline}): {median(mode, 'Baseline') / checked:.3f}." if baseline else ".") + "\n")

print("""### Where the difference goes

One more rebuild of each variant with fresh processes, `-p:ReportAnalyzer=true -clp:PerformanceSummary`: seconds csc
spent in GeoDsl's generator and analyzers (wall time inside their callbacks, first use of each in a new compiler
process included), all generators and analyzers (the SDK's run in every variant), and MSBuild's milliseconds in the
targets that differ.
""")
rows = {v: account(v) for v in variants}
print("| | " + " | ".join(names[v] for v in variants) + " |\n|---|" + "---:|" * len(variants))
print("| build (MSBuild's elapsed time) | " + " | ".join(rows[v][3] for v in variants) + " |")
for target in ("CoreCompile", "GeoDslModelReport", "GeoDslPatchLibTorchSharp", "ResolvePackageAssets", "ResolveAssemblyReferences", "_HandlePackageFileConflicts"):
    print(f"| target {target}, ms | " + " | ".join(str(rows[v][2].get(target, "–")) for v in variants) + " |")
for kind in ("generator", "analyzer"):
    print(f"| all {kind}s, s | " + " | ".join(dict(rows[v][1]).get(kind, "–") for v in variants) + " |")
names_seen = sorted({n for v in variants for _, n in rows[v][0]})
for name in names_seen:
    print(f"| {name}, s | " + " | ".join(dict((n, t) for t, n in rows[v][0]).get(name, "–") for v in variants) + " |")
PY
cat bench/build/RESULTS.md
