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
echo "cli: $pass passed, $fail failed"
[ $fail = 0 ]
