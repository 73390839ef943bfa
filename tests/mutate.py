#!/usr/bin/python3
"""tests/mutate.py: deterministic mutations of the vector records for output comparisons.

Usage: mutate.py N VECTOR-DIR OUT-DIR. For every VECTOR-DIR/*.bin, writes N variants to OUT-DIR
as NAME.mN.bin. A variant has bytes overwritten, a 2-, 4- or 8-byte field set to an edge value, or
its end cut. The seed is the file name, so every run gives the same files.
"""
import os
import random
import sys

EDGES = [0, 1, 0x7F, 0x80, 0xFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF]


def mutate(data, rng):
    b = bytearray(data)
    kind = rng.randrange(4)
    if kind == 0 and len(b) > 1:
        del b[rng.randrange(1, len(b)):]
    elif kind == 1:
        for _ in range(rng.randrange(1, 9)):
            b[rng.randrange(len(b))] = rng.randrange(256)
    else:
        width = rng.choice([2, 4, 8])
        if len(b) > width:
            pos = rng.randrange(len(b) - width)
            val = rng.choice(EDGES) & ((1 << (8 * width)) - 1)
            b[pos:pos + width] = val.to_bytes(width, "little")
    return bytes(b)


def main():
    count, src, dst = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    for name in sorted(os.listdir(src)):
        if not name.endswith(".bin"):
            continue
        with open(os.path.join(src, name), "rb") as f:
            data = f.read()
        if not data:
            continue
        rng = random.Random(name)
        base = name[:-4]
        for i in range(count):
            with open(os.path.join(dst, f"{base}.m{i}.bin"), "wb") as f:
                f.write(mutate(data, rng))


if __name__ == "__main__":
    main()
