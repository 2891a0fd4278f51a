#!/usr/bin/env bash
# The docs site's whole test: installs the headless browser (Debian's chromium), builds the
# site, then checks the built pages in the browser. Works from any current directory.
# The screenshot of the DeleteUserFromChat page lands in target/site-screenshots/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

./setup-browser.sh
./build.sh

echo "== browser test"
node --test test/*.test.mjs
