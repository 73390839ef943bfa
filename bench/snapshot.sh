#!/bin/sh
# bench/snapshot.sh — writes every output of `whea` (text, hex dump, JSON, pretty JSON, JSON Lines,
# validate, and the binary `whea encode` makes from the JSON) for a fixed set of inputs into a
# directory, so that a speed change can be checked byte for byte against the code before it:
#
#     bench/snapshot.sh OLD-BUILD/tools/whea/whea /tmp/before
#     bench/snapshot.sh build/tools/whea/whea /tmp/after
#     diff -r /tmp/before /tmp/after && echo identical
#
# Inputs: the vectors (../shared/vectors or $WHEA_VECTORS), the fuzz_record and fuzz_json_encode
# corpora, the `whea examples` records, and 24 deterministic mutations of every vector record
# (bytes overwritten, lengths cut) made by tests/mutate.py.
set -eu
whea=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
mkdir -p "$2"
out=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")/.." && pwd)
vec=${WHEA_VECTORS:-$here/../shared/vectors}
rm -rf "$out"
mkdir -p "$out/in" "$out/out"
"$whea" examples -o "$out/in" >/dev/null
for f in "$vec"/*.bin "$here"/fuzz/corpus/fuzz_record/*; do
	[ -f "$f" ] && cp "$f" "$out/in/$(basename "$f").bin"
done
/usr/bin/python3 "$here/tests/mutate.py" 24 "$vec" "$out/in"
# Names relative to the input folder: the messages quote them, and must not depend on $out.
cd "$out/in"
for f in *; do
	n=$f
	o=$out/out/$n
	for mode in "" "--hexdump" "--json" "--json --pretty" "--jsonl"; do
		# shellcheck disable=SC2086
		"$whea" decode --tolerant $mode "$f" >>"$o" 2>&1 || echo "exit $?" >>"$o"
	done
	"$whea" validate "$f" >>"$o" 2>&1 || echo "exit $?" >>"$o"
	if "$whea" decode --tolerant --json "$f" >"$n.json" 2>/dev/null; then
		"$whea" encode -o "$o.enc" "$n.json" >>"$o" 2>&1 || echo "encode exit $?" >>"$o"
	fi
	rm -f "$n.json"
done
cd "$here/fuzz/corpus/fuzz_json_encode"
for f in *; do
	o=$out/out/json-$f
	"$whea" encode -o "$o.enc" "$f" >"$o" 2>&1 || echo "exit $?" >>"$o"
done
echo "$(ls "$out/in" | wc -l) inputs, $(ls "$out/out" | wc -l) output files in $out/out"
