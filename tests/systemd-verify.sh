#!/bin/sh
# Checks systemd/limberd.service and systemd/limberd.socket with
# `systemd-analyze verify --user`, as `make install` would install them: @BINDIR@
# replaced by a directory holding executable stand-ins for limberd and limber.
# Any diagnostic fails the check, since systemd-analyze exits 0 on unknown keys.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
units="$here/systemd"

if ! command -v systemd-analyze >/dev/null 2>&1; then
    echo "systemd-verify: systemd-analyze not found; install the 'systemd' package" >&2
    exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/limber-verify.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/bin" "$work/runtime" "$work/units"
chmod 0700 "$work/runtime"
for program in limberd limber; do
    printf '#!/bin/sh\nexit 0\n' >"$work/bin/$program"
    chmod 0755 "$work/bin/$program"
done

sed "s|@BINDIR@|$work/bin|g" "$units/limberd.service" >"$work/units/limberd.service"
cp "$units/limberd.socket" "$work/units/limberd.socket"

if grep -n '@[A-Z_]*@' "$work/units/limberd.service" "$work/units/limberd.socket"; then
    echo "systemd-verify: placeholders left after substitution" >&2
    exit 1
fi

# --man=no: the man pages exist only once installed.
status=0
output=$(cd "$work/units" && XDG_RUNTIME_DIR="$work/runtime" SYSTEMD_UNIT_PATH="$work/units:" \
    systemd-analyze verify --user --man=no limberd.socket limberd.service 2>&1) || status=$?
if [ "$status" -ne 0 ] || [ -n "$output" ]; then
    printf '%s\n' "$output" | sed "s|$work/units/||g" >&2
    echo "systemd-verify: FAILED (exit $status)" >&2
    exit 1
fi
echo "systemd-verify: limberd.service and limberd.socket pass systemd-analyze verify --user"
