/* cper/defcheck.c — the table self-check (whea_def_check): rows inside the layout, no overlaps,
 * unique keys, each validation bit gating one row, bitfields inside their integer, names unique.
 * Run on every built-in table by the test suite and on every table a plug-in registers. */
#include <string.h>

#include "cper/interp.h"
#include "util/fmt.h"

#define CHECK_DEPTH 8

static int fail(char *msg, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	whea_vformat(msg, cap, fmt, ap);
	va_end(ap);
	return WHEA_EINVAL;
}

/* Whether key can be written into JSON as it is: the writers copy keys without escaping them (a
 * key is a word, see docs/SECTION-TABLES.md), so quotes, backslashes and control characters are
 * refused. */
bool whea_key_plain(const char *key)
{
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		if (*p < 0x20 || *p == '"' || *p == '\\')
			return false;
	return true;
}

/* Whether name is ASCII: the JSON writer shows each byte above 0x7f of a table's string value
 * (an enum value's name, a section type's name) as \u0080..\u00ff, as it does fixed text, so
 * UTF-8 there would read as other characters. */
bool whea_name_ascii(const char *name)
{
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p >= 0x80)
			return false;
	return true;
}

/* The names of an ENUM (JSON string values, escaped by the writers; ASCII, see whea_name_ascii)
 * or, keys true, of a FLAGS or VALIDBITS row (JSON keys, see whea_key_plain). */
static int check_names(const char *where, const whea_name *names, bool keys, char *msg, size_t cap)
{
	for (const whea_name *a = names; a && a->name; a++) {
		if (keys && !whea_key_plain(a->name))
			return fail(msg, cap, "%s: bit name with a quote, backslash or control character", where);
		if (!keys && !whea_name_ascii(a->name))
			return fail(msg, cap, "%s: value name with a byte above 0x7f (not ASCII)", where);
		for (const whea_name *b = a + 1; b->name; b++)
			if (a->value == b->value || strcmp(a->name, b->name) == 0)
				return fail(msg, cap, "%s: names '%s' and '%s' clash", where, a->name, b->name);
	}
	return 0;
}

static int check_bits(const whea_def *d, char *msg, size_t cap)
{
	uint64_t used = 0;
	for (uint16_t i = 0; i < d->nbits; i++) {
		const whea_bitfield *b = &d->bits[i];
		if (!b->key || b->width == 0 || b->lo + b->width > 64)
			return fail(msg, cap, "%s: bitfield %u out of range", d->name, i);
		if (!whea_key_plain(b->key))
			return fail(msg, cap, "%s: bitfield %u: a key with a quote, backslash or control character", d->name, i);
		uint64_t m = (b->width == 64 ? ~0ull : ((1ull << b->width) - 1)) << b->lo;
		if (used & m)
			return fail(msg, cap, "%s: bitfield %s overlaps another", d->name, b->key);
		used |= m;
		for (uint16_t j = 0; j < i; j++)
			if (strcmp(d->bits[j].key, b->key) == 0)
				return fail(msg, cap, "%s: duplicate bitfield key %s", d->name, b->key);
		if (check_names(b->key, b->names, b->kind == WHEA_K_FLAGS, msg, cap))
			return WHEA_EINVAL;
	}
	return 0;
}

static int check_def(const whea_def *d, int depth, char *msg, size_t cap);

