#!/bin/sh
# Installs the Debian packages named as arguments when they are missing.
# As root it runs apt-get itself; otherwise it prints the command to run.
set -eu
missing=""
for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: missing packages:$missing (no apt-get here: install them with your package manager)" >&2
    exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages:$missing — install them with: sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "setup: installing$missing"
if [ ! -f /tmp/.limber-apt-updated ]; then
    apt-get update -qq && touch /tmp/.limber-apt-updated
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
