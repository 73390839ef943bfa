/* format/json_encode.c — JSON -> CPER: the table interpreter's reverse walk. Reads the JSON that
 * json_write.c produces (docs/JSON.md) and writes the exact bytes: the same tables drive both
 * directions, so decode and encode cannot disagree. Every error names its JSON path and offset;
 * unknown keys and wrong types are errors.
 *
 * Speed: member lookups try the member after the one found last before scanning (JSON in table
 * order finds nearly every key there), and the output buffer is not cleared up front: only the
 * parts written, read back by hooks or left as gaps are zeroed. */
#include <stdlib.h>
#include <string.h>

#include "cper/interp.h"
#include "format/json_fast.h"
#include "format/json_read.h"
#include "format/thread_exit.h"
#include "util/base64.h"
#include "util/le.h"
#include "whea/format.h"

#define ENC_MAX_DEPTH 16
/* Largest record the encoder builds (real records are kilobytes; ERST regions a few hundred KB). */
#define WHEA_JSON_RECORD_MAX (16u << 20)

typedef struct enc {
	whea_jdoc *d;
	uint8_t *out;
	size_t cap;    /* bytes of out we may write */
	size_t need;   /* highest offset written or wanted */
	/* out[0..zeroed) holds what was written, zeros elsewhere; bytes past it are stale until
	 * zero_to() clears them (only the parts that are written or read back get cleared, not the
	 * whole buffer). */
	size_t zeroed;
	/* The last member found (see guess()). */
	uint32_t last;
	int depth;
} enc;

/* ---- small helpers ------------------------------------------------------------------------ */


/* Does member m have the key key[0..kl), or key[0..kl) + suffix[0..sl)? */
static inline bool key_is(const whea_jnode *m, const char *key, size_t kl)
{
	return m->keylen == kl && whea_json_same(m->key, key, kl);
}

static inline bool key_is2(const whea_jnode *m, const char *key, size_t kl, const char *suffix, size_t sl)
{
	return m->keylen == kl + sl && whea_json_same(m->key, key, kl) && whea_json_same(m->key + kl, suffix, sl);
}

/* The companion keys of a timestamp row: key + "Raw", "IsPrecise", "Encoding". */
static const char *suffixed(char k[64], const char *key, const char *suffix)
{
	size_t kl = strlen(key), sl = strlen(suffix);
	if (kl + sl >= 64)
		kl = 63 - sl;
	memcpy(k, key, kl);
	memcpy(k + kl, suffix, sl + 1);
	return k;
}

static uint32_t find(enc *e, uint32_t obj, const char *key);

/* The member of obj most likely looked for next: JSON written by json_write.c has its keys in
 * table order, so it is the one after the member last found in obj (found again by walking up
 * from the last member found anywhere, which may lie inside that member's value). 0 = no guess. */
static inline uint32_t guess(const enc *e, uint32_t obj)
{
	const whea_jnode *nd = e->d->nodes;
	uint32_t c = e->last;
	if (c <= obj) /* not inside obj (nodes are numbered in document order) */
		return 0;
	while (nd[c].parent != obj) {
		c = nd[c].parent;
		if (c <= obj)
			return 0;
	}
	return nd[c].next;
}

/* find(obj, key + suffix) without building the key (up to 63 bytes of it, like suffixed()). */
static uint32_t find2(enc *e, uint32_t obj, const char *key, const char *suffix)
{
	const whea_jnode *nd = e->d->nodes;
	if (nd[obj].type != WHEA_JOBJECT)
		return 0;
	size_t kl = strlen(key), sl = strlen(suffix);
	if (kl + sl >= 64) {
		char k[64];
		return find(e, obj, suffixed(k, key, suffix));
	}
	uint32_t h = guess(e, obj);
	if (h && key_is2(&nd[h], key, kl, suffix, sl))
		return e->last = h;
	for (uint32_t m = nd[obj].child; m; m = nd[m].next)
		if (key_is2(&nd[m], key, kl, suffix, sl))
			return e->last = m;
	return 0;
}

/* whea_json_get(obj, key) that tries guess() before scanning the members. */
static uint32_t find(enc *e, uint32_t obj, const char *key)
{
	const whea_jnode *nd = e->d->nodes;
	if (nd[obj].type != WHEA_JOBJECT)
		return 0;
	size_t kl = strlen(key);
	uint32_t h = guess(e, obj);
	if (h && key_is(&nd[h], key, kl))
		return e->last = h;
	for (uint32_t m = nd[obj].child; m; m = nd[m].next)
		if (key_is(&nd[m], key, kl))
			return e->last = m;
	return 0;
}

/* Member lookups that mark the member as used (for the unknown-key check). */
static uint32_t take2(enc *e, uint32_t obj, const char *key, const char *suffix)
{
	uint32_t n = find2(e, obj, key, suffix);
	if (n)
		e->d->nodes[n].reserved = 1;
	return n;
}

