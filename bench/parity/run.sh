#!/usr/bin/env bash
# Numerical parity of GeoDsl's TorchSharp modules with the reference implementations (torchvision, CPU) and
# bench/PARITY.md from the results. Not a CI test: it needs Debian's python3-torch and python3-torchvision.
#
#   bench/parity/run.sh                 # every model in MODELS of bench/parity/reference.py
#   bench/parity/run.sh resnet50        # only these
#
# Environment: PYTHON (default /usr/bin/python3), PARITY_WORK (scratch folder for weights and outputs, default
# $TMPDIR/geodsl-parity, ~250 MB per model), PARITY_TOLERANCE (float32 goal on the model output, default 1e-4),
# GEODSL_ARTIFACTS (build output, as for every dotnet command in this repository).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-/usr/bin/python3}"
work="${PARITY_WORK:-${TMPDIR:-/tmp}/geodsl-parity}"
tolerance="${PARITY_TOLERANCE:-1e-4}"
cd "$root"

if [ "$#" -gt 0 ]; then
  models=("$@")
else
  mapfile -t models < <(PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$here" "$python" -c 'import reference; print("\n".join(reference.MODELS))')
fi

dotnet build bench/GeoDsl.Bench.Parity/GeoDsl.Bench.Parity.csproj -c Release -nologo -v q
status=0
for model in "${models[@]}"; do
  "$python" "$here/reference.py" "$model" "$work"
  dotnet run --no-build -c Release --project bench/GeoDsl.Bench.Parity/GeoDsl.Bench.Parity.csproj -- "$model" "$work" --tolerance "$tolerance" || status=1
done

"$python" "$here/report.py" "$work" "bench/parity/run.sh${*:+ $*}" "${models[@]}" > bench/PARITY.md
echo "wrote bench/PARITY.md ($([ $status -eq 0 ] && echo all goals met || echo SOME GOALS MISSED))"
exit $status
