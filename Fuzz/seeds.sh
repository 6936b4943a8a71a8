#!/bin/sh
# Writes the fuzz targets' seed corpora into $1/<target>/ from the repository's own files
# (and the inputs in Fuzz/regressions/<target>/ that once crashed a target):
#   session  Sessions/*.yaml and the session scripts in docs/*.md and README.md
#   program  Programs/*.yaml and the programs in docs/*.md
#   config   the configs in docs/*.md and README.md (the YAML blocks that hold no step or stage)
#   control  the request lines in docs/protocol.md, one per command in its table, and all of
#            them on one connection; each prefixed with the byte fuzz-control reads as its
#            socket read size
# Seeds are regenerated on every run, so they follow the docs and never rot.
set -eu
out=${1:?usage: seeds.sh OUTPUT-DIRECTORY}
cd "$(dirname "$0")/.."
rm -rf "$out"
mkdir -p "$out/session" "$out/program" "$out/config" "$out/control"
cp Sessions/*.yaml "$out/session/"
cp Programs/*.yaml "$out/program/"
# Inputs that once crashed a target (each also a unit test): every run tries them again.
for target in session config program control; do
    for input in Fuzz/regressions/$target/*; do
        [ -f "$input" ] && cp "$input" "$out/$target/regression-$(basename "$input")"
    done
done

# Every ```yaml block of the docs, one file each, sorted by what its top level holds.
for doc in docs/*.md README.md; do
    awk -v out="$out" -v stem="$(basename "$doc" .md)" '
        /^```yaml/ { inside = 1; n++; text = ""; next }
        /^```/ && inside {
            inside = 0
            kind = "config"
            if (text ~ /(steps|do|for|rest|reps|inhale|repeat|include):/) kind = "session"
            if (text ~ /stages:/) kind = "program"
            file = out "/" kind "/" stem "-" n ".yaml"
            printf "%s", text > file
            close(file)
            next
        }
        inside { text = text $0 "\n" }
    ' "$doc"
done

# Request lines as docs/protocol.md shows them, and one request per command in its table.
grep -h '^{.*"cmd"' docs/protocol.md >"$out/requests" || true
sed -n '/^| cmd | args/,/^$/s/^| `\([a-z-]*\)` |.*/\1/p' docs/protocol.md | awk '{ printf "{\"id\":%d,\"cmd\":\"%s\"}\n", NR, $1 }' >>"$out/requests"
cat >>"$out/requests" <<'REQUESTS'
{"id":"s","cmd":"show","args":{"script":"name: T\nkind: exercise\ndescription: d\nsteps:\n  - do: X\n    for: 2s\n","path":"t.yaml"}}
{"id":[1],"cmd":"start","args":{"id":"box-breathing","replace":true}}
{"id":null,"cmd":"sound-test","args":{"cues":["tick","bell"]}}
{"id":9,"cmd":"break-snooze","args":{"duration":"10m"}}
{"id":10,"cmd":"breaks-off","args":{"until":"14:00"}}
{"id":11,"cmd":"breaks-off","args":{"for":"1h"}}
{"id":12,"cmd":"breaks-off","args":{"indefinitely":true}}
REQUESTS
n=0
while IFS= read -r line; do
    n=$((n + 1))
    printf '\007%s\n' "$line" >"$out/control/request-$n"
done <"$out/requests"
{ printf '\003'; cat "$out/requests"; } >"$out/control/all-requests"
rm "$out/requests"