static uint32_t take(enc *e, uint32_t obj, const char *key)
{
	uint32_t n = find(e, obj, key);
	if (n)
		e->d->nodes[n].reserved = 1;
	return n;
}

static int unknown_keys(enc *e, uint32_t obj)
{
	for (uint32_t c = e->d->nodes[obj].child; c; c = e->d->nodes[c].next)
		if (!e->d->nodes[c].reserved)
			return whea_json_fail(e->d, c, "unknown key \"%.*s\"", (int)e->d->nodes[c].keylen, e->d->nodes[c].key);
	return 0;
}

static int want(enc *e, uint32_t n, int type, const char *what)
{
	if (e->d->nodes[n].type != type)
		return whea_json_fail(e->d, n, "expected %s", what);
	return 0;
}

/* Clears the stale bytes of out below upto (bounded by the capacity). */
static void zero_to(enc *e, size_t upto)
{
	if (upto > e->cap)
		upto = e->cap;
	if (upto > e->zeroed) {
		memset(e->out + e->zeroed, 0, upto - e->zeroed);
		e->zeroed = upto;
	}
}

static void put_bytes(enc *e, size_t off, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (off + n > e->need)
		e->need = off + n;
	if (off < e->cap) {
		size_t k = n <= e->cap - off ? n : e->cap - off;
		zero_to(e, off);
		memcpy(e->out + off, p, k);
		if (off + k > e->zeroed)
			e->zeroed = off + k;
	}
}

static void put_int(enc *e, size_t off, uint64_t v, unsigned size)
{
	if (off <= e->zeroed && size && size <= e->cap && off <= e->cap - size) { /* the common case, in place */
		whea_stN(e->out + off, v, size);
		if (off + size > e->need)
			e->need = off + size;
		if (off + size > e->zeroed)
			e->zeroed = off + size;
		return;
	}
	uint8_t b[8];
	whea_stN(b, v, size);
	put_bytes(e, off, b, size);
}

/* Zeros out[off..off+n) (n within capacity): only what is below `zeroed` needs clearing. */
static void clear(enc *e, size_t off, size_t n)
{
	if (off >= e->zeroed)
		return;
	if (off + n >= e->zeroed) {
		memset(e->out + off, 0, e->zeroed - off);
		e->zeroed = off;
	} else {
		memset(e->out + off, 0, n);
	}
}

/* The bytes at off for a hook to read (within capacity), all of them current. */
static const uint8_t *view(enc *e, size_t off, size_t len, size_t *avail)
{
	const uint8_t *p = whea_json_view(e->out, e->cap, off, len, avail);
	zero_to(e, off + *avail);
	return p;
}

/* whea_row_sub and whea_def_resolve on what has been written at base. */
static const whea_def *row_sub(enc *e, const whea_field *f, size_t base, size_t len)
{
	if (!f->select)
		return f->sub;
	size_t a;
	const uint8_t *p = view(e, base, len, &a);
	return f->select(p, a);
}

static const whea_def *resolve(enc *e, const whea_def *d, size_t base, size_t len)
{
	if (!d || !d->select)
		return d;
	size_t a;
	const uint8_t *p = view(e, base, len, &a);
	return whea_def_resolve(d, p, a);
}

static uint64_t name_value(const whea_name *names, const char *s, size_t n, bool *found)
{
	const whea_name *nm = whea_json_name(names, s, n);
	*found = nm != NULL;
	return nm ? nm->value : 0;
}

/* ---- scalars ---------------------------------------------------------------------------- */

static int read_u64(enc *e, uint32_t n, uint64_t *v) { return whea_json_u64(e->d, n, v); }

/* An ENUM: a number, a name, or {"value"|"code": N, "name": S}. */
static int read_enum(enc *e, uint32_t n, const whea_name *names, uint64_t *v)
{
	whea_jnode *j = &e->d->nodes[n];
	if (j->type == WHEA_JSTRING) {
		bool found;
		*v = name_value(names, j->str, j->len, &found);
		if (found)
			return 0;
		return read_u64(e, n, v) ? whea_json_fail(e->d, n, "unknown name \"%.*s\"", (int)j->len, j->str) : 0;
	}
	if (j->type != WHEA_JOBJECT)
		return read_u64(e, n, v);
	uint32_t val = take(e, n, "value"), code = take(e, n, "code"), name = take(e, n, "name");
	int rc = unknown_keys(e, n);
	if (rc)
		return rc;
	if (val || code)
		return read_u64(e, val ? val : code, v);
	if (name)
		return read_enum(e, name, names, v);
	return whea_json_fail(e->d, n, "expected \"value\" or \"name\"");
}

