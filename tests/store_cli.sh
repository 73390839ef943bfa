#!/usr/bin/env bash
# tests/store_cli.sh WHEA VECTOR_DIR — `whea store` as a user meets it: records written and read
# back byte-identical, the next-id chain, not-found answers, clear, stat, verify on good and damaged
# stores (a flipped byte, a torn tail), a directory of garbage, a read-only directory, a small
# capacity, --dummy and --batch. Prints "store_cli: N passed, N failed".
set -u
whea=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") vec=$2
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { # description command... : passes when the command succeeds
	local what=$1; shift
	if "$@"; then ok; else bad "$what"; fi
}
expect_rc() { # want cmd... (stdout in $tmp/out, stderr in $tmp/err)
	local want=$1; shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	if [ $rc = "$want" ]; then ok; else bad "$* exited $rc, expected $want: $(head -c 400 "$tmp/err")"; fi
}
err_has() { # pattern: stderr of the last expect_rc matches
	if grep -qiE -- "$1" "$tmp/err"; then ok; else bad "message lacks /$1/: $(head -c 400 "$tmp/err")"; fi
}
out_has() {
	if grep -qiE -- "$1" "$tmp/out"; then ok; else bad "output lacks /$1/: $(head -c 400 "$tmp/out")"; fi
}
S() { "$whea" store "$@"; } # the command under test
# Byte offsets of the records ("CPER") in a store's log.
rec_offsets() { grep -obUa CPER "$1/store.log" | cut -d: -f1; }
# Changes the byte at offset $2 of file $1.
flip_byte() {
	local v
	v=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	if [ "$v" = 255 ]; then printf '\000'; else printf '\377'; fi | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# ---- usage ----
expect_rc 0 "$whea" store --help
out_has 'write'
for sub in write read ls clear stat verify compact; do
	expect_rc 0 S "$sub" --help
done
expect_rc 2 S
expect_rc 2 S no-such-subcommand
expect_rc 2 S ls --no-such-option
expect_rc 2 S read --store "$tmp/none"
expect_rc 2 S read --store "$tmp/none" not-an-id
expect_rc 2 S write --store "$tmp/none" --capacity 12Q
expect_rc 2 S write --store "$tmp/none" --capacity 1 /dev/null # below the minimum
[ ! -e "$tmp/none" ] && ok || bad "a refused capacity created a store"
expect_rc 2 S clear --store "$tmp/none"
expect_rc 2 S write --store "$tmp/none2" "$tmp/no-such-file"
expect_rc 2 S write --store "$tmp/none" --backend no-such-backend /dev/null
expect_rc 1 S ls --store "$tmp/none"
err_has "$tmp/none"
[ ! -e "$tmp/none/store.log" ] && ok || bad "a read-only subcommand created a store"

# ---- the example records: write, ls, read back ----
mkdir -p "$tmp/ex"
(cd "$tmp/ex" && "$whea" examples >/dev/null) && ok || bad "whea examples"
st=$tmp/st
expect_rc 0 S write --store "$st" "$tmp"/ex/*.cper
[ "$(wc -l <"$tmp/out")" = 4 ] && ok || bad "write of 4 examples printed $(wc -l <"$tmp/out") ids"
i=0
for f in "$tmp"/ex/*.cper; do
	i=$((i + 1))
	id=$(sed -n "${i}p" "$tmp/out")
	S read --store "$st" -o "$tmp/back.bin" "$id" && cmp -s "$f" "$tmp/back.bin" && ok || bad "read $id of $f is not byte-identical"
done
cp "$tmp/out" "$tmp/ex_ids"
expect_rc 0 S ls --store "$st"
[ "$(wc -l <"$tmp/out")" = 4 ] && ok || bad "ls shows $(wc -l <"$tmp/out") records, expected 4"
for id in $(cat "$tmp/ex_ids"); do grep -q "^$id " "$tmp/out" && ok || bad "ls lacks $id"; done
expect_rc 0 S --json --store "$st" ls # options before the subcommand
[ "$(grep -c '^{"id":"0x' "$tmp/out")" = 4 ] && ok || bad "ls --json: $(head -c 300 "$tmp/out")"
# read first = the first line of ls; "0" is the same
first=$(S ls --store "$st" | head -1 | cut -d' ' -f1)
S read --store "$st" first >"$tmp/a.bin" && S read --store "$st" "$first" >"$tmp/b.bin" && S read --store "$st" 0 >"$tmp/c.bin" &&
	cmp -s "$tmp/a.bin" "$tmp/b.bin" && cmp -s "$tmp/a.bin" "$tmp/c.bin" && ok || bad "read first/0/$first differ"
# decimal ids work as well as hex
dec=$(S ls --store "$st" | head -1 | awk '{print $2}')
S read --store "$st" "$dec" | cmp -s - "$tmp/a.bin" && ok || bad "read by decimal id $dec"
# decoded output: text, and JSON that encodes back to the same bytes
expect_rc 0 S read --store "$st" --text "$first"
out_has 'severity'
S read --store "$st" --json "$first" | "$whea" encode -o "$tmp/j.bin" && cmp -s "$tmp/j.bin" "$tmp/a.bin" && ok || bad "read --json | encode round trip"
# $WHEA_STORE_DIR is the default store
WHEA_STORE_DIR=$st "$whea" store ls >"$tmp/out" 2>&1 && [ "$(wc -l <"$tmp/out")" = 4 ] && ok || bad "WHEA_STORE_DIR: $(head -c 300 "$tmp/out")"

# ---- not found, clear ----
expect_rc 1 S read --store "$st" 0x1234
err_has 'no record 0x0000000000001234'
err_has "$st"
id=$(head -1 "$tmp/ex_ids")
expect_rc 0 S clear --store "$st" "$id"
expect_rc 1 S read --store "$st" "$id"
err_has 'no record'
expect_rc 1 S clear --store "$st" "$id"
expect_rc 0 S stat --store "$st" --json
out_has '"count":3[,}]'
expect_rc 0 S stat --store "$st"
out_has '^records: +3$'
expect_rc 0 S verify --store "$st"
out_has '3 records, 0 problems'
expect_rc 0 S compact --store "$st"
for i in 2 3 4; do
	id=$(sed -n "${i}p" "$tmp/ex_ids") f=$(ls "$tmp"/ex/*.cper | sed -n "${i}p")
	S read --store "$st" "$id" | cmp -s - "$f" && ok || bad "record $id after compaction"
done
expect_rc 0 S clear --all --store "$st"
[ "$(wc -l <"$tmp/out")" = 3 ] && ok || bad "clear --all cleared $(wc -l <"$tmp/out") records, expected 3"
expect_rc 0 S ls --store "$st"
[ ! -s "$tmp/out" ] && ok || bad "ls after clear --all: $(head -c 200 "$tmp/out")"
expect_rc 1 S read --store "$st" first
err_has 'empty'

# ---- --dummy stores nothing, --batch stores all ----
expect_rc 0 S write --dummy --store "$tmp/dummy" "$tmp"/ex/*.cper
[ ! -s "$tmp/out" ] && ok || bad "--dummy printed ids"
expect_rc 0 S write --dummy --store "$tmp/dummy"
expect_rc 0 S stat --json --store "$tmp/dummy"
out_has '"count":0[,}]'
expect_rc 0 S write --batch --store "$tmp/batch" "$tmp"/ex/*.cper
cmp -s "$tmp/out" "$tmp/ex_ids" && ok || bad "--batch printed other ids: $(cat "$tmp/out")"
for f in "$tmp"/ex/*.cper; do
	id=$(sed -n "$(ls "$tmp"/ex/*.cper | grep -nx "$f" | cut -d: -f1)p" "$tmp/ex_ids")
	S read --store "$tmp/batch" "$id" | cmp -s - "$f" && ok || bad "--batch record $id"
done
expect_rc 0 S write --backend mem "$tmp"/ex/*.cper

# ---- the vectors: each written and read back, the invalid ones refused ----
if [ -d "$vec" ]; then
	written=0 refused=0
	: >"$tmp/vec_ids"
	for f in "$vec"/*.bin; do
		S write --store "$tmp/v" "$f" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		if [ $rc = 0 ]; then
			written=$((written + 1))
			id=$(cat "$tmp/out")
			echo "$id" >>"$tmp/vec_ids"
			S read --store "$tmp/v" "$id" >"$tmp/back.bin" && cmp -s "$tmp/back.bin" "$f" && ok || bad "vector $f ($id) does not read back identical"
		elif [ $rc = 1 ] && grep -q "not written" "$tmp/err" && [ ! -s "$tmp/out" ]; then
			refused=$((refused + 1))
			ok
		else
			bad "vector $f: write exited $rc: $(head -c 300 "$tmp/err")"
		fi
	done
	[ $written -gt 20 ] && [ $refused -ge 2 ] && ok || bad "vectors: $written written, $refused refused"
	uniq_ids=$(sort -u "$tmp/vec_ids" | wc -l)
	S stat --json --store "$tmp/v" | grep -q "\"count\":$uniq_ids[,}]" && ok || bad "stat count is not $uniq_ids"
	[ "$(S ls --store "$tmp/v" | wc -l)" = "$uniq_ids" ] && ok || bad "ls does not list $uniq_ids records"
	[ -z "$(S ls --store "$tmp/v" | cut -d' ' -f1 | sort | uniq -d)" ] && ok || bad "ls (the next-id chain) shows a record twice"
	for id in $(sort -u "$tmp/vec_ids"); do
		S read --store "$tmp/v" --text "$id" >/dev/null && S read --store "$tmp/v" --json "$id" >/dev/null && ok || bad "read --text/--json $id"
	done
	# The id-0 record is refused with a clear message.
	expect_rc 1 S write --store "$tmp/v" "$vec/win_dwr_boot_rev0101.bin"
	err_has 'record id 0 is reserved'
	# All in one input: the invalid ones refused, the rest written (one by one, and in a batch).
	# Vectors cut short (RecordLength beyond the end of the file) are left out: in a
	# concatenation they would swallow the start of the next record.
	: >"$tmp/all.bin"
	for f in "$vec"/*.bin; do
		[ "$(od -An -tu4 -j20 -N4 "$f" | tr -d ' ')" -le "$(stat -c %s "$f")" ] && cat "$f" >>"$tmp/all.bin"
	done
	for mode in "" --batch; do
		rm -rf "$tmp/v2"
		expect_rc 1 S write $mode --store "$tmp/v2" "$tmp/all.bin"
		[ "$(wc -l <"$tmp/out")" = "$written" ] && ok || bad "write $mode of all vectors wrote $(wc -l <"$tmp/out") records"
		err_has 'not written'
		expect_rc 0 S verify --store "$tmp/v2"
	done
	# The walk along the chain and the reads agree.
	for id in $(S ls --store "$tmp/v2" | cut -d' ' -f1); do
		S read --store "$tmp/v2" "$id" -o "$tmp/back.bin" && [ -s "$tmp/back.bin" ] && ok || bad "record $id listed but not read"
	done
	# A small capacity: "not enough space", and what was written stays readable.
	expect_rc 1 S write --store "$tmp/cap" --capacity 8K "$tmp/all.bin"
	err_has 'not enough space'
	err_has "$tmp/cap"
	grep -q 'skipped' "$tmp/err" && bad "all.bin has garbage: $(head -c 300 "$tmp/err")" || ok
	n=$(wc -l <"$tmp/out")
	[ "$n" -ge 1 ] && ok || bad "--capacity 8K: nothing written"
	for id in $(cat "$tmp/out"); do
		S read --store "$tmp/cap" "$id" -o "$tmp/back.bin" && "$whea" validate -q "$tmp/back.bin" && ok || bad "record $id in the full store"
	done
	expect_rc 0 S verify --store "$tmp/cap"
	expect_rc 0 S stat --store "$tmp/cap" --json
	out_has '"capacity":8192[,}]'
else
	echo "SKIP vector store checks: $vec not found"
fi

# ---- damage: a flipped byte in a frame's payload ----
mk3() { # dir: a store with the first three examples, written one by one
	rm -rf "$1"
	for f in $(ls "$tmp"/ex/*.cper | head -3); do S write --store "$1" "$f" >/dev/null || bad "write to $1"; done
}
ex() { ls "$tmp"/ex/*.cper | sed -n "$1p"; }
exid() { sed -n "$1p" "$tmp/ex_ids"; }
d=$tmp/flip
mk3 "$d"
offs=($(rec_offsets "$d"))
[ ${#offs[@]} = 3 ] && ok || bad "expected 3 records in store.log, found ${#offs[@]}"
flip_byte "$d/store.log" $((offs[1] + 60))
expect_rc 1 S verify --store "$d"
out_has "$d/store.log: offset [0-9]+"
S read --store "$d" "$(exid 1)" | cmp -s - "$(ex 1)" && ok || bad "record before the flipped byte lost"
S read --store "$d" "$(exid 3)" | cmp -s - "$(ex 3)" && ok || bad "record after the flipped byte lost"
expect_rc 1 S read --store "$d" "$(exid 2)"
expect_rc 0 S stat --json --store "$d"
out_has '"damaged":[1-9]'
# a writer opening the damaged store keeps the good records
expect_rc 0 S write --store "$d" "$(ex 4)"
S read --store "$d" "$(exid 1)" | cmp -s - "$(ex 1)" && ok || bad "record 1 lost after a write to a damaged store"

# ---- damage: a torn tail (the file cut inside the last frame) ----
d=$tmp/torn
mk3 "$d"
offs=($(rec_offsets "$d"))
truncate -s $((offs[2] + 40)) "$d/store.log"
expect_rc 1 S verify --store "$d"
out_has "$d/store.log: offset [0-9]+"
for i in 1 2; do S read --store "$d" "$(exid $i)" | cmp -s - "$(ex $i)" && ok || bad "record $i before the torn tail lost"; done
expect_rc 1 S read --store "$d" "$(exid 3)"
expect_rc 0 S write --store "$d" "$(ex 4)" # opening for writing cuts the torn tail
expect_rc 0 S verify --store "$d"
for i in 1 2 4; do S read --store "$d" "$(exid $i)" | cmp -s - "$(ex $i)" && ok || bad "record $i after repair"; done

# ---- a directory of garbage ----
d=$tmp/garbage
mkdir -p "$d"
for n in store.log store.lock store.log.tmp junk; do head -c 5000 /dev/urandom >"$d/$n"; done
for sub in ls stat verify; do
	S "$sub" --store "$d" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -le 2 ] && ok || bad "$sub on garbage exited $rc (crash?)"
done
expect_rc 1 S verify --store "$d"
grep -q "$d/store.log" "$tmp/out" "$tmp/err" && ok || bad "verify of garbage does not name store.log: $(head -c 300 "$tmp/out" "$tmp/err")"
d=$tmp/garbage2 # garbage beside the store's files: ignored
mkdir -p "$d"
for n in a b c; do head -c 3000 /dev/urandom >"$d/$n"; done
expect_rc 0 S write --store "$d" "$(ex 1)"
S read --store "$d" "$(exid 1)" | cmp -s - "$(ex 1)" && ok || bad "store among garbage files"

# ---- a read-only store directory ----
if [ "$(id -u)" = 0 ]; then
	echo "SKIP read-only directory checks: running as root"
else
	d=$tmp/ro
	mk3 "$d"
	chmod a-w "$d" "$d"/*
	expect_rc 0 S ls --store "$d"
	[ "$(wc -l <"$tmp/out")" = 3 ] && ok || bad "ls of a read-only store"
	expect_rc 0 S verify --store "$d"
	expect_rc 0 S stat --store "$d"
	S read --store "$d" "$(exid 2)" | cmp -s - "$(ex 2)" && ok || bad "read from a read-only store"
	expect_rc 2 S write --store "$d" "$(ex 4)"
	err_has "$d"
	expect_rc 2 S clear --store "$d" "$(exid 1)"
	S read --store "$d" "$(exid 1)" | cmp -s - "$(ex 1)" && ok || bad "record lost in a read-only store"
	chmod u+w "$d" "$d"/*
fi

echo "store_cli: $pass passed, $fail failed"
[ $fail = 0 ]
