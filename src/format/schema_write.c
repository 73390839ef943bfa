/* format/schema_write.c — writes the JSON Schema (draft 2020-12) of the JSON that json_write.c
 * emits, generated from the same tables: the header and descriptor layouts and every registered
 * section type. Each row kind maps to the schema of what the writer emits for it (see
 * docs/JSON.md); struct layouts, enums and bit sets become "$defs" entries, queued when first
 * referenced and written after the root. Freestanding: no allocator, no stdio. */
#include <string.h>

#include "cper/interp.h"
#include "util/fmt.h"
#include "util/jsonesc.h"
#include "whea/error.h"
#include "whea/format.h"

#define SW_MAX_DEPTH 40
#define SW_MAX_REFS 768

/* What a "$defs" entry describes. */
enum ref_tag { REF_DEF = 1, REF_ENUM, REF_FLAGS, REF_SECTION };

/* How much of a struct the writer is guaranteed to see, which decides what is required:
 * COMPLETE = at least its full size (header, descriptors, fixed-size elements and struct rows),
 * PARTIAL = any length (rows past the end are absent), SECTION = PARTIAL plus "trailingBytes". */
enum def_mode { MODE_COMPLETE = 1, MODE_PARTIAL, MODE_SECTION };

typedef struct sw_ref {
	const void *p;   /* whea_def, whea_name table or whea_section_type */
	uint8_t tag;     /* ref_tag */
	uint8_t mode;    /* def_mode (REF_DEF), fmt (REF_ENUM) */
	uint8_t width;   /* integer width in bits (REF_ENUM, REF_FLAGS) */
} sw_ref;

typedef struct sw {
	whea_out *o;
	bool pretty;
	int depth;
	bool first[SW_MAX_DEPTH];
	int err;
	unsigned nrefs;
	sw_ref refs[SW_MAX_REFS];
} sw;

static const char ref_prefix[][8] = {"", "def", "enum", "flags", "section"};

/* ---- JSON output ------------------------------------------------------------------------- */

static void put(sw *w, const char *s, size_t n) { whea_out_write(w->o, s, n); }
#define PUTS(w, lit) put((w), (lit), sizeof(lit) - 1)

static void newline(sw *w)
{
	static const char spaces[] = "\n                                                                                ";
	size_t n = 1 + 2 * (size_t)w->depth;
	put(w, spaces, n < sizeof spaces - 1 ? n : sizeof spaces - 1);
}

static void str(sw *w, const char *s)
{
	PUTS(w, "\"");
	for (char e[WHEA_JSON_ESC_MAX]; *s; s++)
		put(w, e, whea_json_esc((unsigned char)*s, e));
	PUTS(w, "\"");
}

/* Separator and key of the next member (key NULL inside arrays). */
static void member(sw *w, const char *key)
{
	if (!w->first[w->depth])
		PUTS(w, ",");
	w->first[w->depth] = false;
	if (w->pretty)
		newline(w);
	if (key) {
		str(w, key);
		if (w->pretty)
			PUTS(w, ": ");
		else
			PUTS(w, ":");
	}
}

static void open_(sw *w, const char *key, char c)
{
	member(w, key);
	put(w, &c, 1);
	if (w->depth + 1 < SW_MAX_DEPTH)
		w->depth++;
	else if (!w->err)
		w->err = WHEA_ELIMIT;
	w->first[w->depth] = true;
}

static void close_(sw *w, char c)
{
	bool empty = w->first[w->depth];
	if (w->depth > 0)
		w->depth--;
	if (w->pretty && !empty)
		newline(w);
	put(w, &c, 1);
}

/* Closes the containers cs names, innermost first: closes(w, "]}}"). */
static void closes(sw *w, const char *cs)
{
	while (*cs)
		close_(w, *cs++);
}

/* Opens key: {"not": {"enum": [ for the caller to list the values key must not have (the
 * fallback alternative after the known ones); closes(w, "]}}") ends it. */
