#!/bin/sh
# bench/compare.sh OLD NEW [ROUNDS [SECONDS]] — runs two builds of bench_records in alternation
# over the vectors, every path, and prints for each path the median
# rate of each build and their ratio. On these shared, noisy machines only the ratio within one
# run means much; single rates vary by a quarter between runs.
#
#     bench/compare.sh ../old/build/bench/bench_records build/bench/bench_records 7
set -eu
old=$1
new=$2
rounds=${3:-7}
secs=${4:-1}
vec=${WHEA_VECTORS:-$(cd "$(dirname "$0")/.." && pwd)/../shared/vectors}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
# Rounds alternate which build goes first (old new, new old, ...), so that neither build always
# runs second: in one set run in fixed order, the second build was 13% faster on JSON -> binary,
# a path whose code the two builds shared (noise or order, it cannot tell; alternating cancels the
# order part).
while [ "$i" -lt "$rounds" ]; do
	if [ $((i % 2)) = 0 ]; then
		"$old" "$vec" "$secs" >>"$tmp/old"
		"$new" "$vec" "$secs" >>"$tmp/new"
	else
		"$new" "$vec" "$secs" >>"$tmp/new"
		"$old" "$vec" "$secs" >>"$tmp/old"
	fi
	i=$((i + 1))
done
# Lines look like "binary->JSON pretty   296793 records/s ...": the path, the rate, the unit.
/usr/bin/python3 - "$tmp/old" "$tmp/new" <<'PY'
import statistics, sys
def rates(path):
    out = {}
    for line in open(path):
        w = line.split()
        if "records/s" in w:
            i = w.index("records/s")
            out.setdefault(" ".join(w[:i - 1]), []).append(float(w[i - 1]))
    return out
old, new = rates(sys.argv[1]), rates(sys.argv[2])
print(f"{'path':24} {'old (median)':>14} {'new (median)':>14} {'new/old':>8}   rounds: {len(next(iter(old.values())))}")
for k in old:
    a, b = statistics.median(old[k]), statistics.median(new.get(k, [0]))
    print(f"{k:24} {a:14,.0f} {b:14,.0f} {b / a:8.2f}")
PY
