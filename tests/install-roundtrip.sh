#!/bin/sh
# `make install` into a fresh PREFIX and UNITDIR, checks what landed there, then
# `make uninstall` with the same variables must leave both directories empty.
# Drives mk/install.mk through a throwaway Makefile, so it tests the fragment
# itself. Builds in $CONFIG mode (release unless set; make test passes debug).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/limber-install.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
prefix="$work/prefix"
units="$work/units"
mkdir "$prefix" "$units"
printf 'include %s/mk/install.mk\n' "$root" >"$work/Makefile"

run_make() {
    make --no-print-directory -C "$root" -f "$work/Makefile" "$@" \
        PREFIX="$prefix" UNITDIR="$units" CONFIG="${CONFIG:-release}" >"$work/make.log" 2>&1 || {
        cat "$work/make.log" >&2
        echo "install-roundtrip: make $1 failed" >&2
        exit 1
    }
}

fail() {
    echo "install-roundtrip: $*" >&2
    exit 1
}

run_make install
for path in bin/limberd bin/limber share/limber/install-manifest \
    share/bash-completion/completions/limber share/zsh/site-functions/_limber \
    share/fish/vendor_completions.d/limber.fish share/man/man1/limber.1 share/man/man1/limberd.1; do
    [ -s "$prefix/$path" ] || fail "missing $prefix/$path"
done
[ -x "$prefix/bin/limberd" ] || fail "limberd is not executable"
[ -x "$prefix/libexec/limber/limber-tools" ] || fail "limber-tools is not installed in libexec/limber"

# Self-contained: nothing of the toolchain (its directory, found from swiftc on PATH) is
# needed at run time: no RPATH/RUNPATH into it, no Swift runtime or Foundation shared
# library, and ldd resolves nothing inside it.
swiftc=$(command -v swiftc) || fail "swiftc is not on PATH"
toolchain=$(dirname "$(dirname "$(readlink -f "$swiftc")")")
runtime='lib(swift[A-Za-z_]*|_?Foundation[A-Za-z_]*|dispatch|BlocksRuntime|CoreFoundation|XCTest|Testing)\.so'
for program in bin/limberd bin/limber libexec/limber/limber-tools; do
    binary="$prefix/$program"
    dynamic=$(readelf -d "$binary") || fail "readelf -d $binary failed"
    paths=$(printf '%s\n' "$dynamic" | grep -E '\((RPATH|RUNPATH)\)' || true)
    case "$paths" in *"$toolchain"* | */swift/linux*) fail "$program has a library path into the toolchain: $paths" ;; esac
    needed=$(printf '%s\n' "$dynamic" | grep '(NEEDED)' | grep -E "$runtime" || true)
    [ -z "$needed" ] || fail "$program needs the Swift runtime as shared libraries:
$needed"
    # The thin limber is fully static: nothing for ld.so to resolve.
    case "$dynamic" in *"no dynamic section"*) continue ;; esac
    resolved=$(ldd "$binary") || fail "ldd $binary failed"
    inside=$(printf '%s\n' "$resolved" | grep -F "$toolchain" || true)
    [ -z "$inside" ] || fail "$program loads libraries from the toolchain:
$inside"
    missing=$(printf '%s\n' "$resolved" | grep 'not found' || true)
    [ -z "$missing" ] || fail "$program needs libraries that are not installed:
$missing"
done
if [ "${CONFIG:-release}" = release ]; then
    readelf -d "$prefix/bin/limber" | grep -q "no dynamic section" || fail "the thin limber is not fully static"
fi
version=$("$prefix/bin/limber" --version) || fail "the installed limber does not run"
[ -n "$version" ] || fail "the installed limber --version printed nothing"
grep -qx "ExecStart=$prefix/bin/limberd" "$units/limberd.service" || fail "ExecStart does not name the installed limberd"
grep -qx "ExecReload=$prefix/bin/limber reload" "$units/limberd.service" || fail "ExecReload does not name the installed limber"
[ -s "$units/limberd.socket" ] || fail "limberd.socket not installed"

# The installed units, with the real binaries, must pass verification too.
mkdir -m 0700 "$work/runtime"
output=$(cd "$units" && XDG_RUNTIME_DIR="$work/runtime" SYSTEMD_UNIT_PATH="$units:" \
    systemd-analyze verify --user --man=no limberd.socket limberd.service 2>&1) || fail "verify: $output"
[ -z "$output" ] || fail "verify: $output"

# A second install must not forget what the first one created.
run_make install
run_make uninstall

leftovers=$(find "$prefix" "$units" -mindepth 1)
[ -z "$leftovers" ] || fail "left behind after uninstall:
$leftovers"
echo "install-roundtrip: install then uninstall leaves PREFIX and UNITDIR empty"