static void open_not_enum(sw *w, const char *key)
{
	open_(w, key, '{');
	open_(w, "not", '{');
	open_(w, "enum", '[');
}

static void m_str(sw *w, const char *key, const char *v)
{
	member(w, key);
	str(w, v);
}

static void m_u64(sw *w, const char *key, uint64_t v)
{
	char b[20];
	member(w, key);
	put(w, b, whea_u64_dec(b, v));
}

static void m_false(sw *w, const char *key)
{
	member(w, key);
	PUTS(w, "false");
}

/* key: {"type": type} */
static void m_type(sw *w, const char *key, const char *type)
{
	open_(w, key, '{');
	m_str(w, "type", type);
	close_(w, '}');
}

/* ---- references ------------------------------------------------------------------------ */

static void ref_name(const sw_ref *r, unsigned i, char *b, size_t cap)
{
	whea_format(b, cap, "%s%u", ref_prefix[r->tag], i);
}

/* key: {"$ref": "#/$defs/<entry>"}, queueing the entry the first time it is referenced. */
static void m_ref(sw *w, const char *key, int tag, const void *p, int mode, unsigned width)
{
	unsigned i;
	for (i = 0; i < w->nrefs; i++)
		if (w->refs[i].p == p && w->refs[i].tag == tag && w->refs[i].mode == mode && w->refs[i].width == width)
			break;
	if (i == w->nrefs) {
		if (i == SW_MAX_REFS) {
			if (!w->err)
				w->err = WHEA_ELIMIT;
			i = 0;
		} else {
			w->refs[w->nrefs++] = (sw_ref){p, (uint8_t)tag, (uint8_t)mode, (uint8_t)width};
		}
	}
	char b[40], name[24];
	ref_name(&w->refs[i], i, name, sizeof name);
	whea_format(b, sizeof b, "#/$defs/%s", name);
	open_(w, key, '{');
	m_str(w, "$ref", b);
	close_(w, '}');
}

/* key: {"$ref": "#/$defs/<name>"} for the fixed entries. */
static void m_fixed(sw *w, const char *key, const char *name)
{
	char b[64];
	whea_format(b, sizeof b, "#/$defs/%s", name);
	open_(w, key, '{');
	m_str(w, "$ref", b);
	close_(w, '}');
}

/* ---- value schemas ----------------------------------------------------------------------- */

static uint64_t max_of(unsigned bits) { return bits >= 64 ? UINT64_MAX : (1ull << bits) - 1; }

/* An unsigned integer of `bits` bits as the writer shows it with fmt (revisions as {major, minor}). */
static void m_num(sw *w, const char *key, int fmt, unsigned bits)
{
	if (fmt == WHEA_FMT_BCDREV) {
		m_fixed(w, key, "revision");
		return;
	}
	open_(w, key, '{');
	m_str(w, "type", "integer");
	m_u64(w, "minimum", 0);
	m_u64(w, "maximum", max_of(bits));
	close_(w, '}');
}

/* Base64 of n bytes (n 0: any length). */
static void m_bytes(sw *w, const char *key, size_t n)
{
	if (!n) {
		m_fixed(w, key, "base64");
		return;
	}
	open_(w, key, '{');
	m_str(w, "$ref", "#/$defs/base64");
	m_u64(w, "minLength", (n + 2) / 3 * 4);
	m_u64(w, "maxLength", (n + 2) / 3 * 4);
	close_(w, '}');
}

/* key: [strings...] from a NULL-terminated list. */
static void m_strs(sw *w, const char *key, const char *const *list)
{
	open_(w, key, '[');
	for (; *list; list++)
		m_str(w, NULL, *list);
	close_(w, ']');
}

/* key + suffix into b. */
static const char *suffixed(char *b, size_t cap, const char *key, const char *suffix)
{
	whea_format(b, cap, "%s%s", key, suffix);
	return b;
}

