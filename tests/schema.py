#!/usr/bin/env python3
"""tests/schema.py WHEA SCHEMA_FILE VECTOR_DIR — the JSON Schema generated from the tables.

Checks that the committed docs/schema/whea-record.schema.json is exactly what `whea schema`
prints (so it cannot drift from the tables), that it is a valid draft 2020-12 schema, that the
JSON of every vector, of the `whea examples` records and of random records of every section type
validates (compact, --pretty and --jsonl), and that broken documents (wrong type, unknown key,
missing key, wrong enum name, ...) do not. Prints "schema: N passed, N failed".
"""
import copy
import json
import os
import random
import subprocess
import sys
import tempfile
import uuid

passed = failed = 0
shown = 0


def ok():
    global passed
    passed += 1


def bad(msg):
    global failed, shown
    failed += 1
    shown += 1
    if shown <= 20:
        print("FAIL: " + msg, file=sys.stderr)


def finish():
    print(f"schema: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


def run(whea, *args):
    p = subprocess.run([whea, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout, p.stderr.decode(errors="replace")


def first_error(validator, doc):
    errs = list(validator.iter_errors(doc))
    if not errs:
        return None
    import jsonschema
    e = jsonschema.exceptions.best_match(errs)
    path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e.absolute_path)
    return f"{path}: {e.message[:300]}"


def decode_modes(whea, path):
    """The records of path as --json, --json --pretty and --jsonl parse them, or an error."""
    out = {}
    for mode, args in (("json", ["--json"]), ("pretty", ["--json", "--pretty"]), ("jsonl", ["--jsonl"])):
        rc, stdout, stderr = run(whea, "decode", "--tolerant", *args, path)
        if rc != 0:
            return None, f"decode {' '.join(args)} {path} exited {rc}: {stderr[:200]}"
        try:
            if mode == "jsonl":
                out[mode] = [json.loads(line) for line in stdout.splitlines() if line.strip()]
            else:
                out[mode] = json.loads(stdout)
        except ValueError as e:
            return None, f"decode {' '.join(args)} {path}: not JSON: {e}"
    return out, None


def check_file(whea, validator, path, name):
    out, err = decode_modes(whea, path)
    if err:
        bad(err)
        return None
    for mode, records in out.items():
        if not records:
            bad(f"{name} ({mode}): no records")
            continue
        errors = [(i, e) for i, e in ((i, first_error(validator, r)) for i, r in enumerate(records)) if e]
        if errors:
            bad(f"{name} ({mode}) record {errors[0][0]}: {errors[0][1]}")
        else:
            ok()
    return out["json"]


# ---- random records of every section type ------------------------------------------------

WINDOWS_CREATOR = uuid.UUID("cf07c4bd-b789-4e18-b3c4-1f732cb57131").bytes_le


def rand_bytes(rng, n, sparse):
    if not sparse:
        return bytes(rng.getrandbits(8) for _ in range(n))
    return bytes(rng.getrandbits(8) if rng.random() < 0.3 else 0 for _ in range(n))


def random_body(rng, key):
    n = rng.choice([0, rng.randint(1, 64), rng.randint(64, 400), rng.randint(300, 1200)])
    body = bytearray(rand_bytes(rng, n, rng.random() < 0.5))
    if key == "WheaErrorPacket" and n >= 4 and rng.random() < 0.8:
        body[0:4] = rng.choice([b"ErPt", b"WHEA"])
    return bytes(body)


def random_record(rng, types, first):
    """A CPER record with 1-3 random sections (the first of type `first`), random header and
    descriptor fields, sometimes a gap with bytes, a cut-short section or non-zero reserved."""
    secs = [first] + [rng.choice(types) for _ in range(rng.randint(0, 2))]
    bodies = [random_body(rng, t["key"]) for t in secs]
    pos = 128 + 72 * len(secs)
    layout, blob = [], bytearray()
    for b in bodies:
        if rng.random() < 0.1:  # a gap that no section covers
            gap = rand_bytes(rng, rng.randint(1, 24), False)
            blob += gap
            pos += len(gap)
        layout.append((pos, len(b)))
        blob += b
        pos += len(b)
    total = pos
    if rng.random() < 0.1:  # the record ends inside the last section
        total = max(128 + 72 * len(secs), total - rng.randint(1, 64))
    hdr = bytearray(128)
    hdr[0:4] = b"CPER"
    hdr[4:6] = rng.choice([0x0101, 0x0210, rng.getrandbits(16)]).to_bytes(2, "little")
    hdr[6:10] = (0xFFFFFFFF if rng.random() < 0.9 else rng.getrandbits(32)).to_bytes(4, "little")
    hdr[10:12] = len(secs).to_bytes(2, "little")
    hdr[12:16] = (rng.randint(0, 3) if rng.random() < 0.9 else rng.getrandbits(32)).to_bytes(4, "little")
    hdr[16:20] = (rng.randint(0, 7) if rng.random() < 0.9 else rng.getrandbits(32)).to_bytes(4, "little")
    hdr[20:24] = total.to_bytes(4, "little")
    hdr[24:64] = rand_bytes(rng, 40, rng.random() < 0.3)
    hdr[64:80] = WINDOWS_CREATOR if rng.random() < 0.3 else rand_bytes(rng, 16, False)
    hdr[80:116] = rand_bytes(rng, 36, rng.random() < 0.3)
    if rng.random() < 0.1:
        hdr[116:128] = rand_bytes(rng, 12, True)
    descs = bytearray()
    for t, (off, n) in zip(secs, layout):
        d = bytearray(72)
        d[0:4] = off.to_bytes(4, "little")
        d[4:8] = (n + (rng.randint(1, 32) if rng.random() < 0.05 else 0)).to_bytes(4, "little")
        d[8:12] = rand_bytes(rng, 4, True)
        if rng.random() > 0.1:
            d[11] = 0
        d[12:16] = rand_bytes(rng, 4, True)
        d[16:32] = uuid.UUID(t["guid"]).bytes_le
        d[32:48] = rand_bytes(rng, 16, rng.random() < 0.5)
        d[48:52] = (rng.randint(0, 3) if rng.random() < 0.9 else rng.getrandbits(32)).to_bytes(4, "little")
        text = rand_bytes(rng, 20, False) if rng.random() < 0.2 else bytes(rng.choice(b"abcXYZ 09=-") for _ in range(rng.randint(0, 20)))
        d[52:52 + len(text)] = text
        descs += d
    return bytes(hdr + descs + blob)[:total]


def check_random(whea, validator, tmp, seed, per_type):
    rc, stdout, stderr = run(whea, "sections", "--json")
    types = json.loads(stdout)
    rng = random.Random(seed)
    recs = [random_record(rng, types, t) for t in types for _ in range(per_type)]
    # An unregistered section type and a record with no sections at all.
    unknown = {"key": "Unknown", "guid": "01234567-89ab-cdef-0123-456789abcdef"}
    recs += [random_record(rng, types, unknown) for _ in range(per_type)]
    path = os.path.join(tmp, "random.bin")
    with open(path, "wb") as f:
        f.write(b"".join(recs))
    out, err = decode_modes(whea, path)
    if err:
        bad(err)
        return
    records = out["jsonl"]
    if len(records) == len(recs):
        ok()
    else:
        bad(f"random records: {len(recs)} written, {len(records)} decoded")
    if out["json"] == records and out["pretty"] == records:
        ok()
    else:
        bad("random records: --json, --json --pretty and --jsonl give different records")
    keys = set()
    for i, r in enumerate(records):
        e = first_error(validator, r)
        if e:
            bad(f"random record {i} (seed {seed}): {e}")
        else:
            ok()
        keys.update(k for s in r.get("sections", []) for k in s)
    missing = {t["key"] for t in types} - keys
    if missing:
        bad(f"random records covered no section of {sorted(missing)}")
    else:
        ok()


# ---- documents the schema must reject ----------------------------------------------------

def set_path(doc, path, value):
    for p in path[:-1]:
        doc = doc[p]
    if value is DELETE:
        del doc[path[-1]]
    else:
        doc[path[-1]] = value


DELETE = object()


def check_broken(validator, good):
    """Each mutation of a valid record must fail validation."""
    skey = next(iter(good["sections"][0]))
    body = ["sections", 0, skey]
    mutations = [
        ("wrong type (string for a number)", ["header", "recordLength"], "277"),
        ("wrong type (number for a revision)", ["header", "revision"], 258),
        ("negative integer", ["header", "recordID"], -1),
        ("integer above 64 bits", ["header", "recordID"], 2**64),
        ("integer above its field width", ["header", "sectionCount"], 65536),
        ("unknown key in the header", ["header", "bogus"], 1),
        ("unknown top-level key", ["bogus"], []),
        ("unknown key in a section body", body + ["bogus"], 1),
        ("unknown section key", ["sections", 0], {"NoSuchSection": {"data": ""}}),
        ("two keys in one section", ["sections", 0], {skey: good["sections"][0][skey], "Unknown": {"data": ""}}),
        ("missing header key", ["header", "severity"], DELETE),
        ("missing header", ["header"], DELETE),
        ("missing descriptor key", ["sectionDescriptors", 0, "sectionType"], DELETE),
        ("enum name that does not match its value", ["header", "severity", "name"], "Bogus"),
        ("bit set without a named bit", ["header", "flags", "recovered"], DELETE),
        ("GUID in upper case", ["header", "creatorID"], good["header"]["creatorID"].upper()),
        ("not a GUID", ["header", "creatorID"], "not-a-guid"),
        ("section type name that does not match its GUID", ["sectionDescriptors", 0, "sectionType", "type"], "Nonsense"),
        ("bad base64", ["extraBytes"], [{"offset": 900, "data": "!!!!"}]),
        ("timestamp without its encoding", ["header", "timestampEncoding"], DELETE),
        ("date in another format", ["header", "timestamp"], "03/09/2025 10:34:15"),
        ("empty notValid", body + ["notValid"], {}),
        ("diagnostic with an unknown code", ["diagnostics"], [{"severity": "error", "offset": 0, "code": "WHEA_EBOGUS", "message": "x"}]),
    ]
    for what, path, value in mutations:
        doc = copy.deepcopy(good)
        try:
            set_path(doc, path, value)
        except (KeyError, IndexError):
            bad(f"broken document '{what}': the example has no {path}")
            continue
        if first_error(validator, doc):
            ok()
        else:
            bad(f"broken document '{what}' validates")


def main():
    if len(sys.argv) != 4:
        print("usage: schema.py WHEA SCHEMA_FILE VECTOR_DIR", file=sys.stderr)
        sys.exit(2)
    whea, schema_file, vec = sys.argv[1:]
    try:
        import jsonschema
    except ImportError:
        bad("python3-jsonschema is not installed (tools/install-deps installs it)")
        finish()

    rc, out, err = run(whea, "schema")
    committed = open(schema_file, "rb").read() if os.path.exists(schema_file) else b""
    if rc == 0 and out == committed:
        ok()
    else:
        bad(f"{schema_file} differs from `whea schema` (rc {rc}): regenerate it with "
            f"whea schema > docs/schema/whea-record.schema.json")
    schema = json.loads(out)
    rc, compact, _ = run(whea, "schema", "--compact")
    if rc == 0 and json.loads(compact) == schema and b"\n" not in compact.rstrip(b"\n"):
        ok()
    else:
        bad("whea schema --compact is not the same schema on one line")
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
        ok()
    except jsonschema.exceptions.SchemaError as e:
        bad(f"the schema is not a valid draft 2020-12 schema: {e.message}")
        finish()
    validator = jsonschema.Draft202012Validator(schema)

    with tempfile.TemporaryDirectory() as tmp:
        if os.path.isdir(vec):
            bins = sorted(f for f in os.listdir(vec) if f.endswith(".bin"))
            for f in bins:
                check_file(whea, validator, os.path.join(vec, f), f)
        else:
            print(f"SKIP vector schema checks: {vec} not found")
        rc, _, err = run(whea, "examples", "-o", tmp)
        examples = sorted(f for f in os.listdir(tmp) if f.endswith(".cper"))
        if rc != 0 or not examples:
            bad(f"whea examples failed: {err[:200]}")
        good = None
        for f in examples:
            records = check_file(whea, validator, os.path.join(tmp, f), f)
            if records and good is None:
                good = records[0]
        check_random(whea, validator, tmp, int(os.environ.get("WHEA_SCHEMA_SEED", "1")), 12)
        if good:
            good = copy.deepcopy(good)
            # Members the mutations need, valid in themselves.
            good["extraBytes"] = [{"offset": 900, "data": "AAEC"}]
            if first_error(validator, good):
                bad("an example record with a valid extraBytes member does not validate")
            check_broken(validator, good)
    finish()


if __name__ == "__main__":
    main()
