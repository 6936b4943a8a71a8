#!/usr/bin/python3
"""Where a process's resident memory is: /proc/PID/smaps summed per file and permission,
largest first (RSS, anonymous, private dirty, in kB). The trace behind limberd's idle RSS
figure: `python3 bench/smaps-top.py $(pgrep -n limberd)`."""
import collections
import re
import sys

if len(sys.argv) != 2:
    sys.exit("usage: smaps-top.py PID")
totals = collections.defaultdict(lambda: [0, 0, 0])
key = None
with open(f"/proc/{sys.argv[1]}/smaps") as smaps:
    for line in smaps:
        if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
            fields = line.split()
            key = ((fields[5] if len(fields) > 5 else "[anonymous]").split("/")[-1], fields[1])
        elif line.startswith("Rss:"):
            totals[key][0] += int(line.split()[1])
        elif line.startswith("Anonymous:"):
            totals[key][1] += int(line.split()[1])
        elif line.startswith("Private_Dirty:"):
            totals[key][2] += int(line.split()[1])
print(f"{'mapping':40} perm {'rss':>8} {'anon':>8} {'dirty':>8}")
for (name, perms), (rss, anon, dirty) in sorted(totals.items(), key=lambda item: -item[1][0])[:15]:
    print(f"{name[:40]:40} {perms} {rss:8} {anon:8} {dirty:8}")
print(f"{'total':40}      {sum(v[0] for v in totals.values()):8} {sum(v[1] for v in totals.values()):8} {sum(v[2] for v in totals.values()):8}")
