#!/usr/bin/env bash
# tests/freestanding.sh — compiles src/util, src/cper (with the section tables) and the writers with
# -ffreestanding and checks the objects call no allocator and no stdio.
set -eu
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
files="src/util/*.c src/cper/*.c src/cper/sections/*.c src/format/json_write.c src/format/text_write.c src/format/schema_write.c"
[ -f src/format/input.c ] && files="$files src/format/input.c"
for f in $files; do
	cc -std=c11 -Wall -Wextra -Werror -ffreestanding -fno-builtin -Iinclude -Isrc -c "$f" -o "$out/$(echo "$f" | tr / _).o"
done
bad=$(nm -u "$out"/*.o | grep -wE 'malloc|calloc|realloc|free|printf|fprintf|snprintf|vsnprintf|sprintf|fopen|fwrite|fputs|puts|stdout|stderr' || true)
if [ -n "$bad" ]; then
	echo "freestanding objects reference hosted functions:"; echo "$bad"; exit 1
fi
echo "freestanding: $(ls "$out" | wc -l) objects, no allocator or stdio references"
