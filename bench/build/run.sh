#!/usr/bin/env bash
# Issue 9 §2: what GeoDsl adds to `dotnet build`, as a package consumer gets it. Packs this tree's GeoDsl,
# GeoDsl.Runtime and GeoDsl.Composition packages into a local feed (and, with BASELINE=<git ref>, the same packages
# from that commit, to measure a change before/after in one run), then creates, in a temporary folder outside the
# repository, a library with 50 models (the files of models/, renamed copies until there are 50) that references the
# GeoDsl package, and the same library with the 50 generated classes checked in that references only GeoDsl.Runtime
# (no generator, no analyzers, no build tasks). After one restore and build of each, it builds them in turn
# (A, B, A, B, …) under three process settings:
#   fresh processes  UseSharedCompilation=false, MSBUILDDISABLENODEREUSE=1 (this machine's and CI's environment):
#                    every build starts a new compiler and new MSBuild nodes, so every analyzer and task is loaded
#                    and JIT-compiled again;
#   dotnet defaults  the compiler server and MSBuild node reuse on, as on a developer's machine;
#   MSBuild server   the same plus DOTNET_CLI_USE_MSBUILD_SERVER=1 (the build runs in a long-lived process),
# each for a rebuild and for an ordinary build after editing one C# file.
# It writes the medians, their ratios and where the difference goes (csc's ReportAnalyzer, MSBuild's performance
# summary) to bench/build/RESULTS.md.
#   bench/build/run.sh          # REPEATS=8 MODELS=50 BASELINE=e8af801 MODES="fresh defaults server" OUTPUT=… bench/build/run.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export GEODSL_ARTIFACTS="${GEODSL_ARTIFACTS:-$root/artifacts}"
repeats="${REPEATS:-5}" models="${MODELS:-50}" baseline="${BASELINE:-}" modes="${MODES:-fresh defaults server}"
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
  local status=0
  dotnet build "$work/$1" -c Release -nologo -v q "${@:2}" > "$work/last-build.log" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    # Once in a few hundred builds the MSBuild server answered with a failing exit code for a build whose log says
    # it succeeded: such a build is repeated once, and counted in the results.
    echo "$1 ${*:2}: exit code $status, repeated" >> "$work/repeated"
    tail -5 "$work/last-build.log" >> "$work/repeated"
    dotnet build "$work/$1" -c Release -nologo -v q "${@:2}" > "$work/last-build.log" 2>&1 || { cat "$work/last-build.log"; echo "exit code $?" >&2; exit 1; }
  fi
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

# Every variant also has one C# file, which the "edit" scenario touches before an ordinary `dotnet build`.
for variant in $variants; do
  printf 'namespace BuildBench;\n\n/// <summary>The file the edit scenario touches.</summary>\npublic static class Edited\n{\n    public const int Value = 1;\n}\n' > "$work/$variant/Edited.cs"
done

mode_environment() { # fresh | defaults | server
  case "$1" in
    fresh) export UseSharedCompilation=false MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 ;;
    defaults) unset MSBUILDDISABLENODEREUSE; export UseSharedCompilation=true DOTNET_CLI_USE_MSBUILD_SERVER=0 ;;
    server) unset MSBUILDDISABLENODEREUSE; export UseSharedCompilation=true DOTNET_CLI_USE_MSBUILD_SERVER=1 ;;
  esac
}
scenario_build() { # rebuild | edit, variant, extra arguments…
  if [ "$1" = rebuild ]; then
    build "$2" --no-restore --no-incremental "${@:3}"
  else
    touch "$work/$2/Edited.cs"
    build "$2" --no-restore "${@:3}"
  fi
}

