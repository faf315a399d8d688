#!/bin/bash
# The example app: greets, counts the lines of its optional input, and leaves results in the
# job's output dir. Everything it knows about the job comes from the _tapis* environment.
set -euo pipefail
echo "Hello from tapisd job ${_tapisJobUUID} (${_tapisJobName}) as $(id -un) on $(hostname)"
echo "arguments: $#"
for arg in "$@"; do printf '  [%s]\n' "$arg"; done
out="${_tapisExecSystemOutputDir}"
printf '%s\n' "$@" > "$out/arguments.txt"
if [ -n "${INPUT_FILE:-}" ] && [ -f "${INPUT_FILE}" ]; then
    wc -l < "${INPUT_FILE}" > "$out/line-count.txt"
    echo "input ${INPUT_FILE} has $(cat "$out/line-count.txt") line(s)"
fi
if [ -n "${SLEEP_SECONDS:-}" ]; then sleep "${SLEEP_SECONDS}"; fi
exit "${EXIT_CODE:-0}"
