#!/usr/bin/env bash
# Builds the docs site into generated/site/build from the generated pages in generated/docs.
# Does its own set-up: `npm ci` from the committed package-lock.json (npm's cache makes repeated
# installs fast). Needs Node.js 20 or later with npm. Works from any current directory.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "build.sh: Node.js 20 or later with npm is needed (https://nodejs.org/)" >&2
  exit 1
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "build.sh: Node.js 20 or later is needed, found $(node --version)" >&2
  exit 1
fi

# No background update checks against the registry.
export NO_UPDATE_NOTIFIER=1

echo "== npm ci"
npm ci --no-audit --no-fund

echo "== docusaurus build"
npx --no-install docusaurus build --out-dir build