/* An integer with bitfields: a number, or {"value": N} or the bitfields themselves. */
static int read_bitfields(enc *e, uint32_t n, const whea_def *layout, uint64_t *v)
{
	if (e->d->nodes[n].type != WHEA_JOBJECT)
		return read_u64(e, n, v);
	uint32_t val = take(e, n, "value");
	*v = 0;
	for (uint16_t i = 0; i < layout->nbits; i++) {
		const whea_bitfield *b = &layout->bits[i];
		uint32_t m = take(e, n, b->key);
		if (!m || val)
			continue;
		uint64_t x;
		bool bv;
		int rc = b->kind == WHEA_K_BOOL ? whea_json_bool(e->d, m, &bv)
			 : b->kind == WHEA_K_ENUM ? read_enum(e, m, b->names, &x)
						   : read_u64(e, m, &x);
		if (rc)
			return rc;
		if (b->kind == WHEA_K_BOOL)
			x = bv;
		if (b->width < 64 && x >> b->width)
			return whea_json_fail(e->d, m, "value does not fit in %u bits", b->width);
		*v |= x << b->lo;
	}
	int rc = unknown_keys(e, n);
	return rc ? rc : val ? read_u64(e, val, v) : 0;
}

/* FLAGS: a number, {"value": N}, or booleans by bit name. */
static int read_flags(enc *e, uint32_t n, const whea_name *names, uint64_t *v)
{
	if (e->d->nodes[n].type != WHEA_JOBJECT)
		return read_u64(e, n, v);
	uint32_t val = take(e, n, "value");
	*v = 0;
	for (const whea_name *nm = names; nm && nm->name; nm++) {
		uint32_t m = take(e, n, nm->name);
		bool b = false;
		if (m && whea_json_bool(e->d, m, &b))
			return WHEA_EJSON;
		if (b && nm->value < 64)
			*v |= 1ull << nm->value;
	}
	int rc = unknown_keys(e, n);
	return rc ? rc : val ? read_u64(e, val, v) : 0;
}

static int read_guid(enc *e, uint32_t n, whea_guid *g)
{
	whea_jnode *j = &e->d->nodes[n];
	if (j->type == WHEA_JOBJECT) {
		uint32_t s = take(e, n, "data");
		if (!s)
			s = take(e, n, "guid");
		take(e, n, "type");
		int rc = unknown_keys(e, n);
		if (rc)
			return rc;
		if (!s)
			return whea_json_fail(e->d, n, "expected a GUID string in \"data\" or \"guid\"");
		return read_guid(e, s, g);
	}
	if (j->type != WHEA_JSTRING || whea_guid_parse(g, j->str, j->len))
		return whea_json_fail(e->d, n, "expected a GUID \"xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx\"");
	return 0;
}

/* A JSON string back to bytes: code points up to 0xFF are single bytes (json_write's mapping). */
static int read_text(enc *e, uint32_t n, uint8_t *out, size_t cap, size_t *len)
{
	whea_jnode *j = &e->d->nodes[n];
	if (j->type != WHEA_JSTRING)
		return whea_json_fail(e->d, n, "expected a string");
	const uint8_t *s = (const uint8_t *)j->str;
	size_t k = 0;
	for (size_t i = 0; i < j->len; k++) {
		uint8_t c = s[i];
		if (c < 0x80)
			i++;
		else if ((c & 0xe0) == 0xc0 && c <= 0xc3 && i + 1 < j->len)
			c = (uint8_t)((c & 3) << 6 | (s[i + 1] & 0x3f)), i += 2;
		else
			return whea_json_fail(e->d, n, "character beyond U+00FF at string byte %zu", i);
		if (k >= cap)
			return whea_json_fail(e->d, n, "text longer than the field's %zu bytes", cap);
		out[k] = c;
	}
	*len = k;
	return 0;
}

static int read_b64(enc *e, uint32_t n, uint8_t *out, size_t cap, size_t *len)
{
	whea_jnode *j = &e->d->nodes[n];
	if (j->type != WHEA_JSTRING)
		return whea_json_fail(e->d, n, "expected a base64 string");
	long r = whea_b64_decode(out, cap, j->str, j->len);
	if (r == -2)
		return whea_json_fail(e->d, n, "%zu bytes of data do not fit in the field's %zu bytes", (size_t)j->len / 4 * 3, cap);
	if (r < 0)
		return whea_json_fail(e->d, n, "not valid base64");
	*len = (size_t)r;
	return 0;
}