mode_environment fresh
# The generated classes, emitted on this first build only (outside the project folder, or the next build would
# compile the copies too); the timed builds write nothing but what a consumer's build writes.
build WithGenerator -p:EmitCompilerGeneratedFiles=true -p:CompilerGeneratedFilesOutputPath="$work/generated"
generated="$(find "$work/generated" -name '*.g.cs' | wc -l)"
[ "$generated" -eq "$models" ] || { echo "expected $models generated model classes, found $generated" >&2; exit 1; }
find "$work/generated" -name '*.g.cs' -exec cp {} "$work/CheckedIn/Generated/" \;
for variant in $variants; do build "$variant"; done

: > "$work/times"
: > "$work/repeated"
uptime > "$work/load"
for mode in $modes; do
  mode_environment "$mode"
  # Two untimed rounds, so the servers are up and warm and every variant has been built under this mode.
  for round in 1 2; do
    for variant in $variants; do scenario_build rebuild "$variant"; scenario_build edit "$variant"; done
  done
  for i in $(seq 1 "$repeats"); do
    for scenario in rebuild edit; do
      for variant in $variants; do
        start=$(date +%s.%N)
        scenario_build "$scenario" "$variant"
        end=$(date +%s.%N)
        echo "$mode $scenario $variant $(echo "$end - $start" | bc)" >> "$work/times"
      done
    done
  done
  # Where the difference goes, on one more rebuild of each variant: csc's own timing of the generators and
  # analyzers (-p:ReportAnalyzer=true) and MSBuild's time per target.
  for variant in $variants; do
    scenario_build rebuild "$variant" -v d -p:ReportAnalyzer=true -clp:PerformanceSummary
    cp "$work/last-build.log" "$work/account-$mode-$variant.log"
  done
  dotnet build-server shutdown > /dev/null 2>&1 || true
  uptime >> "$work/load"
done

/usr/bin/python3 - "$work" "$models" "$repeats" "$variants" "${baseline:+$baseline_commit}" "$modes" > "${OUTPUT:-bench/build/RESULTS.md}" <<'PY'
import datetime, os, re, statistics, subprocess, sys
work, count, repeats, variants, baseline, measured = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4].split(), sys.argv[5], sys.argv[6].split()
runs = {}
for line in open(os.path.join(work, "times")):
    mode, scenario, variant, seconds = line.split()
    runs.setdefault((mode, scenario, variant), []).append(float(seconds))
cpu = next((l.split(":", 1)[1].strip() for l in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()
            if l.startswith("Model name:")), "unknown")
sdk = subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()
loads = [l.split("load average:")[1].strip() for l in open(os.path.join(work, "load"))]
names = {"WithGenerator": "GeoDsl package (this tree)", "Baseline": f"GeoDsl package at {baseline} (before)",
         "CheckedIn": "generated sources checked in, GeoDsl.Runtime only"}
all_modes = {"fresh": "fresh processes: `UseSharedCompilation=false`, `MSBUILDDISABLENODEREUSE=1` (this machine's and CI's environment); every build starts a new compiler and new MSBuild nodes",
         "defaults": "dotnet's defaults: compiler server and node reuse on, MSBuild server off (the build itself runs in the new `dotnet build` process)",
         "server": "dotnet's defaults plus the MSBuild server (`DOTNET_CLI_USE_MSBUILD_SERVER=1`): the build runs in a long-lived process"}
modes = {m: d for m, d in all_modes.items() if m in measured}
scenarios = {"rebuild": "rebuild (`--no-incremental`: everything compiled, the model report written again)",
             "edit": "after editing one C# file (`touch Edited.cs`, then `dotnet build`: the compiler runs, the unchanged models' report is up to date)"}

def median(mode, scenario, variant): return statistics.median(runs[(mode, scenario, variant)])

def account(mode, variant):
    text = open(os.path.join(work, f"account-{mode}-{variant}.log")).read()
    geodsl = dict((n, t) for t, n in re.findall(r"^\s+([<0-9.]+)\s+[<0-9]+\s+(GeoDsl\.[A-Za-z.]+(?:Generator|Analyzer))\b", text, re.M))
    totals = dict(re.findall(r"Total (analyzer|generator) execution time: ([0-9.]+) seconds", text))
    summary = text.split("Target Performance Summary:")[-1].split("Task Performance Summary:")[0]
    targets = dict((name, int(ms)) for ms, name in re.findall(r"^\s+(\d+) ms\s+(\S+)\s+\d+ calls", summary, re.M))
    elapsed = re.search(r"Time Elapsed ([0-9:.]+)", text).group(1)
    return geodsl, totals, targets, elapsed

