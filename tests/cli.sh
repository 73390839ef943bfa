#!/usr/bin/env bash
# tests/cli.sh WHEA VECTOR_DIR — the CLI as a user meets it: exit codes, round trips through
# decode --json | encode, bad input (truncated, garbage, bad JSON) giving clear errors, not crashes.
set -u
whea=$1 vec=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
expect_rc() { # want cmd...
	local want=$1; shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	if [ $rc = "$want" ]; then ok; else bad "$* exited $rc, expected $want: $(head -c 300 "$tmp/err")"; fi
}
expect_rc 0 "$whea" --version
expect_rc 2 "$whea" no-such-command
expect_rc 2 "$whea" decode --no-such-option
expect_rc 2 "$whea" decode /nonexistent/file
for opts in "--json --jsonl" "--text --json" "--pretty" "--jsonl --pretty" "--json --hexdump" "--jsonl --hexdump"; do
	expect_rc 2 "$whea" decode $opts /dev/null
	grep -q "decode: " "$tmp/err" && ok || bad "decode $opts: no usage message"
done
expect_rc 0 "$whea" sections
( cd "$tmp" && "$whea" examples >/dev/null ) && ok || bad "examples"
for f in "$tmp"/*.cper; do
	expect_rc 0 "$whea" validate "$f"
	"$whea" decode --json "$f" >"$tmp/r.json" && "$whea" encode -o "$tmp/r.bin" "$tmp/r.json" && cmp -s "$f" "$tmp/r.bin" && ok || bad "round trip of $f through the CLI"
done
if [ -d "$vec" ]; then
	cat "$vec"/win_*.bin >"$tmp/all.bin"
	expect_rc 0 "$whea" validate "$tmp/all.bin"
	n=$("$whea" decode --jsonl "$tmp/all.bin" | wc -l)
	[ "$n" = "$(ls "$vec"/win_*.bin | wc -l)" ] && ok || bad "decode --jsonl of concatenated records gave $n lines"
	"$whea" decode --jsonl "$tmp/all.bin" | "$whea" encode -o "$tmp/all2.bin" && cmp -s "$tmp/all.bin" "$tmp/all2.bin" && ok || bad "JSON Lines round trip"
	head -c 150 "$vec/win_dwr_memory_padded.bin" >"$tmp/trunc.bin"
	expect_rc 1 "$whea" validate "$tmp/trunc.bin"
	grep -q "offset\|byte" "$tmp/out" "$tmp/err" && ok || bad "truncated record message names no offset"
	xxd -p "$vec/win_dwr_memory_padded.bin" >"$tmp/hex.txt"
	expect_rc 0 "$whea" decode "$tmp/hex.txt"
	base64 "$vec/win_dwr_memory_padded.bin" >"$tmp/b64.txt"
	expect_rc 0 "$whea" decode "$tmp/b64.txt"
	# PCI addresses in their usual notation, beside the separate fields.
	"$whea" decode "$vec/win_edk2_t11_fatal_pcie_procgen.bin" >"$tmp/out" 2>&1
	grep -q "^ *PCI location: 0000:17:00.0$" "$tmp/out" && ok || bad "PCIe device: no 'PCI location: 0000:17:00.0' line"
	"$whea" decode "$vec/libcper_dmargeneric.bin" >"$tmp/out" 2>&1
	grep -q "^ *Requester PCI location: cbdb:bf:0d.1$" "$tmp/out" && ok || bad "DMAr: no requester location line"
	"$whea" decode --json "$vec/win_edk2_t11_fatal_pcie_procgen.bin" | grep -q "Location" && bad "JSON carries the derived location" || ok
	# An empty list says so under its heading instead of leaving it bare.
	"$whea" decode "$vec/win_dwr_amd_fatal_mce_4sec.bin" | grep -A1 "Extra bank numbers:$" | grep -q "^ *(none)$" && ok ||
		bad "empty array in text: no '(none)' line"
	# A sound header with an error inside a section (an ARM context array longer than the
	# section): decode's exit status comes from its one walk of the sections.
	cp "$vec/libcper_arm.bin" "$tmp/secterr.bin"
	printf '\377\377\377\377\0\0\0\0' | dd of="$tmp/secterr.bin" bs=1 seek=306 conv=notrunc status=none
	for m in --text --json --jsonl; do expect_rc 1 "$whea" decode $m "$tmp/secterr.bin"; done
	grep -q "contextInfo" "$tmp/out" && ok || bad "decode --jsonl of a section error does not name the field"
	expect_rc 0 "$whea" decode --tolerant "$tmp/secterr.bin"
	expect_rc 1 "$whea" validate "$tmp/secterr.bin"
else
	echo "SKIP vector CLI checks: $vec not found"
fi
head -c 4096 /dev/urandom >"$tmp/garbage.bin"
expect_rc 1 "$whea" validate "$tmp/garbage.bin"
echo '{"header":{},"sectionDescriptors":[{}],"sections":[{"Memory":{"node":"x"}}]}' >"$tmp/bad.json"
expect_rc 1 "$whea" encode -o "$tmp/bad.bin" "$tmp/bad.json"
grep -q 'sections\[0\].Memory.node' "$tmp/err" && ok || bad "bad JSON error lacks the JSON path: $(cat "$tmp/err")"

# ---- regressions found by the issue 2 acceptance audit ----
expect_msg() { # regex: the last command's stderr or stdout must match it
	grep -qE "$1" "$tmp/err" "$tmp/out" && ok || bad "message lacks /$1/: $(head -c 300 "$tmp/err")"
}
# Output that cannot be written is an I/O error, usage texts included.
for c in decode validate encode build sections schema examples demo store; do
	"$whea" "$c" --help >/dev/full 2>"$tmp/err"
	[ $? = 2 ] && grep -q "write error" "$tmp/err" && ok || bad "$c --help to a full disk did not fail"
done
expect_rc 2 "$whea" help no-such-command
expect_rc 2 "$whea" encode -o "" /dev/null
expect_msg "output file name is empty"
# JSON errors give the line and column in the whole file, not within the record.
rec=$(ls "$tmp"/*.cper | head -1)
"$whea" decode --jsonl "$rec" >"$tmp/one.jsonl"
{ cat "$tmp/one.jsonl" "$tmp/one.jsonl"; sed 's/"sectionCount":1/"sectionCount":01/' "$tmp/one.jsonl"; } >"$tmp/three.jsonl"
expect_rc 1 "$whea" encode -o "$tmp/x.bin" "$tmp/three.jsonl"
expect_msg "record 3 .*line 3, column [0-9]+: leading zeros"
"$whea" decode --json --pretty "$rec" | sed 's/"sectionCount": 1/"sectionCount": true/' >"$tmp/pretty.json"
line=$(grep -n '"sectionCount"' "$tmp/pretty.json" | cut -d: -f1)
expect_rc 1 "$whea" encode -o "$tmp/x.bin" "$tmp/pretty.json"
expect_msg "line $line, column [0-9]+: .*sectionCount"
# A truncated JSON file: where the text ends, by JSON path.
head -c 300 "$tmp/one.jsonl" >"$tmp/cut.json"
expect_rc 1 "$whea" encode -o "$tmp/x.bin" "$tmp/cut.json"
expect_msg "never closes: line 1, column [0-9]+: .*at [$][.]header"
expect_rc 1 "$whea" encode -o "$tmp/x.bin" "$rec"
expect_msg "binary CPER record .*whea decode --json"
# A record cut to 1..3 bytes is a truncated record, not hex or base64 text.
for n in 1 2 3; do
	head -c $n "$rec" >"$tmp/cut.bin"
	expect_rc 1 "$whea" validate "$tmp/cut.bin"
	expect_msg "record is truncated: $n of the 128 bytes"
done
# A Generic Error Status Block (BERT) cut short says what is missing, not "no CPER record".
python3 - "$rec" "$tmp/gesb.bin" <<'PY'
import struct, sys
r = open(sys.argv[1], 'rb').read()
off, ln = struct.unpack_from('<II', r, 128)
entry = r[144:160] + struct.pack('<IHBBI', 2, 0x201, 0, 1, ln) + bytes(36) + r[off:off + ln]
open(sys.argv[2], 'wb').write(struct.pack('<IIIII', 1 | 1 << 4, 0, 0, len(entry), 2) + entry)
PY
expect_rc 0 "$whea" validate "$tmp/gesb.bin"
head -c 100 "$tmp/gesb.bin" >"$tmp/gesb-cut.bin"
expect_rc 1 "$whea" validate "$tmp/gesb-cut.bin"
expect_msg "offset 0: .*Status Block .*DataLength [0-9]+ runs past the 100 bytes present"
xxd -p "$tmp/gesb-cut.bin" >"$tmp/gesb-cut.hex"
expect_rc 1 "$whea" decode "$tmp/gesb-cut.hex"
expect_msg "DataLength [0-9]+ runs past the 100 bytes present"
# Hex or base64 text of a record with one bad character: the decoder names it and its offset (the
# text was taken for the other kind, or for garbage, and "no CPER record" was all it said).
xxd -p "$rec" | sed '3s/^../zz/' >"$tmp/bad.hex"
expect_rc 1 "$whea" validate "$tmp/bad.hex"
expect_msg "offset [0-9]+: error: hex text: bad character 'z'"
{ xxd -p "$rec"; echo 4; } >"$tmp/odd.hex"
expect_rc 1 "$whea" validate "$tmp/odd.hex"
expect_msg "hex text: odd number of hex digits"
base64 "$rec" | sed '2s/^./*/' >"$tmp/bad.b64"
expect_rc 1 "$whea" validate "$tmp/bad.b64"
expect_msg "offset [0-9]+: error: base64 text: bad character '[*]'"
# A --json-section file that is not one JSON object: the message names the file and its own place.
printf '{"node": 1\n' >"$tmp/section.json"
expect_rc 1 "$whea" build -t Memory --json-section "$tmp/section.json" -o "$tmp/x.bin"
expect_msg "section.json: --json-section: line 2, column 1: expected ',' or '}', got end of input"
printf '{"node": 1}\n{"card": 2}\n' >"$tmp/section.json"
expect_rc 1 "$whea" build -t Memory --json-section "$tmp/section.json" -o "$tmp/x.bin"
expect_msg "section.json: --json-section: line 2, column 1: "
# A command that fails before it has a record to write leaves an existing output file alone.
echo keep >"$tmp/keep.bin"
expect_rc 1 "$whea" encode -o "$tmp/keep.bin" "$tmp/bad.json"
expect_rc 1 "$whea" build -t Memory -f no-such-field=1 -o "$tmp/keep.bin"
[ "$(cat "$tmp/keep.bin")" = keep ] && ok || bad "a failed encode or build emptied its output file"
expect_rc 2 "$whea" encode -o "$tmp/no/such/dir/x.bin" "$tmp/one.jsonl"
expect_msg "x.bin: cannot create"
# store write --batch of an input without records fails as the plain write does.
expect_rc 1 "$whea" store write --store "$tmp/st" --batch /dev/null
expect_msg "no CPER records found"
# An empty --store is refused (the library would take the default store); WHEA_STORE_DIR keeps a
# regression inside $tmp.
WHEA_STORE_DIR=$tmp/default-store expect_rc 2 "$whea" store write --store "" "$rec"
expect_msg "store needs a directory, got an empty name"
[ ! -e "$tmp/default-store" ] && ok || bad "store write --store '' wrote to the default store"

echo "cli: $pass passed, $fail failed"
[ $fail = 0 ]