static int read_time(enc *e, uint32_t obj, const char *key, uint8_t raw[8], bool *present)
{
	uint32_t r = take2(e, obj, key, "Raw");
	uint32_t pr = take2(e, obj, key, "IsPrecise");
	uint32_t en = take2(e, obj, key, "Encoding");
	uint32_t ts = take(e, obj, key);
	*present = r || ts;
	if (r) {
		uint64_t v;
		if (read_u64(e, r, &v))
			return WHEA_EJSON;
		whea_st64(raw, v);
		return 0;
	}
	if (!ts)
		return 0;
	whea_jnode *j = &e->d->nodes[ts];
	whea_time t = {0};
	if (j->type != WHEA_JSTRING || !whea_json_time_text(j->str, j->len, &t))
		return whea_json_fail(e->d, ts, "expected a time \"YYYY-MM-DDTHH:MM:SS\"");
	t.encoding = WHEA_TS_BCD;
	if (en) {
		whea_jnode *ej = &e->d->nodes[en];
		t.encoding = ej->type == WHEA_JSTRING ? (uint8_t)whea_json_ts_encoding(ej->str, ej->len) : 0;
		if (!t.encoding)
			return whea_json_fail(e->d, en, "expected \"bcd\", \"binary\" or \"unix\"");
	}
	if (pr && whea_json_bool(e->d, pr, &t.precise))
		return WHEA_EJSON;
	if (whea_timestamp_encode(raw, &t))
		return whea_json_fail(e->d, ts, "not a valid date and time for the %s encoding", whea_ts_encoding_name(t.encoding));
	return 0;
}

/* ---- structs ---------------------------------------------------------------------------- */

static int enc_def(enc *e, const whea_def *d, uint32_t obj, size_t base, size_t len, size_t *extent);

static int enc_integer(enc *e, const whea_field *f, uint32_t n, size_t base, size_t off, size_t len, unsigned size)
{
	uint64_t v = 0;
	int rc;
	const whea_def *layout = f->kind == WHEA_K_UINT ? row_sub(e, f, base, len) : NULL;
	if (f->kind == WHEA_K_ENUM)
		rc = read_enum(e, n, f->names, &v);
	else if (f->kind == WHEA_K_FLAGS)
		rc = read_flags(e, n, f->names, &v);
	else if (f->fmt == WHEA_FMT_BCDREV && e->d->nodes[n].type == WHEA_JOBJECT) {
		uint32_t ma = take(e, n, "major"), mi = take(e, n, "minor");
		uint64_t a = 0, b = 0;
		rc = unknown_keys(e, n);
		if (!rc && ma)
			rc = read_u64(e, ma, &a);
		if (!rc && mi)
			rc = read_u64(e, mi, &b);
		if (!rc && (a > 255 || b > 255))
			rc = whea_json_fail(e->d, n, "major and minor are bytes (0..255)");
		v = a << 8 | b;
	} else if (layout && layout->nbits)
		rc = read_bitfields(e, n, layout, &v);
	else
		rc = read_u64(e, n, &v);
	if (rc)
		return rc;
	if (!whea_json_fits(size, v))
		return whea_json_fail(e->d, n, "%llu does not fit in %u bytes", (unsigned long long)v, size);
	put_int(e, base + off, v, size);
	return 0;
}

static int enc_array(enc *e, const whea_field *f, uint32_t n, size_t base, size_t off, size_t len, size_t *size)
{
	int rc = want(e, n, WHEA_JARRAY, "an array");
	if (rc)
		return rc;
	size_t pos = off;
	for (uint32_t c = e->d->nodes[n].child; c; c = e->d->nodes[c].next) {
		size_t es = whea_json_elem_fixed(f);
		if (!f->sub) {
			uint64_t v;
			if ((rc = read_u64(e, c, &v)))
				return rc;
			if (!whea_json_fits((unsigned)es, v))
				return whea_json_fail(e->d, c, "value does not fit in %zu bytes", es);
			put_int(e, base + pos, v, (unsigned)es);
		} else {
			size_t ext = 0, room = len > pos ? len - pos : 0;
			if ((rc = want(e, c, WHEA_JOBJECT, "an object")) || (rc = enc_def(e, f->sub, c, base + pos, f->elem_size ? room : es, &ext)))
				return rc;
			if (f->elem_size) {
				size_t a;
				const uint8_t *ep = view(e, base + pos, room, &a);
				es = whea_json_elem_size(f, ep, a, ext);
			}
		}
		pos += es;
	}
	*size = pos - off;
	return 0;
}

static int enc_bytes_row(enc *e, const whea_field *f, uint32_t n, size_t at, size_t size, size_t room, size_t *used)
{
	whea_jnode *j = &e->d->nodes[n];
	uint8_t stack[256], *tmp = stack;
	/* Fixed rows take at most their size; open-ended ones what the text holds, within room. */
	size_t cap = size ? size : (j->type == WHEA_JSTRING ? j->len : 0);
	if (!size && cap > room)
		cap = room;
	size_t got = 0;
	if (cap > sizeof stack && !(tmp = malloc(cap)))
		return whea_error_set(WHEA_ENOMEM, -1, NULL, "out of memory");
	int rc = f->kind == WHEA_K_ASCII ? read_text(e, n, tmp, cap, &got) : read_b64(e, n, tmp, cap, &got);
	if (!rc) {
		put_bytes(e, at, tmp, got);
		*used = size ? size : got;
	}
	if (tmp != stack)
		free(tmp);
	return rc;
}