/* The members a timestamp row produces: date, <key>IsPrecise, <key>Encoding, <key>Raw. */
static void timestamp_props(sw *w, const char *key)
{
	char b[80];
	m_fixed(w, key, "timestamp");
	m_type(w, suffixed(b, sizeof b, key, "IsPrecise"), "boolean");
	open_(w, suffixed(b, sizeof b, key, "Encoding"), '{');
	open_(w, "enum", '[');
	for (int e = WHEA_TS_BCD; e <= WHEA_TS_UNIX; e++)
		m_str(w, NULL, whea_ts_encoding_name(e));
	closes(w, "]}");
	m_num(w, suffixed(b, sizeof b, key, "Raw"), WHEA_FMT_DEC, 64);
}

/* A date comes with its precision and encoding, and they never come alone. */
static void timestamp_deps(sw *w, const whea_def *d)
{
	bool any = false;
	for (uint16_t i = 0; i < d->nfields; i++)
		any |= d->fields[i].kind == WHEA_K_TIMESTAMP;
	if (!any)
		return;
	open_(w, "dependentRequired", '{');
	for (uint16_t i = 0; i < d->nfields; i++) {
		const char *k = d->fields[i].key;
		char p[80], e[80];
		if (d->fields[i].kind != WHEA_K_TIMESTAMP)
			continue;
		suffixed(p, sizeof p, k, "IsPrecise");
		suffixed(e, sizeof e, k, "Encoding");
		m_strs(w, k, (const char *const[]){p, e, NULL});
		m_strs(w, p, (const char *const[]){k, NULL});
		m_strs(w, e, (const char *const[]){k, NULL});
	}
	close_(w, '}');
}

/* ---- rows -------------------------------------------------------------------------------- */

/* Enums differ in JSON only by "code" (WHEA_FMT_CODE) versus "value". */
static int enum_fmt(int fmt) { return fmt == WHEA_FMT_CODE ? WHEA_FMT_CODE : WHEA_FMT_DEC; }

/* An integer with a bitfield layout: {"value", fields...}; fields gated by a bit of the same
 * integer may be absent, the others are always there. */
static void bits_object(sw *w, const char *key, const whea_field *f, const whea_def *layout)
{
	open_(w, key, '{');
	m_str(w, "type", "object");
	open_(w, "properties", '{');
	m_num(w, "value", f->fmt ? f->fmt : WHEA_FMT_HEX, f->size * 8u);
	for (uint16_t i = 0; i < layout->nbits; i++) {
		const whea_bitfield *b = &layout->bits[i];
		switch (b->kind) {
		case WHEA_K_BOOL: m_type(w, b->key, "boolean"); break;
		case WHEA_K_ENUM: m_ref(w, b->key, REF_ENUM, b->names, enum_fmt(b->fmt), b->width); break;
		case WHEA_K_FLAGS: m_ref(w, b->key, REF_FLAGS, b->names, 0, b->width); break;
		default: m_num(w, b->key, b->fmt, b->width); break;
		}
	}
	close_(w, '}');
	open_(w, "required", '[');
	m_str(w, NULL, "value");
	for (uint16_t i = 0; i < layout->nbits; i++)
		if (!layout->bits[i].valid)
			m_str(w, NULL, layout->bits[i].key);
	close_(w, ']');
	m_false(w, "additionalProperties");
	close_(w, '}');
}

/* A row whose layout a select hook picks from the bytes at run time: the hook cannot be
 * enumerated, so only the shape common to its outcomes is checked. */
static void selected_row(sw *w, const char *key, const whea_field *f)
{
	open_(w, key, '{');
	m_str(w, "$comment", "layout chosen at run time by a select hook from the bytes; not enumerable");
	if (f->kind == WHEA_K_UINT) { /* a plain integer, or {"value", bitfields...} */
		open_(w, "anyOf", '[');
		m_num(w, NULL, f->fmt, f->size * 8u);
		open_(w, NULL, '{');
		m_str(w, "type", "object");
		open_(w, "properties", '{');
		m_num(w, "value", f->fmt ? f->fmt : WHEA_FMT_HEX, f->size * 8u);
		close_(w, '}');
		m_strs(w, "required", (const char *const[]){"value", NULL});
		closes(w, "}]");
	} else {
		m_str(w, "type", "object");
	}
	close_(w, '}');
}

