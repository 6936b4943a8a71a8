#!/bin/sh
# Installs files while recording them in a manifest, and removes exactly what a
# manifest lists. Used by mk/install.mk.
#
#   manifest.sh install MANIFEST MODE SOURCE DESTINATION
#       Copies SOURCE to DESTINATION with MODE, creating missing parent
#       directories; records the file ("f PATH") and each directory it created
#       ("d PATH").
#   manifest.sh uninstall MANIFEST
#       Removes the listed files, then the listed directories that are empty
#       (deepest first), then the manifest and its directory if now empty.
#
# The manifest is plain text, one "KIND PATH" entry per line, so a person can
# read what was installed. Paths may contain spaces but not newlines.
set -eu

record() {
    # Keep the first occurrence: reinstalling must not lose directories that an
    # earlier install created.
    if [ ! -f "$manifest" ] || ! grep -Fqx -- "$1" "$manifest"; then
        printf '%s\n' "$1" >>"$manifest"
    fi
}

make_parents() {
    # Creates the missing ancestors of $1, then records each one (the manifest
    # may live in one of them).
    directory=$(dirname -- "$1")
    missing=""
    while [ ! -d "$directory" ]; do
        missing="$directory
$missing"
        directory=$(dirname -- "$directory")
    done
    printf '%s' "$missing" | while IFS= read -r path; do
        [ -n "$path" ] && mkdir -m 0755 -- "$path"
    done
    printf '%s' "$missing" | while IFS= read -r path; do
        [ -n "$path" ] && record "d $path"
    done
    return 0
}

command=${1:-}
case "$command" in
install)
    [ $# -eq 5 ] || { echo "usage: $0 install MANIFEST MODE SOURCE DESTINATION" >&2; exit 2; }
    manifest=$2 mode=$3 source=$4 destination=$5
    make_parents "$manifest"
    [ -f "$manifest" ] || : >"$manifest"
    make_parents "$destination"
    cp -- "$source" "$destination.tmp.$$"
    chmod "$mode" "$destination.tmp.$$"
    mv -f -- "$destination.tmp.$$" "$destination"
    record "f $destination"
    ;;
uninstall)
    [ $# -eq 2 ] || { echo "usage: $0 uninstall MANIFEST" >&2; exit 2; }
    manifest=$2
    if [ ! -f "$manifest" ]; then
        echo "nothing to uninstall: no manifest at $manifest (was limber installed with this PREFIX?)" >&2
        exit 1
    fi
    while IFS= read -r entry; do
        case "$entry" in
        "f "*) rm -f -- "${entry#f }" ;;
        esac
    done <"$manifest"
    # Deeper directories have longer paths: remove them first. rmdir leaves any
    # directory the user has since put files into.
    directories=$(sed -n 's/^d //p' "$manifest" | awk '{ print length($0) "\t" $0 }' | sort -rn | cut -f2-)
    rm -f -- "$manifest"
    printf '%s\n' "$directories" | while IFS= read -r path; do
        [ -n "$path" ] || continue
        rmdir -- "$path" 2>/dev/null || true
    done
    ;;
*)
    echo "usage: $0 install|uninstall ..." >&2
    exit 2
    ;;
esac