/* An open-ended base64 blob (section data, trailing bytes, extra bytes) at `at`. */
static int enc_blob(enc *e, uint32_t n, size_t at, size_t room, size_t *used)
{
	static const whea_field blob = {.kind = WHEA_K_BYTES};
	return enc_bytes_row(e, &blob, n, at, 0, room, used);
}

/* Encodes one row from JSON node n; *size = bytes the row covers. */
static int enc_row(enc *e, const whea_field *f, uint32_t obj, uint32_t n, size_t base, size_t off, size_t len,
		   size_t *size)
{
	*size = f->size;
	size_t room = len > off ? len - off : 0;
	switch (f->kind) {
	case WHEA_K_UINT:
	case WHEA_K_ENUM:
	case WHEA_K_FLAGS:
	case WHEA_K_VALIDBITS:
		return enc_integer(e, f, n, base, off, len, f->size);
	case WHEA_K_GUID: {
		whea_guid g;
		int rc = read_guid(e, n, &g);
		if (!rc)
			put_bytes(e, base + off, g.b, 16);
		return rc;
	}
	case WHEA_K_TIMESTAMP: {
		uint8_t raw[8];
		bool present;
		int rc = read_time(e, obj, f->key, raw, &present);
		if (!rc && present)
			put_bytes(e, base + off, raw, 8);
		return rc;
	}
	case WHEA_K_STRUCT: {
		int rc = want(e, n, WHEA_JOBJECT, "an object");
		if (rc)
			return rc;
		size_t sz = f->size ? f->size : room;
		const whea_def *sub = row_sub(e, f, base, len);
		size_t ext = 0;
		if (sub) {
			rc = enc_def(e, sub, n, base + off, sz, &ext);
		} else {
			uint32_t data = take(e, n, "data");
			rc = unknown_keys(e, n);
			if (!rc && data)
				rc = enc_bytes_row(e, &(whea_field){.kind = WHEA_K_BYTES}, data, base + off, f->size, room, &ext);
		}
		*size = f->size ? f->size : ext;
		return rc;
	}
	case WHEA_K_ARRAY:
		return enc_array(e, f, n, base, off, len, size);
	default: /* BYTES, ASCII, RESERVED */
		return enc_bytes_row(e, f, n, base + off, f->size, room, size);
	}
}

/* A timestamp row is present when its key or its "Raw" twin is. */
static bool has_time(enc *e, uint32_t obj, const char *key)
{
	return find(e, obj, key) || find2(e, obj, key, "Raw");
}

/* Rows of one layout, in order; gated rows may come from "notValid". */
static int enc_rows(enc *e, const whea_def *d, uint32_t obj, size_t base, size_t len, size_t *extent)
{
	uint32_t inval = take(e, obj, "notValid");
	if (inval && want(e, inval, WHEA_JOBJECT, "an object"))
		return WHEA_EJSON;
	const whea_field *vbrow = whea_def_validbits_row(d);
	uint64_t derived = 0;
	size_t cursor = 0, end = 0;
	for (uint16_t i = 0; i < d->nfields; i++) {
		const whea_field *f = &d->fields[i];
		size_t off = f->off == WHEA_OFF_NEXT ? cursor : f->off;
		uint32_t n = f->kind == WHEA_K_TIMESTAMP ? (has_time(e, obj, f->key) ? obj : 0) : take(e, obj, f->key);
		bool from_invalid = false;
		if (!n && f->valid && inval) {
			n = f->kind == WHEA_K_TIMESTAMP ? (has_time(e, inval, f->key) ? inval : 0) : take(e, inval, f->key);
			from_invalid = n != 0;
		}
		size_t size = f->size; /* (an absent row keeps its place, but for an array) */
		if (n) {
			if (whea_json_beyond(f, off, len))
				return whea_json_fail(e->d, n, "field at offset %zu..%zu lies beyond the %zu bytes of this structure",
						      off, off + f->size, len);
			/* (an array's elements are looked up in obj even when it came from notValid) */
			int rc = enc_row(e, f, from_invalid && f->kind != WHEA_K_ARRAY ? inval : obj, n, base, off, len, &size);
			if (rc)
				return rc;
			if (f->valid && !from_invalid)
				derived |= 1ull << (f->valid - 1);
		} else if (f->kind == WHEA_K_ARRAY) {
			size = 0;
		}
		cursor = off + size;
		end = whea_json_extent(end, f, cursor, size, n != 0, len);
	}
	/* Validation bits: as given, or derived from which fields are present. */
	if (vbrow && vbrow->off + vbrow->size <= len && !find(e, obj, vbrow->key))
		put_int(e, base + vbrow->off, derived, vbrow->size);
	if (inval && unknown_keys(e, inval))
		return WHEA_EJSON;
	*extent = end;
	return 0;
}

