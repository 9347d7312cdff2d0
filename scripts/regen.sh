#!/usr/bin/env bash
# Regenerate src/shippo_client/_generated from openapi.yaml.
#
# Usage: scripts/regen.sh [OUTPUT_DIR]
# OUTPUT_DIR defaults to the committed location. The drift test passes a
# scratch folder and compares it with the committed one.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
output=${1:-"$root/src/shippo_client/_generated"}
generator=${OPENAPI_PYTHON_CLIENT:-openapi-python-client}

# The generator's post hooks run ruff from PATH, and it only warns when ruff
# is missing, so the venv's bin folder must come first.
export PATH="$(dirname "$(command -v python)"):$PATH"
command -v ruff >/dev/null || { echo "regen: ruff is not on PATH; run 'make venv' first" >&2; exit 1; }

"$generator" generate \
  --path "$root/openapi.yaml" \
  --config "$root/generator-config.yaml" \
  --custom-template-path "$root/templates" \
  --meta none \
  --output-path "$output" \
  --overwrite \
  --fail-on-warning

# The ruff post hooks leave a cache folder inside the package.
rm -rf "$output/.ruff_cache"
