#!/usr/bin/env bash
# Installs the headless browser the site's test drives: Debian's own `chromium` package.
# Nothing is downloaded from anywhere but the Debian mirrors. Skipped when it is already there.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "setup-browser: /usr/bin/chromium is already installed ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium

if [ ! -x /usr/bin/chromium ]; then
  echo "setup-browser: apt-get finished but /usr/bin/chromium is missing" >&2
  exit 1
fi
echo "setup-browser: installed $(/usr/bin/chromium --version)"
