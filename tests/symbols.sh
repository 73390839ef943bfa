#!/usr/bin/env bash
# tests/symbols.sh LIBWHEA_SO INCLUDE_DIR — the exported symbol list of the shared library: every
# dynamic symbol it defines carries the whea_ prefix (WHEA_ for constants such as
# WHEA_CREATOR_WINDOWS), and the set equals the declarations marked WHEA_API in the public headers,
# both ways: nothing leaks out that is not declared, nothing declared is missing.
set -u
so=$1 inc=$2
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! nm -D --defined-only "$so" >"$tmp/nm"; then
	echo "symbols: 0 passed, 1 failed"; exit 1
fi
# ASan builds add an ODR indicator "__odr_asan.X" next to each exported variable X: an artefact of
# the instrumentation, not of the API; it is ignored when X itself is exported.
awk 'NF >= 3 { print $3 }' "$tmp/nm" | sed 's/@.*//' | sort -u >"$tmp/all"
grep -v '^__odr_asan\.' "$tmp/all" >"$tmp/exported"
grep '^__odr_asan\.' "$tmp/all" | sed 's/^__odr_asan\.//' | while read -r s; do
	grep -qx "$s" "$tmp/exported" || echo "__odr_asan.$s"
done >>"$tmp/exported"
# A declaration is one line starting with WHEA_API; its name is the identifier before "(" (a
# function) or before ";" / "[" (an object).
grep -h '^[[:space:]]*WHEA_API[[:space:]]' "$inc"/*.h | sed -E 's/\(.*//; s/;.*//; s/\[.*//; s/[[:space:]]+$//' |
	grep -oE '[A-Za-z_][A-Za-z0-9_]*$' | sort -u >"$tmp/declared"
ndecl_lines=$(cat "$inc"/*.h | grep -c '^[[:space:]]*WHEA_API[[:space:]]')

[ -s "$tmp/exported" ] && ok || bad "$so exports nothing"
[ "$(wc -l <"$tmp/declared")" = "$ndecl_lines" ] && ok ||
	bad "$ndecl_lines WHEA_API lines but $(wc -l <"$tmp/declared") distinct names parsed from them"
while read -r s; do
	case $s in
	whea_* | WHEA_*) ok ;;
	*) bad "exported symbol without the whea_ prefix: $s" ;;
	esac
done <"$tmp/exported"
while read -r s; do
	grep -qx "$s" "$tmp/declared" && ok || bad "exported but not declared WHEA_API in $inc: $s"
done <"$tmp/exported"
while read -r s; do
	grep -qx "$s" "$tmp/exported" && ok || bad "declared WHEA_API but not exported by $so: $s"
done <"$tmp/declared"
echo "symbols: $pass passed, $fail failed"
[ $fail = 0 ]