static int enc_def(enc *e, const whea_def *d, uint32_t obj, size_t base, size_t len, size_t *extent)
{
	if (++e->depth > ENC_MAX_DEPTH)
		return whea_json_fail(e->d, obj, "nested too deep");
	int rc;
	if (d->select && d->variants && find(e, obj, "data")) {
		uint32_t data = take(e, obj, "data");
		rc = unknown_keys(e, obj);
		if (!rc)
			rc = enc_blob(e, data, base, len, extent);
	} else if (d->select && d->variants) {
		/* A union: try each layout and keep the one select() agrees with. */
		rc = whea_json_fail(e->d, obj, "matches none of the layouts of %s", d->name);
		for (const whea_def *const *v = d->variants; *v; v++) {
			for (uint32_t c = e->d->nodes[obj].child; c; c = e->d->nodes[c].next)
				e->d->nodes[c].reserved = 0;
			clear(e, base, whea_json_avail(e->cap, base, len));
			if (enc_rows(e, *v, obj, base, len, extent) == 0 && unknown_keys(e, obj) == 0 &&
			    resolve(e, d, base, len) == *v) {
				whea_error_clear();
				rc = 0;
				break;
			}
		}
	} else if (d->select) {
		uint32_t data = take(e, obj, "data");
		rc = unknown_keys(e, obj);
		if (!rc && data)
			rc = enc_blob(e, data, base, len, extent);
	} else {
		rc = enc_rows(e, d, obj, base, len, extent);
		if (!rc)
			rc = unknown_keys(e, obj);
	}
	e->depth--;
	return rc;
}

/* ---- the record ------------------------------------------------------------------------- */

static int section_type_of(enc *e, uint32_t desc, uint32_t sec, const whea_section_type **t, whea_guid *g,
			   uint32_t *body)
{
	whea_jnode *s = &e->d->nodes[sec];
	if (s->type != WHEA_JOBJECT)
		return whea_json_fail(e->d, sec, "expected a section object {\"<type key>\": {...}}");
	*body = 0;
	for (uint32_t c = s->child; c; c = e->d->nodes[c].next) {
		whea_jnode *m = &e->d->nodes[c];
		if (m->keylen == 7 && memcmp(m->key, "message", 7) == 0) { /* libcper's summary line */
			m->reserved = 1;
			continue;
		}
		if (*body)
			return whea_json_fail(e->d, c, "a section object holds exactly one section");
		*body = c;
		m->reserved = 1;
	}
	if (!*body)
		return whea_json_fail(e->d, sec, "empty section object");
	whea_jnode *b = &e->d->nodes[*body];
	bool unknown = whea_is_unknown_key(b->key, b->keylen);
	*t = unknown ? NULL : whea_section_by_key(b->key, b->keylen);
	if (!*t && !unknown)
		return whea_json_fail(e->d, *body, "unknown section type key \"%.*s\"", (int)b->keylen, b->key);
	uint32_t st = find(e, desc, "sectionType");
	if (st)
		return read_guid(e, st, g);
	if (!*t)
		return whea_json_fail(e->d, desc, "an Unknown section needs \"sectionType\" in its descriptor");
	*g = (*t)->guid;
	return 0;
}

static int enc_section(enc *e, const whea_section_type *t, uint32_t body, size_t off, size_t len, size_t *used)
{
	int rc = want(e, body, WHEA_JOBJECT, "an object");
	if (rc)
		return rc;
	size_t extent = 0;
	uint32_t trailing = take(e, body, "trailingBytes"), cut = take(e, body, "truncatedData");
	const whea_def *d = t ? t->def : NULL;
	if (cut) { /* a section the record's end cut short: its bytes as they were */
		rc = unknown_keys(e, body);
		if (!rc)
			rc = enc_blob(e, cut, off, len, &extent);
		trailing = 0;
	} else if (d) {
		rc = enc_def(e, d, body, off, len, &extent);
		const whea_def *r = resolve(e, d, off, len);
		if (!rc && r && len == SIZE_MAX && extent < r->size)
			extent = r->size;
	} else {
		uint32_t data = take(e, body, "data");
		rc = unknown_keys(e, body);
		if (!rc && data)
			rc = enc_blob(e, data, off, len, &extent);
	}
	if (!rc && trailing) {
		size_t n = 0;
		rc = enc_blob(e, trailing, off + extent, len - extent, &n);
		extent += n;
	}
	*used = extent;
	return rc;
}

static int get_u32(enc *e, uint32_t obj, const char *key, uint64_t *v, bool *has)
{
	uint32_t n = find(e, obj, key);
	*has = n != 0;
	if (!n)
		return 0;
	if (whea_json_u64(e->d, n, v))
		return WHEA_EJSON;
	return *v > UINT32_MAX ? whea_json_fail(e->d, n, "does not fit in 32 bits") : 0;
}

