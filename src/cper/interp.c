/* cper/interp.c — the field-table interpreter, decode direction: walks a whea_def over bytes,
 * checks every row against the bytes present and the validation bits, and emits events to a sink.
 * Freestanding: no allocator, no stdio. */
#include <stdatomic.h>
#include <string.h>

#include "cper/interp.h"
#include "util/compiler.h"
#include "util/fmt.h"
#include "util/le.h"

#define MAX_DEPTH 16
#define UNCOMPILED_CHUNK 2 /* rows compiled at a time on the stack when a def has no compiled entry */

typedef struct walk {
	const whea_sink *s;
	int hint;
	int depth;
	bool diag_only; /* the sink wants diagnostics only (s->diag_only) */
	unsigned gen;   /* registry generation the compiled tables must belong to */
} walk;

const char *whea_name_of(const whea_name *names, uint64_t v)
{
	if (names)
		for (; names->name; names++)
			if (names->value == v)
				return names->name;
	return NULL;
}

const char *whea_key_label(const char *key, char *buf, size_t cap)
{
	size_t n = 0;
	if (!cap)
		return buf;
	while (*key == '_')
		key++;
	for (size_t i = 0; key[i] && n + 2 < cap; i++) {
		char c = key[i];
		if (c == '_') {
			buf[n++] = ' ';
			continue;
		}
		bool upper = c >= 'A' && c <= 'Z';
		bool prev_upper = i > 0 && key[i - 1] >= 'A' && key[i - 1] <= 'Z';
		bool next_lower = key[i + 1] >= 'a' && key[i + 1] <= 'z';
		if (i == 0) {
			if (c >= 'a' && c <= 'z')
				c = (char)(c - 32);
		} else if (upper && (!prev_upper || next_lower)) {
			buf[n++] = ' ';
			/* Lower-case a capital that starts an ordinary word, keep acronyms ("ID", "PCIe"). */
			if (next_lower && !(key[i + 2] >= 'A' && key[i + 2] <= 'Z' && key[i + 3] == 0))
				c = (char)(c + 32);
		}
		buf[n++] = c;
	}
	buf[n] = 0;
	return buf;
}

const whea_def *whea_def_resolve(const whea_def *d, const uint8_t *p, size_t len)
{
	for (int i = 0; d && d->select && i < 4; i++)
		d = d->select(p, len);
	return d && d->select ? NULL : d;
}

const whea_def *whea_row_sub(const whea_field *f, const uint8_t *st, size_t len)
{
	return f->select ? f->select(st, len) : f->sub;
}

const whea_field *whea_def_validbits_row(const whea_def *d)
{
	if (d->nfields && d->fields[0].kind == WHEA_K_VALIDBITS) /* where tables usually put it */
		return &d->fields[0];
	for (uint16_t i = 0; i < d->nfields; i++)
		if (d->fields[i].kind == WHEA_K_VALIDBITS)
			return &d->fields[i];
	return NULL;
}

static const char *whea_validbit_name_scan(const whea_def *def, unsigned bit)
{
	const whea_field *vb = whea_def_validbits_row(def);
	for (uint16_t i = 0; i < def->nfields; i++)
		if (def->fields[i].valid == bit + 1)
			return def->fields[i].key;
	return vb ? whea_name_of(vb->names, bit) : NULL;
}

/* The validation bits def defines, given its VALIDBITS row vb (may be NULL). */
static uint64_t known_bits(const whea_def *def, const whea_field *vb)
{
	uint64_t m = 0;
	for (uint16_t i = 0; i < def->nfields; i++)
		if (def->fields[i].valid && def->fields[i].valid <= 64)
			m |= 1ull << (def->fields[i].valid - 1);
	if (vb && vb->names)
		for (const whea_name *n = vb->names; n->name; n++)
			if (n->value < 64)
				m |= 1ull << n->value;
	if (vb && vb->sub) /* counts packed into the validation bits (x86 N and M) */
		for (uint16_t i = 0; i < vb->sub->nbits; i++) {
			const whea_bitfield *b = &vb->sub->bits[i];
			m |= (b->width >= 64 ? ~0ull : ((1ull << b->width) - 1)) << b->lo;
		}
	return m;
}

uint64_t whea_validbits_known(const whea_def *def) { return known_bits(def, whea_def_validbits_row(def)); }

static void diag(walk *w, int sev, int code, uint64_t off, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	whea_vformat(msg, sizeof msg, fmt, ap);
	va_end(ap);
	whea_diag d = {sev, code, off, msg};
	if (w->s->diag)
		w->s->diag(w->s->ctx, &d);
}

static void check_diag_cb(void *ctx, int severity, uint64_t off, const char *msg)
{
	walk *w = ctx;
	diag(w, severity, WHEA_EFORMAT, off, "%s", msg);
}

