#!/usr/bin/env bash
# Validates every OpenAPI document in this directory (or the files named as arguments) with
# openapi-spec-validator from PyPI, pinned. It lives in a virtualenv under target/openapi-venv,
# made on first use.
#
#   bash generated/openapi/validate.sh [FILE...]
#
# Exits non-zero when a document is invalid or there is none.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version=0.9.0
venv="$root/target/openapi-venv"
python="${PYTHON:-python3}"

if ! "$venv/bin/openapi-spec-validator" --version 2>/dev/null | grep -q "$version"; then
    echo "installing openapi-spec-validator==$version into $venv" >&2
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        "openapi-spec-validator==$version"
fi

shopt -s nullglob
if [ $# -gt 0 ]; then
    documents=("$@")
else
    documents=("$here"/*.json "$here"/*.yaml)
fi
if [ ${#documents[@]} -eq 0 ]; then
    echo "no OpenAPI document in $here" >&2
    exit 1
fi
for document in "${documents[@]}"; do
    # Prints "<file>: OK" or the validation errors, and exits non-zero on an error.
    "$venv/bin/openapi-spec-validator" --schema 3.0 "$document"
done