static int sub_mode(uint32_t size, const whea_def *sub)
{
	return size && size >= sub->size ? MODE_COMPLETE : MODE_PARTIAL;
}

static void array_row(sw *w, const char *key, const whea_field *f)
{
	open_(w, key, '{');
	m_str(w, "type", "array");
	if (!f->sub)
		m_num(w, "items", f->fmt, f->size >= 8 ? 64 : f->size * 8u);
	else if (f->elem_size)
		m_ref(w, "items", REF_DEF, f->sub, MODE_PARTIAL, 0);
	else
		m_ref(w, "items", REF_DEF, f->sub, sub_mode(f->size ? f->size : f->sub->size, f->sub), 0);
	if (!f->count)
		m_u64(w, "maxItems", f->count_fixed);
	close_(w, '}');
}

/* The member(s) row f produces, as json_write.c writes them for interp.c's events. */
static void row_props(sw *w, const whea_field *f)
{
	const char *key = f->key;
	if (f->select && (f->kind == WHEA_K_UINT || f->kind == WHEA_K_STRUCT)) {
		selected_row(w, key, f);
		return;
	}
	switch (f->kind) {
	case WHEA_K_UINT:
		if (f->sub && f->sub->nbits)
			bits_object(w, key, f, f->sub);
		else
			m_num(w, key, f->fmt, f->size * 8u);
		break;
	case WHEA_K_ENUM: m_ref(w, key, REF_ENUM, f->names, enum_fmt(f->fmt), f->size * 8u); break;
	case WHEA_K_FLAGS: m_ref(w, key, REF_FLAGS, f->names, 0, f->size * 8u); break;
	case WHEA_K_VALIDBITS: m_num(w, key, WHEA_FMT_DEC, f->size * 8u); break;
	case WHEA_K_BOOL: m_type(w, key, "boolean"); break;
	case WHEA_K_GUID:
		m_fixed(w, key, f->fmt == WHEA_GUID_SECTION_TYPE  ? "sectionType"
			       : f->fmt == WHEA_GUID_NOTIFY_TYPE ? "notificationType"
								 : "guid");
		break;
	case WHEA_K_ASCII:
		open_(w, key, '{');
		m_str(w, "type", "string");
		if (f->size)
			m_u64(w, "maxLength", f->size);
		close_(w, '}');
		break;
	case WHEA_K_TIMESTAMP: timestamp_props(w, key); break;
	case WHEA_K_STRUCT:
		if (f->sub)
			m_ref(w, key, REF_DEF, f->sub, sub_mode(f->size, f->sub), 0);
		else
			m_fixed(w, key, "dataOnly");
		break;
	case WHEA_K_ARRAY: array_row(w, key, f); break;
	default: m_bytes(w, key, f->size); break; /* BYTES, RESERVED */
	}
}

/* Rows the writer always emits when it sees at least d->size bytes: not gated, not reserved
 * (shown only when not zero), at a fixed offset inside the size; arrays may be cut short. */
static bool always_there(const whea_def *d, const whea_field *f)
{
	if (f->valid || f->kind == WHEA_K_RESERVED || f->kind == WHEA_K_TIMESTAMP || f->kind == WHEA_K_ARRAY ||
	    f->off == WHEA_OFF_NEXT)
		return false;
	return f->off <= d->size && f->size <= d->size - f->off;
}

/* ---- $defs entries ----------------------------------------------------------------------- */