static int enc_record(enc *e, uint32_t root)
{
	whea_jdoc *d = e->d;
	if (d->nodes[root].type != WHEA_JOBJECT)
		return whea_json_fail(d, root, "expected a record object");
	uint32_t hdr = take(e, root, "header"), descs = take(e, root, "sectionDescriptors"),
		 secs = take(e, root, "sections"), extra = take(e, root, "extraBytes");
	take(e, root, "diagnostics");
	int rc = unknown_keys(e, root);
	if (rc)
		return rc;
	if (!hdr || !descs || !secs)
		return whea_json_fail(d, root, "a record needs \"header\", \"sectionDescriptors\" and \"sections\"");
	if ((rc = want(e, hdr, WHEA_JOBJECT, "an object")) || (rc = want(e, descs, WHEA_JARRAY, "an array")) ||
	    (rc = want(e, secs, WHEA_JARRAY, "an array")))
		return rc;
	uint32_t n = d->nodes[descs].count;
	if (n != d->nodes[secs].count)
		return whea_json_fail(d, secs, "%u sections for %u descriptors", d->nodes[secs].count, n);
	if (n > 0xffff)
		return whea_json_fail(d, descs, "more than 65535 sections");
	size_t pos = WHEA_RECORD_HEADER_SIZE + (size_t)WHEA_SECTION_DESC_SIZE * n;
	uint32_t max_sev = WHEA_SEV_INFORMATIONAL;
	/* Bodies first: their lengths fill in what the descriptors leave out. */
	for (uint32_t i = 0; i < n; i++) {
		uint32_t dn = whea_json_at(d, descs, i), sn = whea_json_at(d, secs, i), body = 0;
		if ((rc = want(e, dn, WHEA_JOBJECT, "an object")))
			return rc;
		const whea_section_type *t = NULL;
		whea_guid g;
		uint64_t off, len, sev;
		bool has_off, has_len, has_sev = false;
		if ((rc = section_type_of(e, dn, sn, &t, &g, &body)) || (rc = get_u32(e, dn, "sectionOffset", &off, &has_off)) ||
		    (rc = get_u32(e, dn, "sectionLength", &len, &has_len)))
			return rc;
		if (!has_off)
			off = pos;
		size_t used;
		if ((rc = enc_section(e, t, body, off, has_len ? len : SIZE_MAX, &used)))
			return rc;
		if (has_len && used > len)
			return whea_json_fail(d, body, "section content (%zu bytes) exceeds sectionLength %llu", used,
					      (unsigned long long)len);
		if (!has_len)
			len = used;
		size_t dpos = WHEA_RECORD_HEADER_SIZE + (size_t)WHEA_SECTION_DESC_SIZE * i;
		size_t ext;
		if ((rc = enc_def(e, &whea_def_section_descriptor, dn, dpos, WHEA_SECTION_DESC_SIZE, &ext)))
			return rc;
		put_int(e, dpos, off, 4);
		put_int(e, dpos + 4, len, 4);
		put_bytes(e, dpos + 16, g.b, 16);
		uint32_t sv = find(e, dn, "severity");
		size_t a;
		const uint8_t *sp = sv ? view(e, dpos + 48, 4, &a) : NULL;
		if (sv && a == 4)
			sev = whea_le32(sp), has_sev = true;
		if (has_sev && whea_severity_rank((uint32_t)sev) > whea_severity_rank(max_sev))
			max_sev = (uint32_t)sev;
		if (off + len > pos)
			pos = off + len;
	}
	size_t ext;
	if ((rc = enc_def(e, &whea_def_record_header, hdr, 0, WHEA_RECORD_HEADER_SIZE, &ext)))
		return rc;
	put_bytes(e, 0, "CPER", 4);
	if (!find(e, hdr, "signatureEnd"))
		put_int(e, 6, 0xffffffffu, 4);
	if (!find(e, hdr, "sectionCount"))
		put_int(e, 10, n, 2);
	if (!find(e, hdr, "severity"))
		put_int(e, 12, max_sev, 4);
	uint64_t reclen;
	bool has_reclen;
	if ((rc = get_u32(e, hdr, "recordLength", &reclen, &has_reclen)))
		return rc;
	for (uint32_t c = extra ? d->nodes[extra].child : 0; c; c = d->nodes[c].next) {
		uint32_t o = take(e, c, "offset"), data = take(e, c, "data");
		uint64_t at;
		size_t got;
		if ((rc = unknown_keys(e, c)) || !o || !data || (rc = read_u64(e, o, &at)))
			return rc ? rc : whea_json_fail(d, c, "extraBytes entries need \"offset\" and \"data\"");
		if (at > UINT32_MAX)
			return whea_json_fail(d, o, "offset beyond 4 GiB");
		if ((rc = enc_blob(e, data, (size_t)at, SIZE_MAX - at, &got)))
			return rc;
		if (at + got > pos)
			pos = at + got;
	}
	if (!has_reclen)
		reclen = pos;
	else if (reclen < e->need)
		return whea_json_fail(d, find(e, hdr, "recordLength"), "recordLength %llu is smaller than the %zu bytes the content needs",
				      (unsigned long long)reclen, e->need);
	put_int(e, 20, reclen, 4);
	e->need = reclen;
	return 0;
}

