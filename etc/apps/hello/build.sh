#!/bin/bash
# Packs the example app into the ZIP-runtime archive its definition points at, and writes the
# definition with that absolute path. Usage: build.sh OUTPUT_DIR  (prints the app JSON's path)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mkdir -p "$1" && cd "$1" && pwd)
tar -czf "$out/hello-1.0.tgz" -C "$here" tapisjob_app.sh
chmod 0644 "$out/hello-1.0.tgz"
sed "s|@ARCHIVE@|$out/hello-1.0.tgz|" "$here/app.json" > "$out/hello-app.json"
echo "$out/hello-app.json"