static void def_object(sw *w, const whea_def *d, int mode)
{
	bool gated = false;
	m_str(w, "type", "object");
	open_(w, "properties", '{');
	for (uint16_t i = 0; i < d->nfields; i++) {
		row_props(w, &d->fields[i]);
		gated |= d->fields[i].valid != 0;
	}
	if (gated) {
		open_(w, "notValid", '{');
		m_str(w, "description", "fields whose validation bit is clear but whose bytes are not zero");
		m_str(w, "type", "object");
		open_(w, "properties", '{');
		for (uint16_t i = 0; i < d->nfields; i++)
			if (d->fields[i].valid)
				row_props(w, &d->fields[i]);
		close_(w, '}');
		m_u64(w, "minProperties", 1);
		timestamp_deps(w, d);
		m_false(w, "additionalProperties");
		close_(w, '}');
	}
	if (mode == MODE_SECTION) {
		open_(w, "trailingBytes", '{');
		m_str(w, "description", "bytes of the section beyond its layout");
		m_str(w, "$ref", "#/$defs/base64");
		m_u64(w, "minLength", 4);
		close_(w, '}');
	}
	close_(w, '}');
	if (mode == MODE_COMPLETE) {
		open_(w, "required", '[');
		for (uint16_t i = 0; i < d->nfields; i++)
			if (always_there(d, &d->fields[i]))
				m_str(w, NULL, d->fields[i].key);
		close_(w, ']');
	}
	timestamp_deps(w, d);
	m_false(w, "additionalProperties");
}

static void def_entry(sw *w, const whea_def *d, int mode)
{
	m_str(w, "title", d->name);
	if (!d->select) {
		def_object(w, d, mode);
		return;
	}
	/* A union chosen by its own bytes: one of its layouts, or bytes when none fits. */
	if (!d->variants) {
		m_str(w, "$comment", "layout chosen at run time by a select hook without a variant list");
		m_str(w, "type", "object");
		return;
	}
	open_(w, "anyOf", '[');
	for (const whea_def *const *v = d->variants; *v; v++)
		m_ref(w, NULL, REF_DEF, *v, mode == MODE_SECTION ? MODE_SECTION : MODE_PARTIAL, 0);
	m_fixed(w, NULL, "dataOnly");
	close_(w, ']');
}

/* {"value"|"code": N, "name": its name or "unknown (N)"}: every known pair, or an unknown value. */
static void enum_entry(sw *w, const whea_name *names, int fmt, unsigned bits)
{
	const char *vk = fmt == WHEA_FMT_CODE ? "code" : "value";
	bool any = names && names->name;
	m_str(w, "type", "object");
	open_(w, "properties", '{');
	m_num(w, vk, WHEA_FMT_DEC, bits);
	m_type(w, "name", "string");
	close_(w, '}');
	m_strs(w, "required", (const char *const[]){vk, "name", NULL});
	m_false(w, "additionalProperties");
	open_(w, "anyOf", '[');
	for (const whea_name *n = names; n && n->name; n++) {
		if (n->value > max_of(bits))
			continue;
		open_(w, NULL, '{');
		open_(w, "properties", '{');
		open_(w, vk, '{');
		m_u64(w, "const", n->value);
		close_(w, '}');
		open_(w, "name", '{');
		m_str(w, "const", n->name);
		closes(w, "}}}");
	}
	open_(w, NULL, '{');
	open_(w, "properties", '{');
	if (any) {
		open_not_enum(w, vk);
		for (const whea_name *n = names; n->name; n++)
			m_u64(w, NULL, n->value);
		closes(w, "]}}");
	}
	open_(w, "name", '{');
	m_str(w, "pattern", "^unknown \\([0-9]+\\)$");
	closes(w, "}}}]");
}

/* {"value": N, "<bit name>": bool, ...}: every named bit, always. */
static void flags_entry(sw *w, const whea_name *names, unsigned bits)
{
	m_str(w, "type", "object");
	open_(w, "properties", '{');
	m_num(w, "value", WHEA_FMT_DEC, bits);
	for (const whea_name *n = names; n && n->name; n++)
		m_type(w, n->name, "boolean");
	close_(w, '}');
	open_(w, "required", '[');
	m_str(w, NULL, "value");
	for (const whea_name *n = names; n && n->name; n++)
		m_str(w, NULL, n->name);
	close_(w, ']');
	m_false(w, "additionalProperties");
}