/* Node and string arenas are kept per thread and grown on demand, so a stream of records does
 * not allocate for each one. */
static _Thread_local whea_jnode *arena_nodes;
static _Thread_local uint32_t arena_cap;
static _Thread_local char *arena_str;
static _Thread_local size_t arena_strcap;

static _Thread_local uint8_t *scratch;
static _Thread_local size_t scratch_cap;

/* Frees the calling thread's arenas and scratch buffer: at thread exit. */
static void arenas_free(void)
{
	free(arena_nodes), arena_nodes = NULL, arena_cap = 0;
	free(arena_str), arena_str = NULL, arena_strcap = 0;
	free(scratch), scratch = NULL, scratch_cap = 0;
}

static int ensure_arena(size_t len)
{
	if (!arena_nodes && !arena_str)
		whea_thread_exit_register(arenas_free);
	size_t nodes = WHEA_JSON_NODES_FOR(len), str = WHEA_JSON_STRBUF_FOR(len) + 1;
	if (nodes > UINT32_MAX)
		return whea_error_set(WHEA_ELIMIT, -1, NULL, "JSON text too large");
	if (nodes > arena_cap) {
		whea_jnode *p = realloc(arena_nodes, nodes * sizeof *p);
		if (!p)
			return whea_error_set(WHEA_ENOMEM, -1, NULL, "out of memory for %zu JSON nodes", nodes);
		arena_nodes = p, arena_cap = (uint32_t)nodes;
	}
	if (str > arena_strcap) {
		char *p = realloc(arena_str, str);
		if (!p)
			return whea_error_set(WHEA_ENOMEM, -1, NULL, "out of memory");
		arena_str = p, arena_strcap = str;
	}
	return 0;
}

/* One encoding pass into buf. Hooks read back what earlier rows wrote, so the pass needs a buffer
 * as large as the record. */
static int encode_once(const char *json, size_t jsonlen, uint8_t *buf, size_t cap, size_t *need)
{
	whea_jdoc doc;
	int rc = whea_json_parse(&doc, json, jsonlen, arena_nodes, arena_cap, arena_str, arena_strcap);
	if (rc)
		return rc;
	enc e = {&doc, buf, cap, 0, 0, 0, 0};
	rc = enc_record(&e, 0);
	zero_to(&e, e.need); /* gaps and a tail the content does not reach are zero */
	*need = e.need;
	return rc;
}

static int grow_scratch(size_t n)
{
	if (n <= scratch_cap)
		return 0;
	uint8_t *p = realloc(scratch, n);
	if (!p)
		return whea_error_set(WHEA_ENOMEM, -1, NULL, "out of memory for a %zu-byte record", n);
	if (!scratch)
		whea_thread_exit_register(arenas_free);
	scratch = p, scratch_cap = n;
	return 0;
}

int whea_json_to_record_dom(const char *json, size_t jsonlen, uint8_t *out, size_t cap, size_t *outlen)
{
	size_t need = 0;
	int rc = ensure_arena(jsonlen);
	if (rc)
		return rc;
	/* Straight into the caller's buffer when it is big enough; otherwise into scratch space to
	 * learn the size (the caller gets WHEA_ENOSPACE and the size it needs). */
	uint8_t *buf = out;
	size_t bcap = cap;
	if (cap < 65536) {
		if ((rc = grow_scratch(65536)))
			return rc;
		buf = scratch, bcap = scratch_cap;
	}
	for (int pass = 0; pass < 3; pass++) {
		rc = encode_once(json, jsonlen, buf, bcap, &need);
		if (need <= bcap) /* errors past the buffer's end may come from missing bytes: retry */
			break;
		if (need > WHEA_JSON_RECORD_MAX)
			return whea_error_set(WHEA_ELIMIT, -1, NULL, "a record of %zu bytes is larger than the %u MiB this encoder builds",
					      need, WHEA_JSON_RECORD_MAX >> 20);
		if ((rc = grow_scratch(need)))
			return rc;
		buf = scratch, bcap = scratch_cap;
	}
	if (outlen)
		*outlen = need;
	if (rc)
		return rc;
	if (need > cap)
		return whea_error_set(WHEA_ENOSPACE, -1, NULL, "the record needs %zu bytes, the buffer has %zu", need, cap);
	if (buf != out)
		memcpy(out, buf, need);
	return 0;
}

/* The fast path (json_fast.c) when it can, else the DOM path: both give the same results. */
int whea_json_to_record(const char *json, size_t jsonlen, uint8_t *out, size_t cap, size_t *outlen)
{
	if (whea_json_fast_encode(json, jsonlen, out, cap, outlen) == 0)
		return 0;
	return whea_json_to_record_dom(json, jsonlen, out, cap, outlen);
}