print(f"""# Build overhead of GeoDsl for a package consumer (issue 9 §2)

Reproduce: `REPEATS={repeats} MODELS={count}{f' BASELINE={baseline}' if baseline else ''}{'' if len(measured) == 3 else ' MODES="' + ' '.join(measured) + '"'} bench/build/run.sh` (writes this file).

Machine: {cpu}, {os.cpu_count()} cores, .NET SDK {sdk}, {datetime.date.today().isoformat()}; load average {loads[0]} at the
start, {'; '.join(loads[1:])} after each mode. Variants built in turn (A, B, …), so other load falls on all alike.

A library with {count} models (the files of `models/`, renamed copies) and one C# file, referencing the packed GeoDsl
package, outside the repository, against the same library with the {count} generated classes checked in and only
GeoDsl.Runtime referenced (no generator, analyzers or build tasks). `dotnet build -c Release --no-restore`; two untimed
rounds of each scenario first in each mode.

Overhead ratios (GeoDsl package / checked in, medians; goal ≤ 1.15):

| process setting | rebuild | after editing a C# file |
|---|---:|---:|""")
for mode in modes:
    cells = []
    for scenario in scenarios:
        ratio = median(mode, scenario, "WithGenerator") / median(mode, scenario, "CheckedIn")
        before = f" (before: {median(mode, scenario, 'Baseline') / median(mode, scenario, 'CheckedIn'):.3f})" if baseline else ""
        cells.append(f"**{ratio:.3f}**{before}")
    print(f"| {mode} | " + " | ".join(cells) + " |")
print()
for mode, description in modes.items():
    print(f"### {mode}: {description}\n")
    for scenario, what in scenarios.items():
        print(f"{what}:\n\n| project | builds | median s | all s |\n|---|---:|---:|---|")
        for variant in variants:
            times = runs[(mode, scenario, variant)]
            print(f"| {names[variant]} | {len(times)} | {median(mode, scenario, variant):.2f} | {', '.join(f'{t:.2f}' for t in times)} |")
        print()

repeated = open(os.path.join(work, "repeated")).read().strip()
print("Builds that returned a failing exit code and were repeated once: " + ("none." if not repeated else "\n\n```\n" + repeated + "\n```") + "\n")

print("""### Where the difference goes

One more rebuild of each variant at the end of each mode, `-p:ReportAnalyzer=true -clp:PerformanceSummary`: MSBuild's
milliseconds in the targets that differ, and seconds csc spent in all generators and analyzers (the SDK's run in
every variant) and in GeoDsl's (wall time inside their callbacks, so a new compiler process's first use of each,
JIT compilation included, is in it).
""")
for mode in modes:
    rows = {v: account(mode, v) for v in variants}
    print(f"{mode}:\n\n| | " + " | ".join(names[v] for v in variants) + " |\n|---|" + "---:|" * len(variants))
    print("| build (MSBuild's elapsed time) | " + " | ".join(rows[v][3] for v in variants) + " |")
    for target in ("CoreCompile", "GeoDslModelReport"):
        print(f"| target {target}, ms | " + " | ".join(str(rows[v][2].get(target, "–")) for v in variants) + " |")
    for kind in ("generator", "analyzer"):
        print(f"| all {kind}s, s | " + " | ".join(rows[v][1].get(kind, "–") for v in variants) + " |")
    for name in sorted({n for v in variants for n in rows[v][0]}):
        print(f"| {name}, s | " + " | ".join(rows[v][0].get(name, "–") for v in variants) + " |")
    print()
PY
cat "${OUTPUT:-bench/build/RESULTS.md}"