/* A section body of type t (walk.c, whea_interp_section): its layout plus trailingBytes, bytes
 * for opaque types, or the bytes there are when the record cuts the section short. */
static void section_entry(sw *w, const whea_section_type *t)
{
	char g[WHEA_GUID_STRLEN + 1];
	m_str(w, "title", t->name);
	m_str(w, "description", whea_guid_format(&t->guid, g));
	open_(w, "anyOf", '[');
	if (t->def)
		m_ref(w, NULL, REF_DEF, t->def, MODE_SECTION, 0);
	else
		m_fixed(w, NULL, "dataOnly");
	m_fixed(w, NULL, "truncatedSection");
	close_(w, ']');
}

static void write_entry(sw *w, unsigned i)
{
	sw_ref r = w->refs[i];
	char name[24];
	ref_name(&r, i, name, sizeof name);
	open_(w, name, '{');
	switch (r.tag) {
	case REF_DEF: def_entry(w, r.p, r.mode); break;
	case REF_ENUM: enum_entry(w, r.p, r.mode, r.width); break;
	case REF_FLAGS: flags_entry(w, r.p, r.width); break;
	default: section_entry(w, r.p); break;
	}
	close_(w, '}');
}

/* ---- fixed entries ----------------------------------------------------------------------- */

static void string_pattern(sw *w, const char *key, const char *pattern)
{
	open_(w, key, '{');
	m_str(w, "type", "string");
	m_str(w, "pattern", pattern);
	close_(w, '}');
}

static void m_guid_const(sw *w, const char *key, const whea_guid *g)
{
	char b[WHEA_GUID_STRLEN + 1];
	open_(w, key, '{');
	m_str(w, "const", whea_guid_format(g, b));
	close_(w, '}');
}

/* One {gkey: GUID, "type": name} pair of a known GUID. */
static void guid_pair(sw *w, const char *gkey, const whea_guid *g, const whea_guid *alt, const char *name)
{
	char b[WHEA_GUID_STRLEN + 1];
	open_(w, NULL, '{');
	open_(w, "properties", '{');
	if (alt) {
		open_(w, gkey, '{');
		open_(w, "enum", '[');
		m_str(w, NULL, whea_guid_format(g, b));
		m_str(w, NULL, whea_guid_format(alt, b));
		closes(w, "]}");
	} else {
		m_guid_const(w, gkey, g);
	}
	open_(w, "type", '{');
	m_str(w, "const", name);
	closes(w, "}}}");
}

/* The i-th known GUID of a list: section types (with their other encoding) or notification types. */
static const char *guid_at(bool sections, size_t i, whea_guid *g, const whea_guid **alt)
{
	if (!sections) {
		*alt = NULL;
		return whea_notify_type_at(i, g);
	}
	const whea_section_type *t = whea_section_at(i);
	if (!t)
		return NULL;
	*g = t->guid;
	*alt = t->alt_guid;
	return t->name;
}

/* {gkey: GUID, "type": name}: a known GUID with its name, or any other GUID with "Unknown". */
static void guid_named(sw *w, const char *name, const char *gkey, bool sections)
{
	whea_guid g;
	const whea_guid *alt;
	char b[WHEA_GUID_STRLEN + 1];
	const char *n;
	open_(w, name, '{');
	m_str(w, "type", "object");
	open_(w, "properties", '{');
	m_fixed(w, gkey, "guid");
	m_type(w, "type", "string");
	close_(w, '}');
	m_strs(w, "required", (const char *const[]){gkey, "type", NULL});
	m_false(w, "additionalProperties");
	open_(w, "anyOf", '[');
	for (size_t i = 0; (n = guid_at(sections, i, &g, &alt)) != NULL; i++)
		guid_pair(w, gkey, &g, alt, n);
	open_(w, NULL, '{');
	open_(w, "properties", '{');
	open_not_enum(w, gkey);
	for (size_t i = 0; guid_at(sections, i, &g, &alt) != NULL; i++) {
		m_str(w, NULL, whea_guid_format(&g, b));
		if (alt)
			m_str(w, NULL, whea_guid_format(alt, b));
	}
	closes(w, "]}}");
	open_(w, "type", '{');
	m_str(w, "const", "Unknown");
	closes(w, "}}}]}");
}