static bool all_zero(const uint8_t *p, size_t n)
{
	uint64_t acc = 0, x;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		memcpy(&x, p + i, 8);
		acc |= x;
	}
	for (; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

static size_t walk_def(walk *w, const whea_def *d, const uint8_t *p, size_t len, uint64_t abs);

/* ---- Runs of plain members, handed to the sink in one call (see whea_sink.scalars). */
#define RUN_MAX 16
typedef struct run {
	size_t n, room; /* members, sum of their skey room */
	whea_scalar a[RUN_MAX];
} run;

static void run_flush(const whea_sink *s, run *r)
{
	if (r->n) {
		s->scalars(s->ctx, r->a, r->n, r->room);
		r->n = r->room = 0;
	}
}

static inline void run_add(const whea_sink *s, run *r, const whea_skey *k, uint64_t v)
{
	if (r->n == RUN_MAX)
		run_flush(s, r);
	whea_scalar *e = &r->a[r->n++];
	r->room += k->room;
	e->k = k, e->v = v;
}

static const char none_text[32];
const whea_skey whea_skey_none = {NULL, none_text, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL};

/* Names the walk emits itself (text labels as whea_key_label gives them, or given). */
WHEA_SKEY_LIT(value_sk, "value", "Value"); /* of a bitfield object */
WHEA_SKEY_LIT(notvalid_sk, "notValid", "Not valid (validation bit clear)");
WHEA_SKEY_LIT(data_sk, "data", "Data");
WHEA_SKEY_LIT(trailing_sk, "trailingBytes", "Trailing bytes");

/* ---- Compiled tables: what the walk would otherwise re-derive from every row on every record
 * (which rows take the fast path, key lengths, the known validation bits, the lengths of flag
 * names), computed once per def and kept in a lock-free cache keyed by the def's address and the
 * registry generation (unregistering a section type may free its tables). Entries live in a
 * static arena and are published by compare-and-swap; two threads compiling the same def at once
 * both publish an identical entry, and either is used. When the arena or the probe sequence is
 * full the walk runs uncompiled (same output, slower). */
/* How a row of a fixed place and size (gated or not) is emitted when it is present and valid; rows
 * of any other shape are OP_GENERAL and take the general path (placement, measuring, emit_row). */
enum {
	OP_GENERAL = 0,
	OP_RUN,   /* plain UINT (no bitfields, no select) that joins a run of scalars (has sk) */
	OP_BLOCK, /* OP_RUN that starts a block (see crow.blk_n) */
	OP_NUM,   /* plain UINT that cannot join a run */
	OP_ENUM,  /* ENUM of at most 8 bytes */
	OP_GUID,  /* GUID of 16 bytes */
	OP_BITS,  /* UINT of at most 8 bytes with a fixed bitfield layout (sub, no select) */
	OP_FLAGS, /* FLAGS of at most 8 bytes */
	OP_FIXED  /* any other fixed scalar: emit_row */
};

/* A compiled row. What the row loop reads for a plain member comes first (place, op, gate,
 * value mask, name), so such a row touches neither its whea_field nor the entry's later lines. */
typedef struct crow {
	uint64_t end;  /* op != OP_GENERAL: off + size; OP_GENERAL: UINT64_MAX (so that one test of
	                  end <= len picks the rows of the fast path) */
	uint32_t off, size; /* op != OP_GENERAL: the row's place (copies of the field's) */
	uint8_t op;    /* OP_* */
	uint8_t gated; /* the row has a validation bit (f->valid) */
	uint8_t runnable; /* a UINT row that can join a run when it is decoded (has sk) */
	uint64_t vbit;    /* gated rows: their validation bit as a mask (0 for a bit beyond 63) */
	uint64_t vmask;   /* rows of at most 8 bytes: the mask of their bytes in an 8-byte load */
	uint64_t load8_end; /* rows of at most 8 bytes: off + 8, the length from which the value can be
	                       read with one 8-byte load; UINT64_MAX for longer rows */
	whea_skey sk;  /* padded key and text label; sk.key NULL for a row without a key */
	uint32_t nl;   /* FLAGS rows: 1 + index of the name lengths in the entry's nlens, 0 = none; ENUM
	                  rows the same, with 0 for a name that needs escaping in JSON */
	const struct cdef *subcd; /* OP_BITS rows: the compiled form of their bitfield layout, or NULL */
	const whea_flagnames *fn; /* FLAGS and VALIDBITS rows: their bit names, or NULL */
	/* OP_BLOCK: at least two consecutive OP_RUN rows starting here, handed to sink.rows at once
	 * when blk_need bytes are there and their validation bits (blk_vb) are all set. */
	uint32_t blk_n;    /* rows in the block starting here */
	uint32_t blk_last; /* cursor after it: the end of its last row */
	uint32_t blk_max;  /* the largest end of its rows (for the extent) */
	uint32_t blk_room; /* the sum of their skey room */
	uint64_t blk_need; /* the largest load8_end of its rows */
	uint64_t blk_vb;   /* the validation bits of its gated rows */
	whea_skey vsk; /* UINT rows with bitfields: their "value" member (vsk.key NULL: not in runs) */
} crow;

enum { BIT_OTHER = 0, BIT_BOOL, BIT_NUM, BIT_ENUM };

typedef struct cbit {
	uint64_t mask; /* of the field's width, applied after shifting by lo */
	uint32_t nl;   /* FLAGS and ENUM bitfields: as in crow */
	uint8_t cls;   /* BIT_BOOL / BIT_NUM / BIT_ENUM: joins a run (has sk) */
	uint8_t lo, valid; /* as in the bitfield */
	whea_skey sk;
} cbit;

/* The head of every entry of the interpreter's caches (compiled defs, section-type names): the
 * table it was made from and the registry generation it was made in. */
typedef struct centry {
	const void *of;
	unsigned gen;
} centry;

typedef struct cdef {
	centry head;    /* of: the whea_def */
	uint16_t vbrow; /* index of the VALIDBITS row or UINT16_MAX */
	uint64_t known; /* known_bits() */
	size_t bits_room; /* bitfield layouts: sum of the bits' skey room */
	bool bits_run;    /* every bitfield joins a run (not BIT_OTHER) and there are fewer than 64 */
	bool bits_plain;  /* bits_run, and no bitfield is gated or a boolean wider than one bit: every
	                     member's value is its bits as they are */
	const whea_skey *bitsk; /* bits_plain layouts: the bits' names with lo and mask (sink.fields) */
	const whea_skey *rowsk; /* the rows' names with off and mask (sink.rows) */
	const char *const *vbname; /* defs with validation bits: whea_validbit_name() of bits 0..63 */
	const crow *rows;
	const cbit *bits;
	const uint8_t *nlens;
} cdef;

#define CD_SLOTS 1024u
#define CD_PROBES 16u
#define CD_ARENA (1024u * 1024u)
static _Atomic(const centry *) cd_slots[CD_SLOTS];
static uint64_t cd_arena[CD_ARENA / 8];
static atomic_size_t cd_used;

/* The home slot of a table's entry (masked by the cache's size, a power of two). */
static inline unsigned ptr_hash(const void *p)
{
	uintptr_t a = (uintptr_t)p;
	return (unsigned)(a ^ (a >> 7) ^ (a >> 15));
}

/* Kinds decoded from a fixed number of bytes with no check of their own (size 0 would mean "to
 * the end" for bytes and text, so those take the general path). */
static const bool fixed_scalar_kinds[16] = {
	[WHEA_K_UINT] = true, [WHEA_K_ENUM] = true, [WHEA_K_FLAGS] = true, [WHEA_K_GUID] = true,
	[WHEA_K_TIMESTAMP] = true, [WHEA_K_BYTES] = true, [WHEA_K_ASCII] = true,
};

/* Name lengths of a names array (all < 256 and at most 255 names), or 0 bytes needed when not. */
static size_t names_len_count(const whea_name *n)
{
	size_t c = 0;
	for (; n && n[c].name; c++)
		if (c >= 255 || strlen(n[c].name) > 255)
			return 0;
	return c;
}

static uint32_t put_nlens(uint8_t *nl, size_t *used, const whea_name *n)
{
	size_t c = names_len_count(n);
	if (!c)
		return 0;
	uint32_t at = (uint32_t)*used;
	for (size_t i = 0; i < c; i++)
		nl[at + i] = (uint8_t)strlen(n[i].name);
	*used += c;
	return at + 1;
}

/* Lengths of enum names, 0 for a name with a byte JSON escapes (or longer than 255). */
static uint32_t put_enames(uint8_t *nl, size_t *used, const whea_name *n)
{
	size_t c = names_len_count(n);
	if (!c)
		return 0;
	uint32_t at = (uint32_t)*used;
	for (size_t i = 0; i < c; i++) {
		size_t l = strlen(n[i].name);
		for (size_t k = 0; k < l; k++)
			if ((uint8_t)n[i].name[k] < 0x20 || (uint8_t)n[i].name[k] >= 0x7f || n[i].name[k] == '"' ||
			    n[i].name[k] == '\\')
				l = 0;
		nl[at + i] = (uint8_t)l;
	}
	*used += c;
	return at + 1;
}

/* The name lengths of a FLAGS or ENUM row or bitfield of kind with names (see crow.nl), 0 for
 * other kinds. */
static uint32_t put_names(uint8_t *nl, size_t *used, uint8_t kind, const whea_name *names)
{
	return kind == WHEA_K_FLAGS ? put_nlens(nl, used, names) : kind == WHEA_K_ENUM ? put_enames(nl, used, names) : 0;
}

/* whea_name_of, with the name's entry of lens (NULL: none) in *nlen (0 when none). */
static inline const char *name_len_of(const whea_name *names, uint64_t v, const uint8_t *lens, size_t *nlen)
{
	*nlen = 0;
	if (names)
		for (size_t i = 0; names[i].name; i++)
			if (names[i].value == v) {
				if (lens)
					*nlen = lens[i];
				return names[i].name;
			}
	return NULL;
}

/* A scalar of a fixed place and size: decoded without placement whenever its bytes are there. */
static bool is_fixed_row(const whea_field *f)
{
	return f->off != WHEA_OFF_NEXT && f->kind < 16 && fixed_scalar_kinds[f->kind] && f->size &&
	       (uint64_t)f->off + f->size <= UINT32_MAX;
}

/* The op of a fixed row (before runs are known: OP_NUM for every plain UINT). */
static uint8_t fixed_op(const whea_field *f)
{
	bool small = f->size <= 8;
	switch (f->kind) {
	case WHEA_K_UINT:
		if (f->select)
			return OP_FIXED;
		if (!f->sub || !f->sub->nbits)
			return OP_NUM;
		return small ? OP_BITS : OP_FIXED;
	case WHEA_K_ENUM:
		return small ? OP_ENUM : OP_FIXED;
	case WHEA_K_FLAGS:
		return small ? OP_FLAGS : OP_FIXED;
	case WHEA_K_GUID:
		return f->size == 16 ? OP_GUID : OP_FIXED;
	default:
		return OP_FIXED;
	}
}

/* Bytes a padded copy of n characters takes in the arena (see whea_skey). */
static inline size_t padded(size_t n) { return WHEA_SKEY_ROOM(n); }

/* The text label of key / label as the text writer shows it, into buf (96 bytes); its length. */
static size_t text_label(const char *key, const char *label, char *buf, const char **t)
{
	if (label) {
		*t = label;
		return strlen(label);
	}
	*t = whea_key_label(key, buf, 96);
	return strlen(buf);
}

/* Arena bytes for the skey of key / label (0 when none is made: no key, or longer than 4 GB). */
static size_t skey_need(const char *key, const char *label)
{
	char buf[96];
	const char *t;
	if (!key)
		return 0;
	size_t kl = strlen(key), tl = text_label(key, label, buf, &t);
	return kl <= UINT32_MAX && tl <= UINT32_MAX ? padded(kl) + padded(tl) : 0;
}

/* A padded copy of the n characters at s at d, followed by the separator sep (see whea_skey);
 * returns the end of the padding. */
static char *pad_copy(char *d, const char *s, size_t n, const char *sep)
{
	memset(d, 0, padded(n));
	memcpy(d, s, n);
	memcpy(d + n, sep, strlen(sep));
	return d + padded(n);
}

#define KEY_SEP "\": " /* what follows a key and a label in a member's line */
#define TEXT_SEP ": "

/* The lengths and formats of sk, a name of kl and tl characters. */
static void skey_set(whea_skey *sk, size_t kl, size_t tl)
{
	sk->klen = (uint32_t)kl, sk->tlen = (uint32_t)tl;
	sk->room = (uint32_t)(kl > tl ? kl : tl);
	sk->kind = WHEA_SK_NUM, sk->fmt = 0, sk->width = 0, sk->lo = 0, sk->off = 0, sk->mask = 0, sk->names = NULL;
}

/* Makes the skey of key / label at *at in the arena (zero-padded copies); sk->key stays NULL
 * when none is made. */
static void skey_make(whea_skey *sk, const char *key, const char *label, char **at)
{
	char buf[96];
	const char *t;
	*sk = whea_skey_none;
	if (!skey_need(key, label))
		return;
	size_t kl = strlen(key), tl = text_label(key, label, buf, &t);
	sk->key = *at;
	sk->text = pad_copy(*at, key, kl, KEY_SEP);
	*at = pad_copy((char *)sk->text, t, tl, TEXT_SEP);
	skey_set(sk, kl, tl);
}

/* The skey of key / label made in b (padded when at most WHEA_SKEY_PAD_MAX characters, else the
 * string itself), or whea_skey_none for no key: the names of walks without compiled tables. */
static const whea_skey *skey_tmp(whea_skey_buf *b, const char *key, const char *label)
{
	char buf[96];
	const char *t;
	if (!key)
		return &whea_skey_none;
	size_t kl = strlen(key), tl = text_label(key, label, buf, &t);
	char *at = b->s;
	b->k.key = key, b->k.text = t;
	if (kl <= WHEA_SKEY_PAD_MAX)
		b->k.key = at, at = pad_copy(at, key, kl, KEY_SEP);
	if (tl <= WHEA_SKEY_PAD_MAX) /* always for derived labels (at most 95 characters): t is not buf */
		b->k.text = at, pad_copy(at, t, tl, TEXT_SEP);
	skey_set(&b->k, kl, tl);
	return &b->k;
}

/* The row's entry without its name lengths and skey (the uncompiled walk makes these on the fly). */
static void compile_row(const whea_field *f, crow *r)
{
	r->op = OP_GENERAL;
	r->gated = f->valid != 0;
	r->end = UINT64_MAX;
	r->nl = 0;
	r->runnable = 0;
	r->vmask = f->size >= 8 ? ~0ull : (1ull << (8 * f->size)) - 1;
	r->load8_end = f->size <= 8 ? (uint64_t)f->off + 8 : UINT64_MAX;
	r->vbit = f->valid && f->valid <= 64 ? 1ull << (f->valid - 1) : 0;
	r->subcd = NULL;
	r->fn = NULL;
	r->blk_n = 0;
	r->off = f->off, r->size = f->size;
	r->sk = r->vsk = whea_skey_none;
	if (is_fixed_row(f)) {
		r->end = (uint64_t)f->off + f->size;
		r->op = fixed_op(f);
	}
}

static void compile_bit(const whea_bitfield *b, cbit *c)
{
	c->mask = b->width >= 64 ? ~0ull : (1ull << b->width) - 1;
	c->nl = 0;
	c->cls = BIT_OTHER;
	c->sk = whea_skey_none;
	c->lo = b->lo, c->valid = b->valid;
}

/* Makes r[0] OP_BLOCK when it starts at least two OP_RUN (or OP_BLOCK) rows (at most max there)
 * that one test of the validation bits covers. */
static void compile_block(crow *r, size_t max)
{
	crow *b = r;
	size_t n = 0;
	b->blk_last = b->blk_max = b->blk_room = 0, b->blk_need = 0, b->blk_vb = 0;
	for (; n < max && n < RUN_MAX && (r[n].op == OP_RUN || r[n].op == OP_BLOCK); n++) {
		if (r[n].gated && !r[n].vbit) /* a validation bit beyond 63: tested row by row */
			break;
		b->blk_vb |= r[n].vbit;
		b->blk_last = (uint32_t)r[n].end; /* fixed rows end below 4 GB (is_fixed_row) */
		if (r[n].end > b->blk_max)
			b->blk_max = (uint32_t)r[n].end;
		if (r[n].load8_end > b->blk_need)
			b->blk_need = r[n].load8_end;
		b->blk_room += r[n].sk.room;
	}
	b->blk_n = (uint32_t)n;
	if (n >= 2)
		b->op = OP_BLOCK;
}

/* The bit names of row f of d (FLAGS: its names; VALIDBITS: those of the rows its bits gate), one
 * by one: the number of names; each bit b with a name goes to fn(ctx, b, name). */
static size_t bit_names(const whea_def *d, const whea_field *f,
			void (*fn)(void *ctx, uint64_t bit, const char *name), void *ctx)
{
	size_t n = 0;
	if (f->kind == WHEA_K_FLAGS)
		for (; f->names && f->names[n].name; n++)
			fn(ctx, f->names[n].value, f->names[n].name);
	else if (f->kind == WHEA_K_VALIDBITS)
		for (unsigned b = 0; b < 64; b++) {
			const char *name = whea_validbit_name_scan(d, b);
			if (name)
				fn(ctx, b, name), n++;
		}
	return n;
}

static void count_name(void *ctx, uint64_t bit, const char *name)
{
	(void)bit;
	*(size_t *)ctx += skey_need(name, NULL);
}

/* Arena bytes for the whea_flagnames of row f (0: not a FLAGS or VALIDBITS row); the bytes of
 * their strings are added to *nstr. */
static size_t flagnames_need(const whea_def *d, const whea_field *f, size_t *nstr)
{
	if (f->kind != WHEA_K_FLAGS && f->kind != WHEA_K_VALIDBITS)
		return 0;
	return sizeof(whea_flagnames) + bit_names(d, f, count_name, nstr) * sizeof(whea_skey);
}

typedef struct fn_make {
	whea_flagnames *fn;
	whea_skey *k;
	char **str;
} fn_make;

static void make_name(void *ctx, uint64_t bit, const char *name)
{
	fn_make *m = ctx;
	whea_skey *k = &m->k[m->fn->n++];
	skey_make(k, name, NULL, m->str);
	k->lo = bit < 64 ? (uint8_t)bit : 0;
	k->mask = bit < 64;
	m->fn->room += k->room;
	if (bit < 64 && !m->fn->bybit[bit])
		m->fn->bybit[bit] = k;
}

/* Arena bytes for the value names of an enum row or bitfield of kind with names (see
 * enumnames_make), 0 for other kinds; the bytes of their strings are added to *nstr. */
static size_t enumnames_need(uint8_t kind, const whea_name *names, size_t *nstr)
{
	size_t n = 0;
	if (kind != WHEA_K_ENUM)
		return 0;
	for (; names && names[n].name; n++)
		*nstr += skey_need(names[n].name, NULL);
	return sizeof(whea_flagnames) + n * sizeof(whea_skey);
}

/* Whether an enum with names (their lengths at lens, see put_enames; NULL: none made) can join
 * a run: every name compiled and plain in JSON. */
static bool enum_runnable(const whea_name *names, const uint8_t *lens)
{
	if (!names || !names[0].name)
		return true;
	if (!lens)
		return false;
	for (size_t i = 0; names[i].name; i++)
		if (!lens[i])
			return false;
	return true;
}

/* Makes the value names of an enum at *mem (advanced past them; strings at *str). */
static const whea_flagnames *enumnames_make(const whea_name *names, char **mem, char **str)
{
	whea_flagnames *fn = (whea_flagnames *)(void *)*mem;
	whea_skey *k = (whea_skey *)(void *)(fn + 1);
	memset(fn, 0, sizeof *fn);
	fn->names = k;
	fn->room = 9; /* "unknown (" */
	for (; names && names[fn->n].name; fn->n++, k++) {
		skey_make(k, names[fn->n].name, NULL, str);
		k->mask = names[fn->n].value;
		if (k->room > fn->room)
			fn->room = k->room;
	}
	*mem = (char *)k;
	return fn;
}

/* Makes the whea_flagnames of row f at *mem (advanced past it and its names; strings at *str). */
static const whea_flagnames *flagnames_make(const whea_def *d, const whea_field *f, char **mem, char **str)
{
	whea_flagnames *fn = (whea_flagnames *)(void *)*mem;
	fn_make m = {fn, (whea_skey *)(void *)(fn + 1), str};
	memset(fn, 0, sizeof *fn);
	fn->names = m.k;
	bit_names(d, f, make_name, &m);
	*mem = (char *)(m.k + fn->n);
	return fn;
}

static const cdef *cd_probe(const whea_def *d, unsigned gen);

/* Bytes the compiled form of d needs besides cdef and its row and bit arrays: compiled flag and
 * enum names (*nfn), name lengths (*nnames) and padded name strings (*nstr). */
static void cd_measure(const whea_def *d, size_t *nnames, size_t *nfn, size_t *nstr)
{
	*nnames = *nstr = *nfn = 0;
	for (uint16_t i = 0; i < d->nfields; i++) {
		const whea_field *f = &d->fields[i];
		*nfn += flagnames_need(d, f, nstr) + enumnames_need(f->kind, f->names, nstr);
		if (f->kind == WHEA_K_FLAGS || f->kind == WHEA_K_ENUM)
			*nnames += names_len_count(f->names);
		*nstr += skey_need(f->key, f->label);
	}
	for (uint16_t i = 0; i < d->nbits; i++) {
		const whea_bitfield *b = &d->bits[i];
		if (b->kind == WHEA_K_FLAGS || b->kind == WHEA_K_ENUM)
			*nnames += names_len_count(b->names);
		*nfn += enumnames_need(b->kind, b->names, nstr);
		*nstr += skey_need(b->key, b->label);
	}
}

/* Where cd_build places the variable parts of a compiled def, each advanced as it is used. */
typedef struct cd_mem {
	uint8_t *nl;   /* name lengths */
	size_t nused;  /* of nl */
	char *fnmem;   /* compiled flag and enum names */
	char *str;     /* padded name strings */
} cd_mem;

/* Compiles row f of d into r, and its name for sink.rows into rsk. */
static void cd_row(const whea_def *d, const whea_field *f, unsigned gen, crow *r, whea_skey *rsk, cd_mem *m)
{
	compile_row(f, r);
	r->nl = put_names(m->nl, &m->nused, f->kind, f->names);
	if (f->kind == WHEA_K_FLAGS || f->kind == WHEA_K_VALIDBITS)
		r->fn = flagnames_make(d, f, &m->fnmem, &m->str);
	skey_make(&r->sk, f->key, f->label, &m->str);
	r->runnable = f->kind == WHEA_K_UINT && r->sk.key && f->fmt != WHEA_FMT_BCDREV;
	if (r->op == OP_NUM && r->runnable)
		r->op = OP_RUN;
	if (r->op == OP_BITS) /* compiled now, so that decoding need not look it up */
		r->subcd = cd_probe(f->sub, gen);
	r->sk.kind = WHEA_SK_NUM, r->sk.fmt = f->fmt, r->sk.width = f->size;
	if (f->kind == WHEA_K_ENUM)
		r->sk.names = enumnames_make(f->names, &m->fnmem, &m->str);
	if (r->op == OP_ENUM && r->sk.key && enum_runnable(f->names, r->nl ? m->nl + r->nl - 1 : NULL)) {
		/* an enum of plain names joins runs like a plain integer */
		r->sk.kind = WHEA_SK_ENUM;
		r->sk.room += (uint32_t)r->sk.names->room + WHEA_SKEY_ENUM_ROOM;
		r->op = OP_RUN;
	}
	*rsk = r->sk;
	rsk->off = f->off, rsk->mask = r->vmask;
	int vfmt = f->fmt ? f->fmt : WHEA_FMT_HEX;
	if (f->kind == WHEA_K_UINT && vfmt != WHEA_FMT_BCDREV) {
		r->vsk = value_sk;
		r->vsk.fmt = (uint8_t)vfmt, r->vsk.width = f->size;
	}
}

/* Compiles bitfield b into cb, and its name for sink.fields into bsk; updates c's bitfield
 * summary (bits_run, bits_room, bits_plain). */
static void cd_bit(cdef *c, const whea_bitfield *b, cbit *cb, whea_skey *bsk, cd_mem *m)
{
	compile_bit(b, cb);
	cb->nl = put_names(m->nl, &m->nused, b->kind, b->names);
	skey_make(&cb->sk, b->key, b->label, &m->str);
	if (b->kind == WHEA_K_ENUM)
		cb->sk.names = enumnames_make(b->names, &m->fnmem, &m->str);
	if (cb->sk.key && b->kind == WHEA_K_BOOL)
		cb->cls = BIT_BOOL;
	else if (cb->sk.key && b->kind == WHEA_K_ENUM && enum_runnable(b->names, cb->nl ? m->nl + cb->nl - 1 : NULL))
		cb->cls = BIT_ENUM;
	else if (cb->sk.key && b->kind != WHEA_K_ENUM && b->kind != WHEA_K_FLAGS && b->fmt != WHEA_FMT_BCDREV)
		cb->cls = BIT_NUM;
	cb->sk.kind = cb->cls == BIT_BOOL ? WHEA_SK_BOOL : cb->cls == BIT_ENUM ? WHEA_SK_ENUM : WHEA_SK_NUM;
	cb->sk.fmt = b->fmt, cb->sk.width = (b->width + 7u) / 8u;
	if (cb->cls == BIT_ENUM)
		cb->sk.room += (uint32_t)cb->sk.names->room + WHEA_SKEY_ENUM_ROOM;
	if (cb->cls == BIT_OTHER)
		c->bits_run = false;
	else
		c->bits_room += cb->sk.room;
	if (cb->valid || (cb->cls == BIT_BOOL && cb->mask != 1))
		c->bits_plain = false;
	*bsk = cb->sk;
	bsk->lo = cb->lo, bsk->mask = cb->mask;
}

/* Builds the compiled form of d in the arena (NULL when it is full): one block holding the cdef,
 * its rows and bits with their names, validation-bit names, compiled names and name lengths. */
static const cdef *cd_build(const whea_def *d, unsigned gen)
{
	size_t nnames, nfn, nstr;
	cd_measure(d, &nnames, &nfn, &nstr);
	const whea_field *vb = whea_def_validbits_row(d);
	size_t need = sizeof(cdef) + d->nfields * (sizeof(crow) + sizeof(whea_skey)) +
		      d->nbits * (sizeof(cbit) + sizeof(whea_skey)) + (vb ? 64 * sizeof(char *) : 0) + nfn;
	need = (need + nnames + 15) & ~(size_t)15;
	size_t str_at = need;
	need += nstr;
	size_t at = atomic_fetch_add_explicit(&cd_used, need, memory_order_relaxed);
	if (at + need > CD_ARENA || at + need < at)
		return NULL;
	char *base = (char *)cd_arena + at;
	cdef *c = (cdef *)(void *)base;
	crow *rows = (crow *)(void *)(base + sizeof(cdef));
	cbit *bits = (cbit *)(void *)(rows + d->nfields);
	whea_skey *bitsk = (whea_skey *)(void *)(bits + d->nbits), *rowsk = bitsk + d->nbits;
	const char **vbname = (const char **)(void *)(rowsk + d->nfields);
	cd_mem m;
	m.fnmem = (char *)(vbname + (vb ? 64 : 0));
	m.nl = (uint8_t *)(m.fnmem + nfn);
	m.str = base + str_at;
	m.nused = 0;
	c->vbname = vb ? vbname : NULL;
	for (unsigned i = 0; vb && i < 64; i++)
		vbname[i] = whea_validbit_name_scan(d, i);
	c->head.of = d, c->head.gen = gen;
	c->vbrow = vb ? (uint16_t)(vb - d->fields) : UINT16_MAX;
	c->known = known_bits(d, vb);
	c->rows = rows, c->bits = bits, c->nlens = m.nl;
	c->bits_room = 0;
	c->bits_run = d->nbits < 64;
	c->bits_plain = true;
	for (uint16_t i = 0; i < d->nfields; i++)
		cd_row(d, &d->fields[i], gen, &rows[i], &rowsk[i], &m);
	for (uint16_t i = 0; i < d->nbits; i++)
		cd_bit(c, &d->bits[i], &bits[i], &bitsk[i], &m);
	c->bitsk = bitsk, c->rowsk = rowsk;
	c->bits_plain = c->bits_plain && c->bits_run;
	for (uint16_t i = 0; i < d->nfields; i++)
		if (rows[i].op == OP_RUN) /* every one (when a block is not taken, the next may be) */
			compile_block(rows + i, (size_t)(d->nfields - i));
	return c;
}

/* One of the interpreter's caches: open-addressed slots of entries made in the arena, found by
 * table address and registry generation, filled without locks (a thread that loses the race to a
 * slot takes the winner's entry). */
typedef struct ccache {
	_Atomic(const centry *) *slots;
	unsigned mask; /* slots - 1 */
	/* Whether a table is built in: its entry of an earlier generation is still right, so that
	 * unregistering a vendor type does not make every walk build the built-in entries again
	 * (filling the arena after a few times). Asked only where a build would follow. */
	bool (*lasting)(const void *of);
	const centry *(*build)(const void *of, unsigned gen); /* NULL when the arena is full */
} ccache;

/* The entry of table `of` for generation gen, made when missing; NULL when it cannot be made. */
static WHEA_ALWAYS_INLINE const centry *cache_find(const ccache *c, const void *of, unsigned gen)
{
	unsigned h = ptr_hash(of) & c->mask;
	const centry *made = NULL, *older = NULL;
	for (unsigned k = 0; k < CD_PROBES; k++, h = (h + 1) & c->mask) {
		const centry *e = atomic_load_explicit(&c->slots[h], memory_order_acquire);
		if (e) {
			if (e->of == of) {
				if (e->gen == gen)
					return e;
				older = e;
			}
			continue;
		}
		if (older && c->lasting(of))
			return older;
		if (!made && !(made = c->build(of, gen)))
			return NULL;
		const centry *expect = NULL;
		if (atomic_compare_exchange_strong_explicit(&c->slots[h], &expect, made, memory_order_acq_rel,
							    memory_order_acquire))
			return made;
		if (expect->of == of && expect->gen == gen) /* another thread was first */
			return expect;
	}
	return made ? made : older && c->lasting(of) ? older : NULL;
}

static bool def_lasting(const void *of) { return whea_def_builtin(of); }

static const centry *cd_make(const void *of, unsigned gen)
{
	const cdef *c = cd_build(of, gen);
	return c ? &c->head : NULL;
}

static const ccache cd_cache = {cd_slots, CD_SLOTS - 1, def_lasting, cd_make};

/* The compiled form of d, or NULL (then the walk derives everything itself). */
static const cdef *cd_probe(const whea_def *d, unsigned gen)
{
	return (const cdef *)(const void *)cache_find(&cd_cache, d, gen);
}

/* Set by whea_interp_tables_enable(false): the walk runs uncompiled (for tests). */
static atomic_bool cd_disabled;

void whea_interp_tables_enable(bool on) { atomic_store_explicit(&cd_disabled, !on, memory_order_relaxed); }

static inline const cdef *cd_of(const whea_def *d, unsigned gen)
{
	if (atomic_load_explicit(&cd_disabled, memory_order_relaxed))
		return NULL;
	const centry *e = atomic_load_explicit(&cd_slots[ptr_hash(d) & (CD_SLOTS - 1)], memory_order_acquire);
	if (e && e->of == d && e->gen == gen)
		return (const cdef *)(const void *)e;
	return cd_probe(d, gen);
}

const char *whea_validbit_name(const whea_def *def, unsigned bit)
{
	if (bit < 64) {
		const cdef *cd = cd_of(def, whea_registry_generation());
		if (cd && cd->vbname)
			return cd->vbname[bit];
	}
	return whea_validbit_name_scan(def, bit);
}

/* compile_row for the walk without compiled tables: the row's name made in b. */
static void compile_row_tmp(const whea_field *f, crow *r, whea_skey_buf *b)
{
	compile_row(f, r);
	r->sk = *skey_tmp(b, f->key, f->label);
}

/* The name of a compiled row (whea_skey_none when it has no key). */
static inline const whea_skey *row_sk(const crow *c) { return &c->sk; }

/* ---- Names of section types' objects, cached like the compiled tables (keyed by the type's
 * address and the registry generation, in the same arena). */
typedef struct sname {
	centry head; /* of: the whea_section_type */
	whea_skey sk;
} sname;

#define SN_SLOTS 128u /* power of two, well above the section types there are */
static _Atomic(const centry *) sn_slots[SN_SLOTS];

WHEA_SKEY_LIT(unknown_sk, WHEA_SECTION_KEY_UNKNOWN, "Unknown section");

static const centry *sn_build(const void *of, unsigned gen)
{
	const whea_section_type *t = of;
	size_t need = (sizeof(sname) + 15) & ~(size_t)15, str_at = need;
	need += skey_need(t->key, t->name);
	size_t at = atomic_fetch_add_explicit(&cd_used, need, memory_order_relaxed);
	if (at + need > CD_ARENA || at + need < at)
		return NULL;
	sname *e = (sname *)(void *)((char *)cd_arena + at);
	char *str = (char *)e + str_at;
	e->head.of = t, e->head.gen = gen;
	skey_make(&e->sk, t->key, t->name, &str);
	return &e->head;
}

static bool section_lasting(const void *of) { return whea_section_builtin(of); }

static const ccache sn_cache = {sn_slots, SN_SLOTS - 1, section_lasting, sn_build};

const whea_skey *whea_section_skey(const whea_section_type *t, whea_skey_buf *b)
{
	if (!t)
		return &unknown_sk;
	const sname *e = (const sname *)(const void *)cache_find(&sn_cache, t, whea_registry_generation());
	return e ? &e->sk : skey_tmp(b, t->key, t->name);
}

/* Kinds whose decoding can report something (nested layouts, reserved bytes): the only rows a
 * diagnostics-only walk has to visit. */
static inline bool may_report(uint8_t kind)
{
	return kind == WHEA_K_STRUCT || kind == WHEA_K_ARRAY || kind == WHEA_K_RESERVED;
}

/* Emits one integer with its bitfield layout as an object {"value", fields...}. */
static void emit_bitfields(walk *w, const whea_skey *k, uint64_t v, const whea_field *f, const crow *c,
			   const whea_def *layout, const cdef *cd)
{
	const whea_sink *s = w->s;
	if (!cd)
		cd = cd_of(layout, w->gen);
	if (cd && cd->bits_plain && c->vsk.key) { /* most layouts: the sink takes the members apart */
		s->fields(s->ctx, k, &c->vsk, v, cd->bitsk, layout->nbits, cd->bits_room + c->vsk.room);
		return;
	}
	s->begin(s->ctx, k, false);
	if (cd && cd->bits_run && c->vsk.key) { /* the whole object is one run */
		whea_scalar a[64];
		size_t n = 1;
		a[0].k = &c->vsk, a[0].v = v;
		const cbit *cb = cd->bits;
		for (uint16_t i = 0; i < layout->nbits; i++, cb++) {
			if (cb->valid && !((v >> (cb->valid - 1)) & 1))
				continue;
			uint64_t x = (v >> cb->lo) & cb->mask;
			a[n].k = &cb->sk;
			a[n++].v = cb->cls == BIT_BOOL ? x != 0 : x;
		}
		s->scalars(s->ctx, a, n, cd->bits_room + c->vsk.room);
		s->end(s->ctx, false);
		return;
	}
	run rn;
	rn.n = rn.room = 0;
	if (c->vsk.key)
		run_add(s, &rn, &c->vsk, v);
	else
		s->num(s->ctx, &value_sk, v, f->fmt ? f->fmt : WHEA_FMT_HEX, f->size);
	const cbit *cbits = cd ? cd->bits : NULL;
	for (uint16_t i = 0; i < layout->nbits; i++) {
		cbit tmp;
		const cbit *cb = cbits ? &cbits[i] : (compile_bit(&layout->bits[i], &tmp), &tmp);
		if (cb->valid && !((v >> (cb->valid - 1)) & 1))
			continue;
		uint64_t x = (v >> cb->lo) & cb->mask;
		if (cb->cls != BIT_OTHER) {
			run_add(s, &rn, &cb->sk, cb->cls == BIT_BOOL ? x != 0 : x);
			continue;
		}
		const whea_bitfield *b = &layout->bits[i];
		whea_skey_buf kb; /* the name when the layout has no compiled form */
		const whea_skey *bk = cb->sk.key ? &cb->sk : skey_tmp(&kb, b->key, b->label);
		run_flush(s, &rn);
		switch (b->kind) {
		case WHEA_K_BOOL:
			s->boolean(s->ctx, bk, x != 0);
			break;
		case WHEA_K_ENUM: {
			size_t nlen;
			const char *name = name_len_of(b->names, x, cd && cb->nl ? cd->nlens + cb->nl - 1 : NULL, &nlen);
			s->enm(s->ctx, bk, x, name, nlen, b->fmt);
			break;
		}
		case WHEA_K_FLAGS:
			s->bits(s->ctx, bk, x, b->width, b->names, cb->nl ? cd->nlens + cb->nl - 1 : NULL, NULL, NULL);
			break;
		default:
			s->num(s->ctx, bk, x, b->fmt, (b->width + 7) / 8);
			break;
		}
	}
	run_flush(s, &rn);
	s->end(s->ctx, false);
}

/* Bytes a row covers given the bytes present (arrays: sum of the elements that fit). */
typedef struct rowspan {
	size_t off, size;
	size_t count;   /* arrays: elements that fit */
	bool complete;  /* whole row present */
} rowspan;

static size_t elem_size_of(const whea_field *f, const whea_def *sub)
{
	if (f->size)
		return f->size;
	return sub ? sub->size : 0;
}

static rowspan measure_array(walk *w, const whea_field *f, const uint8_t *st, size_t len, size_t off,
			     uint64_t abs, bool report)
{
	rowspan r = {off, 0, 0, true};
	size_t want = f->count ? f->count(st, len) : f->count_fixed;
	size_t room = off <= len ? len - off : 0;
	if (!f->elem_size) {
		size_t es = elem_size_of(f, f->sub);
		size_t fit = es ? room / es : 0;
		r.count = want <= fit ? want : fit;
		r.size = r.count * es;
		if (r.count < want) {
			r.complete = false;
			if (report)
				diag(w, WHEA_DIAG_ERROR, WHEA_ETRUNC, abs + (off <= len ? off : len),
				     "%s: %zu elements of %zu bytes claimed but only %zu fit in the %zu bytes from offset %zu",
				     f->key, want, es, fit, room, off);
		}
		return r;
	}
	size_t pos = off;
	for (size_t i = 0; i < want; i++) {
		size_t avail = pos <= len ? len - pos : 0;
		size_t es = f->elem_size(st + pos, avail);
		if (es == 0 || es > avail) {
			if (report)
				diag(w, WHEA_DIAG_ERROR, WHEA_ETRUNC, abs + pos,
				     "%s: element %zu of %zu (%zu bytes) does not fit in the %zu bytes left", f->key, i,
				     want, es, avail);
			r.complete = false;
			break;
		}
		pos += es;
		r.count++;
	}
	r.size = pos - off;
	return r;
}

static void emit_array(walk *w, const whea_field *f, const crow *c, const uint8_t *st, size_t len, size_t off,
		       uint64_t abs, const rowspan *r)
{
	const whea_sink *s = w->s;
	if (w->diag_only && !f->sub)
		return;
	if (!w->diag_only)
		s->begin(s->ctx, row_sk(c), true);
	if (!f->sub && !f->elem_size && f->size && f->size <= 8) { /* integers of one size: at once */
		if (r->count)
			s->elems(s->ctx, st + off, r->count, f->size, f->fmt);
		s->end(s->ctx, true);
		return;
	}
	size_t pos = off;
	for (size_t i = 0; i < r->count; i++) {
		size_t avail = len - pos;
		size_t es = f->elem_size ? f->elem_size(st + pos, avail) : elem_size_of(f, f->sub);
		if (!f->sub) {
			s->num(s->ctx, &whea_skey_none, whea_leN(st + pos, es > 8 ? 8 : (unsigned)es), f->fmt, es);
		} else if (w->diag_only) {
			walk_def(w, f->sub, st + pos, es, abs + pos);
		} else {
			s->begin(s->ctx, &whea_skey_none, false);
			walk_def(w, f->sub, st + pos, es, abs + pos);
			s->end(s->ctx, false);
		}
		pos += es;
	}
	if (!w->diag_only)
		s->end(s->ctx, true);
}

/* Diagnostics-only walk of a row: nested layouts and reserved bytes. */
static void check_row(walk *w, const whea_field *f, const crow *c, const uint8_t *st, size_t len, size_t off, size_t size,
		      uint64_t abs, const rowspan *r)
{
	if (f->kind == WHEA_K_STRUCT) {
		const whea_def *sub = whea_row_sub(f, st, len);
		if (sub)
			walk_def(w, sub, st + off, size, abs + off);
	} else if (f->kind == WHEA_K_ARRAY) {
		emit_array(w, f, c, st, len, off, abs, r);
	} else if (f->kind == WHEA_K_RESERVED) {
		diag(w, WHEA_DIAG_WARNING, WHEA_EFORMAT, abs + off, "reserved field %s (%zu bytes at offset %zu) is not zero",
		     f->key, size, off);
	}
}

static void emit_row(walk *w, const whea_field *f, const crow *c, const cdef *cd, const uint8_t *st, size_t len,
		     size_t off, size_t size, uint64_t abs, const rowspan *r)
{
	const whea_sink *s = w->s;
	const uint8_t *p = st + off;
	if (w->diag_only) {
		check_row(w, f, c, st, len, off, size, abs, r);
		return;
	}
	const whea_skey *k = row_sk(c);
	switch (f->kind) {
	case WHEA_K_UINT: {
		uint64_t v = whea_leN(p, (unsigned)size);
		const whea_def *layout = whea_row_sub(f, st, len);
		if (layout && layout->nbits)
			emit_bitfields(w, k, v, f, c, layout, NULL);
		else
			s->num(s->ctx, k, v, f->fmt, (unsigned)size);
		break;
	}
	case WHEA_K_ENUM: {
		uint64_t v = whea_leN(p, (unsigned)size);
		size_t nlen;
		const char *name = name_len_of(f->names, v, c->nl ? cd->nlens + c->nl - 1 : NULL, &nlen);
		s->enm(s->ctx, k, v, name, nlen, f->fmt);
		break;
	}
	case WHEA_K_FLAGS:
		s->bits(s->ctx, k, whea_leN(p, (unsigned)size), (unsigned)size * 8, f->names,
			c->nl ? cd->nlens + c->nl - 1 : NULL, NULL, c->fn);
		break;
	case WHEA_K_VALIDBITS:
		break; /* emitted by walk_def */
	case WHEA_K_GUID:
		s->guid(s->ctx, k, (const whea_guid *)(const void *)p, f->fmt);
		break;
	case WHEA_K_ASCII:
		s->text(s->ctx, k, p, size);
		break;
	case WHEA_K_TIMESTAMP:
		s->time(s->ctx, k, p, w->hint);
		break;
	case WHEA_K_STRUCT: {
		const whea_def *sub = whea_row_sub(f, st, len);
		s->begin(s->ctx, k, false);
		if (sub)
			walk_def(w, sub, p, size, abs + off);
		else
			s->bytes(s->ctx, &data_sk, p, size);
		s->end(s->ctx, false);
		break;
	}
	case WHEA_K_ARRAY:
		emit_array(w, f, c, st, len, off, abs, r);
		break;
	case WHEA_K_RESERVED:
		diag(w, WHEA_DIAG_WARNING, WHEA_EFORMAT, abs + off, "reserved field %s (%zu bytes at offset %zu) is not zero",
		     f->key, size, off);
		/* fall through */
	default: /* WHEA_K_BYTES */
		s->bytes(s->ctx, k, p, size);
		break;
	}
}

/* Where a row sits and how big it is, given the bytes present. */
static inline rowspan place_row(walk *w, const whea_field *f, const uint8_t *st, size_t len, size_t cursor,
				uint64_t abs, bool report)
{
	size_t off = f->off == WHEA_OFF_NEXT ? cursor : f->off;
	if (f->kind == WHEA_K_ARRAY)
		return measure_array(w, f, st, len, off, abs, report);
	rowspan r = {off, f->size, 0, true};
	if (f->size == 0 && (f->kind == WHEA_K_BYTES || f->kind == WHEA_K_ASCII || f->kind == WHEA_K_STRUCT))
		r.size = off < len ? len - off : 0;
	r.complete = off <= len && r.size <= len - off;
	return r;
}

/* A row is decoded when it is all there; an array when some of its elements are. */
static inline bool row_present(const whea_field *f, const rowspan *r)
{
	return f->kind == WHEA_K_ARRAY ? r->count > 0 || r->complete : r->complete;
}

/* The value of a fixed row of at most 8 bytes (one 8-byte load and a mask where 8 bytes are
 * there), or the low 8 bytes of a longer one. */
static inline uint64_t row_value(const uint8_t *p, size_t len, const crow *c)
{
	if (c->load8_end <= len)
		return whea_le64(p + c->off) & c->vmask;
	return whea_leN(p + c->off, c->size);
}

/* Whether a fixed row's bytes are not all zero (one masked load where 8 bytes are there). */
static inline bool row_nonzero(const uint8_t *p, size_t len, const crow *c)
{
	if (c->load8_end <= len)
		return (whea_le64(p + c->off) & c->vmask) != 0;
	return !all_zero(p + c->off, c->size);
}

/* Emits a fixed row that is present and valid, other than OP_RUN and OP_BLOCK (see the OP_* list). */
static void emit_fixed(walk *w, const whea_field *f, const crow *c, const cdef *cd, const uint8_t *p, size_t len,
		       uint64_t abs)
{
	const whea_sink *s = w->s;
	const uint8_t *q = p + f->off;
	switch (c->op) {
	case OP_NUM:
		s->num(s->ctx, &c->sk, row_value(p, len, c), f->fmt, f->size);
		break;
	case OP_ENUM: {
		uint64_t v = row_value(p, len, c);
		size_t nlen;
		const char *name = name_len_of(f->names, v, c->nl ? cd->nlens + c->nl - 1 : NULL, &nlen);
		s->enm(s->ctx, &c->sk, v, name, nlen, f->fmt);
		break;
	}
	case OP_GUID:
		s->guid(s->ctx, &c->sk, (const whea_guid *)(const void *)q, f->fmt);
		break;
	case OP_BITS:
		emit_bitfields(w, &c->sk, row_value(p, len, c), f, c, f->sub, c->subcd);
		break;
	case OP_FLAGS:
		s->bits(s->ctx, &c->sk, row_value(p, len, c), f->size * 8u, f->names, c->nl ? cd->nlens + c->nl - 1 : NULL,
			NULL, c->fn);
		break;
	default: {
		rowspan r = {f->off, f->size, 0, true};
		emit_row(w, f, c, cd, p, len, f->off, f->size, abs, &r);
		break;
	}
	}
}

/* The "PCI location" line of a struct with a whea_pci_loc (sink.note), when its bytes are there
 * and hold a possible address (device < 32, function < 8): SSSS:BB:DD.F, as lspci writes it
 * (BB:DD.F without a segment). A routing ID is a requester's (DMAr). */
WHEA_SKEY_LIT(pci_loc_sk, "pciLocation", "PCI location");
WHEA_SKEY_LIT(pci_rid_sk, "requesterLocation", "Requester PCI location");
static void emit_pci_loc(const whea_sink *s, const whea_pci_loc *l, const uint8_t *p, size_t len)
{
	unsigned bus, dev, fn;
	if ((l->seg && l->seg - 1u + l->seg_size > len) || l->rid + 1u > len || l->bus > len || l->dev > len ||
	    l->fn > len)
		return;
	if (l->rid) {
		unsigned rid = whea_le16(p + l->rid - 1);
		bus = rid >> 8, dev = (rid >> 3) & 31, fn = rid & 7;
	} else {
		bus = p[l->bus - 1], dev = p[l->dev - 1], fn = p[l->fn - 1];
	}
	if (dev > 31 || fn > 7)
		return;
	char b[40];
	size_t n = l->seg ? whea_format(b, sizeof b, "%04x:%02x:%02x.%x", (unsigned)whea_leN(p + l->seg - 1, l->seg_size),
					 bus, dev, fn)
			  : whea_format(b, sizeof b, "%02x:%02x.%x", bus, dev, fn);
	s->note(s->ctx, l->rid ? &pci_rid_sk : &pci_loc_sk, b, n);
}

/* Fields whose validation bit is clear but whose bytes are not zero, after the valid ones: kept
 * apart (under "notValid") so that nobody takes them for valid data, and so that the JSON
 * round-trips exactly. vb: the struct's validation bits (0 when the row holding them is missing). */
static void emit_not_valid(walk *w, const whea_def *d, const cdef *cd, const uint8_t *p, size_t len, uint64_t abs,
			   uint64_t vb, bool diag_only)
{
	const whea_sink *s = w->s;
	crow tmp;
	whea_skey_buf kb;
	if (!diag_only)
		s->begin(s->ctx, &notvalid_sk, false);
	size_t cursor = 0;
	const whea_field *f = d->fields;
	for (uint16_t i = 0; i < d->nfields; i++, f++) {
		rowspan r = place_row(w, f, p, len, cursor, abs, false);
		cursor = r.off + r.size;
		bool on = f->valid && ((vb >> (f->valid - 1)) & 1);
		if (!f->valid || on || (diag_only && !may_report(f->kind)) || !row_present(f, &r) ||
		    all_zero(p + r.off, r.size))
			continue;
		const crow *c = cd ? &cd->rows[i] : &tmp;
		if (!cd)
			compile_row_tmp(f, &tmp, &kb);
		emit_row(w, f, c, cd, p, len, r.off, r.size, abs, &r);
	}
	if (!diag_only)
		s->end(s->ctx, false);
}

/* The walk of one def; diag_only is a constant in each of the two copies below, so the value-event
 * branches vanish from the validator's walk and the diagnostics-only ones from the writers'. */
static WHEA_ALWAYS_INLINE size_t walk_body(walk *w, const whea_def *d, const uint8_t *p, size_t len, uint64_t abs,
					   const bool diag_only)
{
	const whea_sink *s = w->s;
	if (d && d->select)
		d = whea_def_resolve(d, p, len);
	if (!d || w->depth >= MAX_DEPTH) {
		if (!w->diag_only)
			s->bytes(s->ctx, &data_sk, p, len);
		return len;
	}
	w->depth++;
	if (!diag_only && d->pci_loc && s->note)
		emit_pci_loc(s, d->pci_loc, p, len);
	const cdef *cd = cd_of(d, w->gen);
	const whea_field *vbrow = cd ? (cd->vbrow != UINT16_MAX ? &d->fields[cd->vbrow] : NULL) : whea_def_validbits_row(d);
	uint64_t vb = 0; /* stays 0 when the row holding them is missing: no gated row is valid then */
	bool have_vb = vbrow && vbrow->off + vbrow->size <= len;
	if (have_vb) {
		vb = whea_leN(p + vbrow->off, vbrow->size);
		uint64_t unknown = vb ? vb & ~(cd ? cd->known : known_bits(d, vbrow)) : 0;
		if (unknown)
			diag(w, WHEA_DIAG_WARNING, WHEA_EFORMAT, abs + vbrow->off,
			     "%s: reserved validation bits set (0x%llx)", d->name, (unsigned long long)unknown);
	}
	size_t cursor = 0, extent = 0;
	bool invalid_pending = false;
	const crow *crows = cd ? cd->rows : NULL;
	run rn;
	rn.n = rn.room = 0;
	/* Without compiled tables (their arena is full) the rows are compiled a few at a time onto the
	 * stack, so that the row loop always walks compiled entries. */
	crow chunk[UNCOMPILED_CHUNK];
	whea_skey_buf kb[UNCOMPILED_CHUNK]; /* their names (none of them joins a run: not runnable) */
	const whea_field *f = d->fields, *const fall = f + d->nfields;
	while (f < fall) {
		const whea_field *fend = fall;
		const crow *c = crows;
		if (!crows) {
			size_t m = (size_t)(fall - f) < UNCOMPILED_CHUNK ? (size_t)(fall - f) : UNCOMPILED_CHUNK;
			for (size_t k = 0; k < m; k++)
				if (diag_only)
					compile_row(f + k, &chunk[k]);
				else
					compile_row_tmp(f + k, &chunk[k], &kb[k]);
			fend = f + m, c = chunk;
		}
		for (; f < fend; f++, c++) {
			if (c->end <= len) {
				/* The common rows: fixed place and size, present, nothing to check. */
				cursor = (size_t)c->end;
				if (cursor > extent)
					extent = cursor;
				if (diag_only)
					continue;
				if (c->gated && !(vb & c->vbit)) {
					/* not valid: only kept (under "notValid") when not zero */
					if (!invalid_pending && row_nonzero(p, len, c))
						invalid_pending = true;
					continue;
				}
				if (c->op == OP_RUN) {
					run_add(s, &rn, &c->sk, row_value(p, len, c));
					continue;
				}
				if (c->op == OP_BLOCK) {
					if (c->blk_need <= len && (vb & c->blk_vb) == c->blk_vb) {
						/* a block of plain members, all there and valid: the sink reads them */
						run_flush(s, &rn);
						s->rows(s->ctx, &cd->rowsk[f - d->fields], c->blk_n, p, c->blk_room);
						cursor = c->blk_last;
						if (c->blk_max > extent)
							extent = c->blk_max;
						f += c->blk_n - 1, c += c->blk_n - 1;
					} else { /* row by row: this one is valid (tested above) */
						run_add(s, &rn, &c->sk, row_value(p, len, c));
					}
					continue;
				}
				run_flush(s, &rn);
				emit_fixed(w, f, c, cd, p, len, abs);
				continue;
			}
			bool gated = f->valid != 0, on = gated && (vb & c->vbit);
			if (f->kind == WHEA_K_ARRAY)
				run_flush(s, &rn); /* measuring an array can report */
			rowspan r = place_row(w, f, p, len, cursor, abs, !gated || on);
			if (!row_present(f, &r)) {
				if (on)
					run_flush(s, &rn), diag(w, WHEA_DIAG_ERROR, WHEA_ETRUNC, abs + (r.off < len ? r.off : len),
					     "%s: validation bit %u claims %s at offset %zu..%zu, beyond the %zu bytes present",
					     d->name, f->valid - 1u, f->key, r.off, r.off + r.size, len);
				cursor = r.off + r.size;
				continue;
			}
			cursor = r.off + r.size;
			if (r.size && cursor > extent)
				extent = cursor;
			if (f->kind == WHEA_K_VALIDBITS) {
				if (!diag_only)
					run_flush(s, &rn), s->bits(s->ctx, row_sk(c), vb, f->size * 8u, f->names, NULL, d, c->fn);
				continue;
			}
			if (gated && !on) {
				if (!invalid_pending && (!diag_only || may_report(f->kind)) && !all_zero(p + r.off, r.size))
					invalid_pending = true;
				continue;
			}
			if (diag_only && !may_report(f->kind))
				continue;
			if (f->kind == WHEA_K_RESERVED && all_zero(p + r.off, r.size))
				continue;
			if (f->kind == WHEA_K_UINT && !diag_only && !f->select && (!f->sub || !f->sub->nbits)) {
				/* the common case, without the general dispatch */
				if (c->runnable) {
					run_add(s, &rn, &c->sk, whea_leN(p + r.off, (unsigned)r.size));
					continue;
				}
				run_flush(s, &rn);
				s->num(s->ctx, row_sk(c), whea_leN(p + r.off, (unsigned)r.size), f->fmt, (unsigned)r.size);
				continue;
			}
			run_flush(s, &rn);
			emit_row(w, f, c, cd, p, len, r.off, r.size, abs, &r);
		}
	}
	if (!diag_only)
		run_flush(s, &rn);
	if (invalid_pending)
		emit_not_valid(w, d, cd, p, len, abs, vb, diag_only);
	if (d->check)
		d->check(p, len, abs, check_diag_cb, w);
	w->depth--;
	return extent;
}

static size_t walk_emit(walk *w, const whea_def *d, const uint8_t *p, size_t len, uint64_t abs)
{
	return walk_body(w, d, p, len, abs, false);
}

static size_t walk_check(walk *w, const whea_def *d, const uint8_t *p, size_t len, uint64_t abs)
{
	return walk_body(w, d, p, len, abs, true);
}

static size_t walk_def(walk *w, const whea_def *d, const uint8_t *p, size_t len, uint64_t abs)
{
	return w->diag_only ? walk_check(w, d, p, len, abs) : walk_emit(w, d, p, len, abs);
}

size_t whea_interp_decode(const whea_sink *s, const whea_def *def, const uint8_t *p, size_t len, uint64_t abs,
			  int hint)
{
	walk w = {s, hint, 0, s->diag_only, whea_registry_generation()};
	return walk_def(&w, def, p, len, abs);
}

void whea_interp_section(const whea_sink *s, const whea_section_type *t, const uint8_t *p, size_t len,
			 uint64_t abs, int hint)
{
	walk w = {s, hint, 0, s->diag_only, whea_registry_generation()};
	const whea_def *d = t ? whea_def_resolve(t->def, p, len) : NULL;
	if (!d) {
		if (!w.diag_only)
			s->bytes(s->ctx, &data_sk, p, len);
		return;
	}
	size_t need = d->min_size ? d->min_size : d->size;
	if (len < need)
		diag(&w, WHEA_DIAG_ERROR, WHEA_ETRUNC, abs,
		     "%s section is %zu bytes, shorter than the %zu its layout needs", t->name, len, need);
	size_t extent = walk_def(&w, d, p, len, abs);
	if (extent < len && !w.diag_only)
		s->bytes(s->ctx, &trailing_sk, p + extent, len - extent);
}