static int check_row(const whea_def *d, const whea_field *f, uint64_t *vbits, char *msg, size_t cap, int depth)
{
	static const uint8_t int_sizes[] = {1, 2, 4, 8};
	bool is_int = f->kind == WHEA_K_UINT || f->kind == WHEA_K_ENUM || f->kind == WHEA_K_FLAGS || f->kind == WHEA_K_VALIDBITS;
	if (!f->key || !f->kind || f->kind > WHEA_K_RESERVED)
		return fail(msg, cap, "%s: row without key or kind", d->name);
	if (!whea_key_plain(f->key))
		return fail(msg, cap, "%s: row %u: a key with a quote, backslash or control character", d->name,
			    (unsigned)(f - d->fields));
	if (is_int && !memchr(int_sizes, (int)f->size, sizeof int_sizes))
		return fail(msg, cap, "%s.%s: integer of %u bytes", d->name, f->key, f->size);
	if ((f->kind == WHEA_K_GUID && f->size != 16) || (f->kind == WHEA_K_TIMESTAMP && f->size != 8))
		return fail(msg, cap, "%s.%s: wrong size %u", d->name, f->key, f->size);
	if (f->off != WHEA_OFF_NEXT && f->kind != WHEA_K_ARRAY && f->size && f->off + f->size > d->size)
		return fail(msg, cap, "%s.%s: offset %u + size %u is beyond the layout size %u", d->name, f->key, f->off,
			    f->size, d->size);
	if (f->valid) {
		if (f->valid > 64 || (*vbits >> (f->valid - 1)) & 1)
			return fail(msg, cap, "%s.%s: validation bit %u used twice or out of range", d->name, f->key, f->valid - 1);
		*vbits |= 1ull << (f->valid - 1);
	}
	if (f->kind == WHEA_K_ARRAY && !f->count && !f->count_fixed)
		return fail(msg, cap, "%s.%s: array without count", d->name, f->key);
	if (f->kind == WHEA_K_ARRAY && !f->sub && (f->size < 1 || f->size > 8))
		return fail(msg, cap, "%s.%s: integer array of %u-byte elements", d->name, f->key, f->size);
	if (check_names(f->key, f->names, f->kind == WHEA_K_FLAGS || f->kind == WHEA_K_VALIDBITS, msg, cap))
		return WHEA_EINVAL;
	return f->sub ? check_def(f->sub, depth + 1, msg, cap) : 0;
}

/* A PCI location: either bus, device and function bytes or a routing ID, all inside the layout
 * (a bitfield layout has no bytes of its own to point into). */
static int check_pci_loc(const whea_def *d, char *msg, size_t cap)
{
	const whea_pci_loc *l = d->pci_loc;
	if (!l)
		return 0;
	bool bdf = l->bus && l->dev && l->fn, any_bdf = l->bus || l->dev || l->fn;
	uint32_t size = d->nbits ? 0 : d->min_size ? d->min_size : d->size;
	if (bdf == !!l->rid || any_bdf != bdf || (l->seg && l->seg_size != 1 && l->seg_size != 2))
		return fail(msg, cap, "%s: PCI location needs bus, device and function or a routing ID, and a 1- or 2-byte segment",
			    d->name);
	if ((l->seg && l->seg - 1u + l->seg_size > size) || l->bus > size || l->dev > size || l->fn > size ||
	    (l->rid && l->rid + 1u > size))
		return fail(msg, cap, "%s: PCI location beyond the layout's %u bytes", d->name, size);
	return 0;
}

static int check_def(const whea_def *d, int depth, char *msg, size_t cap)
{
	if (depth > CHECK_DEPTH || !d->name)
		return fail(msg, cap, "definition nested too deep or without a name");
	if (d->min_size > d->size)
		return fail(msg, cap, "%s: min_size %u > size %u", d->name, d->min_size, d->size);
	if (check_bits(d, msg, cap) || check_pci_loc(d, msg, cap))
		return WHEA_EINVAL;
	uint64_t vbits = 0;
	int nvalid = 0;
	uint32_t end = 0;
	for (uint16_t i = 0; i < d->nfields; i++) {
		const whea_field *f = &d->fields[i];
		if (check_row(d, f, &vbits, msg, cap, depth))
			return WHEA_EINVAL;
		nvalid += f->kind == WHEA_K_VALIDBITS;
		for (uint16_t j = 0; j < i; j++)
			if (strcmp(d->fields[j].key, f->key) == 0)
				return fail(msg, cap, "%s: duplicate key %s", d->name, f->key);
		if (f->off != WHEA_OFF_NEXT) {
			if (f->off < end)
				return fail(msg, cap, "%s.%s at offset %u overlaps the row before (ends at %u) or is out of order",
					    d->name, f->key, f->off, end);
			end = f->off + f->size;
		} else {
			end = UINT32_MAX; /* rows after a variable part cannot be checked statically */
		}
	}
	if (nvalid > 1)
		return fail(msg, cap, "%s: more than one validation-bits row", d->name);
	return 0;
}

int whea_def_check(const whea_def *d, char *msg, size_t msgcap)
{
	if (msgcap)
		msg[0] = 0;
	return check_def(d, 0, msg, msgcap);
}