/* An object with exactly the given members, each the fixed entry of the same position. */
static void closed_object(sw *w, const char *name, const char *const *keys, const char *const *refs)
{
	open_(w, name, '{');
	m_str(w, "type", "object");
	open_(w, "properties", '{');
	for (size_t i = 0; keys[i]; i++)
		m_fixed(w, keys[i], refs[i]);
	close_(w, '}');
	m_strs(w, "required", keys);
	m_false(w, "additionalProperties");
	close_(w, '}');
}

static bool same_key(const whea_section_type *a, const whea_section_type *b) { return strcmp(a->key, b->key) == 0; }

static bool first_with_key(size_t i, const char *key)
{
	const whea_section_type *t;
	for (size_t j = 0; j < i && (t = whea_section_at(j)) != NULL; j++)
		if (strcmp(t->key, key) == 0)
			return false;
	return true;
}

/* The body under one section key; types sharing a key (the CXL component events) are told
 * apart by the descriptor's GUID, which a schema cannot pair with the body: any of them. */
static void section_key(sw *w, size_t i, const whea_section_type *t)
{
	const whea_section_type *u;
	unsigned n = 0;
	for (size_t j = i; (u = whea_section_at(j)) != NULL; j++)
		n += same_key(t, u);
	if (n == 1) {
		m_ref(w, t->key, REF_SECTION, t, 0, 0);
		return;
	}
	open_(w, t->key, '{');
	open_(w, "anyOf", '[');
	for (size_t j = i; (u = whea_section_at(j)) != NULL; j++)
		if (same_key(t, u))
			m_ref(w, NULL, REF_SECTION, u, 0, 0);
	closes(w, "]}");
}

/* sections[]: {"<section key>": body}, exactly one member; "Unknown" for unregistered GUIDs. */
static void section_item(sw *w)
{
	const whea_section_type *t;
	open_(w, "section", '{');
	m_str(w, "type", "object");
	open_(w, "properties", '{');
	for (size_t i = 0; (t = whea_section_at(i)) != NULL; i++)
		if (first_with_key(i, t->key))
			section_key(w, i, t);
	open_(w, WHEA_SECTION_KEY_UNKNOWN, '{');
	m_str(w, "title", "Section of an unregistered type");
	open_(w, "anyOf", '[');
	m_fixed(w, NULL, "dataOnly");
	m_fixed(w, NULL, "truncatedSection");
	closes(w, "]}}");
	m_u64(w, "minProperties", 1);
	m_u64(w, "maxProperties", 1);
	m_false(w, "additionalProperties");
	close_(w, '}');
}

/* diagnostics[]: {"severity", "offset", "code", "message"}, or {"message"} saying how many more. */
static void diagnostic_item(sw *w)
{
	static const char *const codes[] = {
#define WHEA_X_NAME(name, value, desc) #name,
		WHEA_ERROR_LIST(WHEA_X_NAME)
#undef WHEA_X_NAME
		NULL};
	open_(w, "diagnostic", '{');
	open_(w, "anyOf", '[');
	open_(w, NULL, '{');
	m_str(w, "type", "object");
	open_(w, "properties", '{');
	open_(w, "severity", '{');
	m_strs(w, "enum", (const char *const[]){"error", "warning", NULL});
	close_(w, '}');
	m_num(w, "offset", WHEA_FMT_DEC, 64);
	open_(w, "code", '{');
	m_strs(w, "enum", codes);
	close_(w, '}');
	m_type(w, "message", "string");
	close_(w, '}');
	m_strs(w, "required", (const char *const[]){"severity", "offset", "code", "message", NULL});
	m_false(w, "additionalProperties");
	close_(w, '}');
	open_(w, NULL, '{');
	m_str(w, "type", "object");
	open_(w, "properties", '{');
	m_type(w, "message", "string");
	close_(w, '}');
	m_strs(w, "required", (const char *const[]){"message", NULL});
	m_false(w, "additionalProperties");
	closes(w, "}]}");
}

static void fixed_entries(sw *w)
{
	string_pattern(w, "guid", "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
	string_pattern(w, "base64", "^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$");
	string_pattern(w, "timestamp", "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$");
	open_(w, "revision", '{');
	m_str(w, "type", "object");
	open_(w, "properties", '{');
	m_num(w, "major", WHEA_FMT_DEC, 8);
	m_num(w, "minor", WHEA_FMT_DEC, 8);
	close_(w, '}');
	m_strs(w, "required", (const char *const[]){"major", "minor", NULL});
	m_false(w, "additionalProperties");
	close_(w, '}');
	closed_object(w, "dataOnly", (const char *const[]){"data", NULL}, (const char *const[]){"base64"});
	closed_object(w, "truncatedSection", (const char *const[]){"truncatedData", NULL}, (const char *const[]){"base64"});
	open_(w, "extraBytes", '{');
	m_str(w, "type", "object");
	open_(w, "properties", '{');
	m_num(w, "offset", WHEA_FMT_DEC, 64);
	m_fixed(w, "data", "base64");
	close_(w, '}');
	m_strs(w, "required", (const char *const[]){"offset", "data", NULL});
	m_false(w, "additionalProperties");
	close_(w, '}');
	guid_named(w, "sectionType", "data", true);
	guid_named(w, "notificationType", "guid", false);
	section_item(w);
	diagnostic_item(w);
}

/* key: {"type": "array", "items": {"$ref": ...}} (minItems 1 for arrays written only when not empty). */
static void array_of(sw *w, const char *key, const char *fixed, const whea_def *def, bool nonempty)
{
	open_(w, key, '{');
	m_str(w, "type", "array");
	if (def)
		m_ref(w, "items", REF_DEF, def, MODE_COMPLETE, 0);
	else
		m_fixed(w, "items", fixed);
	if (nonempty)
		m_u64(w, "minItems", 1);
	close_(w, '}');
}

int whea_schema_write(whea_out *o, unsigned flags)
{
	static const char *const top[] = {"header", "sectionDescriptors", "sections", NULL};
	sw w;
	w.o = o;
	w.pretty = flags & WHEA_JSON_PRETTY;
	w.depth = 0;
	w.first[0] = true;
	w.err = 0;
	w.nrefs = 0;
	open_(&w, NULL, '{');
	m_str(&w, "$schema", "https://json-schema.org/draft/2020-12/schema");
	m_str(&w, "$comment", "Generated from openwhea's section tables by whea_schema_write() ('whea schema'); do not edit.");
	m_str(&w, "title", "openwhea CPER record");
	m_str(&w, "description", "One CPER record as 'whea decode --json' writes it (docs/JSON.md).");
	m_str(&w, "type", "object");
	open_(&w, "properties", '{');
	m_ref(&w, "header", REF_DEF, &whea_def_record_header, MODE_COMPLETE, 0);
	array_of(&w, "sectionDescriptors", NULL, &whea_def_section_descriptor, false);
	array_of(&w, "sections", "section", NULL, false);
	array_of(&w, "extraBytes", "extraBytes", NULL, true);
	array_of(&w, "diagnostics", "diagnostic", NULL, true);
	close_(&w, '}');
	m_strs(&w, "required", top);
	m_false(&w, "additionalProperties");
	open_(&w, "$defs", '{');
	fixed_entries(&w);
	for (unsigned i = 0; i < w.nrefs; i++) /* entries queue more entries as they are written */
		write_entry(&w, i);
	close_(&w, '}');
	close_(&w, '}');
	PUTS(&w, "\n");
	return o->err ? o->err : w.err;
}
