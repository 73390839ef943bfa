/* tests/store/workload.c — the scripted store workload, its model of what the store may hold, and
 * the check that compares a store with the model (see workload.h). */
#include "workload.h"

#include <stdlib.h>
#include <string.h>

#include "../check.h"
#include "util/le.h"
#include "whea/record.h"
#include "whea/table.h"
#include "../rng.h"

#define READ_CAP (64u * 1024u)
#define SPARE_SLOT (WL_MAX_SLOTS - 1) /* wl_write_one_more's slot; scripts never use it */

#define WCHECK(w, cond, fmt, ...)                                                                 \
	do {                                                                                      \
		bool ok_ = (cond);                                                                \
		if (!ok_)                                                                         \
			(w)->problems++;                                                          \
		CHECK(ok_, "[%s, step %zu] " fmt, (w)->label, (w)->step, __VA_ARGS__);            \
	} while (0)

/* ---- records ------------------------------------------------------------------------------- */

static const whea_guid vendor_section = WHEA_GUID(0x6f70656e, 0x7768, 0x6561, 0x73, 0x74, 0x6f, 0x72, 0x65, 0x74,
						   0x73, 0x74);

uint64_t wl_slot_id(unsigned slot)
{
	/* Even slots below 2^63, odd ones above (ids after 2038 look like that). */
	return (slot & 1 ? 0xF1D0000000000000ull : 0x5EED000000000000ull) + ((uint64_t)slot << 12) + 7;
}

int wl_id_slot(uint64_t id)
{
	uint64_t base = id >> 60 == 0xF ? 0xF1D0000000000000ull : 0x5EED000000000000ull;
	if (id < base + 7 || ((id - base - 7) & 0xFFF))
		return -1;
	uint64_t slot = (id - base - 7) >> 12;
	if (slot >= WL_MAX_SLOTS || wl_slot_id((unsigned)slot) != id)
		return -1;
	return (int)slot;
}


/* A valid CPER record of exactly size bytes for slot: a memory error section and a vendor
 * section of bytes unique to this version. Kept in the pool until wl_free. */
const uint8_t *wl_make_record(wl *w, unsigned slot, uint32_t size, unsigned sev)
{
	const uint32_t fixed = WHEA_RECORD_HEADER_SIZE + 2 * WHEA_SECTION_DESC_SIZE + 80;
	if (size < fixed + 16)
		size = fixed + 16;
	uint8_t *buf = malloc(size);
	if (!buf)
		abort();
	whea_builder b;
	whea_record_init init = WHEA_RECORD_INIT_DEFAULTS;
	init.severity = sev;
	init.record_id = wl_slot_id(slot);
	init.creator = WHEA_CREATOR_OPENWHEA;
	uint8_t *body;
	int r = whea_builder_init(&b, buf, size, 2, &init);
	if (!r)
		r = whea_builder_add_section(&b, &whea_section_by_key("Memory", 6)->guid, 80, sev, 0, &body);
	if (r >= 0)
		r = whea_builder_add_section(&b, &vendor_section, size - fixed, sev, 0, &body);
	if (r < 0 || whea_builder_length(&b) != size) {
		fprintf(stderr, "workload: cannot build a record of %u bytes: %d\n", size, r);
		abort();
	}
	uint64_t s = ((uint64_t)slot << 32) ^ ++w->version ^ 0x9E3779B97F4A7C15ull;
	for (uint32_t i = 0; i < size - fixed; i += 8) {
		uint64_t v = test_rng(&s);
		memcpy(body + i, &v, size - fixed - i < 8 ? size - fixed - i : 8);
	}
	if (w->npool == w->cappool) {
		w->cappool = w->cappool ? w->cappool * 2 : 64;
		w->pool = realloc(w->pool, w->cappool * sizeof *w->pool);
		if (!w->pool)
			abort();
	}
	w->pool[w->npool++] = buf;
	return buf;
}

/* ---- the model ------------------------------------------------------------------------------ */

static void model_ack(wl *w, unsigned slot, wl_state st)
{
	w->slots[slot].allowed[0] = st;
	w->slots[slot].n = 1;
}

void wl_model_maybe(wl *w, unsigned slot, const uint8_t *bytes, uint32_t len)
{
	wl_state st = {bytes, len};
	wl_slot *m = &w->slots[slot];
	for (unsigned i = 0; i < m->n; i++)
		if (m->allowed[i].bytes == st.bytes)
			return;
	if (m->n == WL_MAX_STATES) {
		fprintf(stderr, "workload: slot %u has too many possible states\n", slot);
		abort();
	}
	m->allowed[m->n++] = st;
}

static bool model_allows(const wl *w, unsigned slot, const uint8_t *bytes, uint32_t len)
{
	const wl_slot *m = &w->slots[slot];
	for (unsigned i = 0; i < m->n; i++) {
		const wl_state *a = &m->allowed[i];
		if (!bytes ? !a->bytes : a->bytes && a->len == len && !memcmp(a->bytes, bytes, len))
			return true;
	}
	return false;
}

/* Exactly one state allowed: *present tells which. */
static bool model_definite(const wl *w, unsigned slot, bool *present)
{
	*present = w->slots[slot].allowed[0].bytes != NULL;
	return w->slots[slot].n == 1;
}

/* ---- life cycle ----------------------------------------------------------------------------- */

void wl_init(wl *w, const whea_store_os *os, const char *dir, uint64_t capacity)
{
	memset(w, 0, sizeof *w);
	w->os = os;
	w->dir = dir;
	w->capacity = capacity;
	w->label = "";
	for (unsigned i = 0; i < WL_MAX_SLOTS; i++)
		w->slots[i].n = 1;
}

void wl_free(wl *w)
{
	for (size_t i = 0; i < w->npool; i++)
		free(w->pool[i]);
	free(w->pool);
	w->pool = NULL;
	w->npool = w->cappool = 0;
}

bool wl_code_ok(int r) { return r == 0 || (r >= WHEA_EBUSY && r < 0); }

int wl_open(wl *w, const whea_store_os *os)
{
	whea_store_opts o = {sizeof o, WHEA_STORE_OPTS_VERSION, "file", w->capacity, 0, 0, os ? os : w->os};
	whea_store *s = NULL;
	int r = whea_store_open(&s, w->dir, &o);
	WCHECK(w, r == 0 || (!s && wl_code_ok(r) && whea_error_last()->message[0]),
	       "open %s returned %d (%s) with handle %p and message '%s'", w->dir, r, whea_error_name(r), (void *)s,
	       whea_error_last()->message);
	if (!r) {
		w->s = s;
		w->opens++;
	}
	return r;
}

void wl_close(wl *w)
{
	whea_store_close(w->s);
	w->s = NULL;
}

/* ---- running -------------------------------------------------------------------------------- */

static bool stopped(wl *w)
{
	if (!w->stopped && w->stop && w->stop(w->ctx))
		w->stopped = true;
	return w->stopped;
}

/* Looks at a store call's result: strict runs want `want` (or `alt`); others want a clean code,
 * and a poisoned handle (or on_error's wish) closes the handle. */
static void result(wl *w, const char *what, unsigned slot, int r, int want, int alt)
{
	if (stopped(w))
		return; /* interrupted by the crash: the model already allows both outcomes */
	if (w->strict) {
		WCHECK(w, r == want || r == alt, "%s (slot %u) returned %d %s, expected %s: %s", what,
		       slot, r, whea_error_name(r), whea_error_name(want), r ? whea_error_last()->message : "");
		return;
	}
	if (r >= 0)
		return;
	WCHECK(w, wl_code_ok(r) && whea_error_last()->message[0],
	       "%s (slot %u) returned %d with message '%s'", what, slot, r, whea_error_last()->message);
	bool reopen = r == WHEA_EPOISONED;
	if (w->on_error && w->on_error(w, what, r, w->ctx))
		reopen = true;
	if (reopen && !w->stopped)
		wl_close(w);
}

/* Whether the store shows slot in a state the model allows. */
static bool slot_matches(wl *w, unsigned slot)
{
	static uint8_t buf[READ_CAP];
	uint64_t next;
	uint32_t len = sizeof buf;
	int r = whea_store_read(w->s, 0, wl_slot_id(slot), &next, &len, buf);
	if (r == WHEA_ENOTFOUND || r == WHEA_EEMPTY)
		return model_allows(w, slot, NULL, 0);
	return r == 0 && model_allows(w, slot, buf, len);
}

/* Writes count records (one call, or one batch) to slots first...; returns the store's code. A
 * refusal as full leaves the model as it was: strict runs check that nothing changed. */
static int write_slots(wl *w, const wl_step *st, unsigned first, unsigned count, bool batch, bool full_ok)
{
	whea_store_item items[64];
	if (count > 64)
		count = 64;
	for (unsigned i = 0; i < count; i++) {
		/* Sizes vary inside a batch: size, size + 333, size + 666, ... */
		uint32_t size = st->size + (batch ? (i % 4) * 333 : 0);
		items[i].record = wl_make_record(w, first + i, size, st->sev);
		items[i].length = size < 368 ? 368 : size;
	}
	int r = batch ? whea_store_write_batch(w->s, 0, items, count)
		      : whea_store_write(w->s, 0, items[0].length, items[0].record);
	if (r == WHEA_EFULL && w->strict && full_ok && !stopped(w)) {
		for (unsigned i = 0; i < count; i++)
			WCHECK(w, slot_matches(w, first + i), "a write refused as full changed slot %u", first + i);
		return r;
	}
	for (unsigned i = 0; i < count; i++) {
		if (r == 0)
			model_ack(w, first + i, (wl_state){items[i].record, items[i].length});
		else
			wl_model_maybe(w, first + i, items[i].record, items[i].length);
	}
	if (r != WHEA_EFULL || !full_ok)
		result(w, batch ? "write_batch" : "write", first, r, 0, 0);
	return r;
}

static void clear_slot(wl *w, unsigned slot)
{
	bool present;
	bool definite = model_definite(w, slot, &present);
	int r = whea_store_clear(w->s, 0, wl_slot_id(slot));
	if (r == 0)
		model_ack(w, slot, (wl_state){NULL, 0});
	else
		wl_model_maybe(w, slot, NULL, 0);
	if (!w->strict && !stopped(w)) {
		WCHECK(w, r != WHEA_ENOTFOUND || !definite || !present, "clear of acknowledged slot %u says not found", slot);
		WCHECK(w, r != 0 || !definite || present, "clear of slot %u succeeds though it was not there", slot);
		if (r == WHEA_ENOTFOUND || r == 0)
			return;
	}
	int want = definite && !present ? WHEA_ENOTFOUND : 0;
	result(w, "clear", slot, r, want, definite ? want : WHEA_ENOTFOUND);
}

/* Writes slots from st->slot on until the store is full. */
static void fill(wl *w, const wl_step *st)
{
	wl_step one = *st;
	for (unsigned i = 0; i < st->count && w->s && !stopped(w); i++)
		if (write_slots(w, &one, st->slot + i, 1, false, true) != 0)
			return;
}

static void run_step(wl *w, const wl_step *st)
{
	int r;
	switch (st->op) {
	case WL_OPEN:
		if (w->s)
			break; /* opened already by the step loop */
		break;
	case WL_REOPEN:
		wl_close(w);
		if (!stopped(w) && (r = wl_open(w, NULL)) != 0)
			result(w, "reopen", 0, r, 0, 0);
		break;
	case WL_WRITE:
		write_slots(w, st, st->slot, 1, false, w->full_ok);
		break;
	case WL_BATCH:
		write_slots(w, st, st->slot, st->count ? st->count : 1, true, w->full_ok);
		break;
	case WL_CLEAR:
		for (unsigned i = 0; i < (st->count ? st->count : 1u) && w->s && !stopped(w); i++)
			clear_slot(w, st->slot + i);
		break;
	case WL_COMPACT:
		r = whea_store_compact(w->s);
		result(w, "compact", 0, r, 0, 0);
		break;
	case WL_DUMMY:
		r = whea_store_write(w->s, WHEA_STORE_WRITE_DUMMY, 0, NULL);
		result(w, "dummy write", 0, r, 0, 0);
		break;
	case WL_FILL:
		fill(w, st);
		break;
	case WL_CHECK: {
		char when[64];
		snprintf(when, sizeof when, "check at step %zu", w->step);
		wl_check(w, w->s, when);
		break;
	}
	}
}

unsigned wl_run(wl *w, const wl_step *script)
{
	unsigned before = w->problems;
	w->script = script;
	for (w->step = 0; script[w->step].op != WL_END; w->step++) {
		if (!w->s) {
			int r = wl_open(w, NULL);
			if (stopped(w))
				break;
			if (r) {
				result(w, "open", 0, r, 0, 0);
				continue;
			}
		}
		run_step(w, &script[w->step]);
		if (stopped(w))
			break;
		if (w->after_step)
			w->after_step(w, w->ctx);
	}
	return w->problems - before;
}

/* ---- checking -------------------------------------------------------------------------------- */

/* The problems verify reported, kept for judging them. */
#define MAX_PROBLEMS 32
typedef struct problems {
	wl *w;
	size_t n;
	struct {
		char file[256];
		uint64_t off, len;
		int code;
	} p[MAX_PROBLEMS];
} problems;

static void collect_problem(void *ctx, const whea_store_problem *p)
{
	problems *ps = ctx;
	if (ps->n < MAX_PROBLEMS) {
		snprintf(ps->p[ps->n].file, sizeof ps->p[ps->n].file, "%s", p->file ? p->file : "");
		ps->p[ps->n].off = p->offset;
		ps->p[ps->n].len = p->length;
		ps->p[ps->n].code = p->code;
		ps->n++;
	}
	if (ps->w->verbose)
		printf("  [%s] verify: %s offset %llu length %llu: %s (%s)\n", ps->w->label, p->file,
		       (unsigned long long)p->offset, (unsigned long long)p->length, p->msg, whea_error_name(p->code));
}

/* Whether [off, off+len) of the file overlaps an acknowledged record's bytes (any copy of them). */
static bool hits_acknowledged(const wl *w, const uint8_t *data, size_t size, uint64_t off, uint64_t len)
{
	for (unsigned i = 0; i < WL_MAX_SLOTS; i++) {
		const wl_state *a = &w->slots[i].allowed[0];
		if (w->slots[i].n != 1 || !a->bytes)
			continue;
		for (const uint8_t *q = data; size - (size_t)(q - data) >= a->len;) {
			q = memmem(q, size - (size_t)(q - data), a->bytes, a->len);
			if (!q)
				break;
			uint64_t at = (uint64_t)(q - data);
			if (at < off + len && off < at + a->len)
				return true;
			q++;
		}
	}
	return false;
}

/* verify may report damage the crash left in bytes of an interrupted operation (a torn batch
 * with whole frames after the tear looks like damage in the middle, which the store must skip and
 * report); it must find nothing wrong with acknowledged records. */
static void judge_verify(wl *w, whea_store *s, const char *when)
{
	problems ps = {.w = w};
	int v = whea_store_verify(s, collect_problem, &ps);
	WCHECK(w, v >= 0 && (size_t)v == ps.n, "%s: verify returns %d (%s) after reporting %zu problems", when, v,
	       v < 0 ? whea_error_name(v) : "", ps.n);
	for (size_t i = 0; i < ps.n && i < MAX_PROBLEMS; i++) {
		uint8_t *data = NULL;
		size_t size = 0;
		bool readable = ps.p[i].file[0] && w->read_file && w->read_file(w->ctx, ps.p[i].file, &data, &size) == 0;
		bool bad = !readable || ps.p[i].code == WHEA_EINVAL ||
			   hits_acknowledged(w, data, size, ps.p[i].off, ps.p[i].len);
		free(data);
		WCHECK(w, !bad, "%s: verify reports %s at %s offset %llu length %llu%s", when, whea_error_name(ps.p[i].code),
		       ps.p[i].file, (unsigned long long)ps.p[i].off, (unsigned long long)ps.p[i].len,
		       readable ? " over an acknowledged record" : "");
		if (!bad)
			w->tolerated++;
	}
}

/* Walks the next-id chain from id 0; marks each slot seen. Returns the records found. */
static size_t walk_chain(wl *w, whea_store *s, const char *when, bool seen[WL_MAX_SLOTS], uint8_t *buf)
{
	size_t found = 0;
	uint64_t id = WHEA_STORE_ID_FIRST;
	for (size_t steps = 0;; steps++) {
		if (steps > WL_MAX_SLOTS) {
			WCHECK(w, 0, "%s: the next-id chain does not end", when);
			break;
		}
		uint64_t next = 0x1234;
		uint32_t len = READ_CAP;
		int r = whea_store_read(s, 0, id, &next, &len, buf);
		if (r == WHEA_EEMPTY && steps == 0)
			break;
		if (r) {
			WCHECK(w, 0, "%s: read of 0x%llx along the chain: %s: %s", when,
			       (unsigned long long)id, whea_error_name(r), whea_error_last()->message);
			break;
		}
		uint64_t rid = len >= WHEA_RECORD_HEADER_SIZE ? whea_le64(buf + 96) : 0;
		WCHECK(w, id == WHEA_STORE_ID_FIRST || rid == id, "%s: read 0x%llx gave record 0x%llx",
		       when, (unsigned long long)id, (unsigned long long)rid);
		int slot = wl_id_slot(rid);
		if (slot < 0) {
			WCHECK(w, 0, "%s: the store holds record 0x%llx (%u bytes) nobody wrote", when,
			       (unsigned long long)rid, len);
		} else if (seen[slot]) {
			WCHECK(w, 0, "%s: the chain visits slot %d twice", when, slot);
			break;
		} else {
			seen[slot] = true;
			found++;
			bool present;
			bool definite = model_definite(w, (unsigned)slot, &present);
			WCHECK(w, model_allows(w, (unsigned)slot, buf, len),
			       "%s: slot %d (0x%llx, %u bytes) is %s", when, slot, (unsigned long long)rid, len,
			       definite && !present ? "there although its clear was acknowledged (or it was never written)"
						    : "damaged or not a version that was written");
		}
		if (next == rid)
			break;
		id = next;
	}
	return found;
}

unsigned wl_check(wl *w, whea_store *s, const char *when)
{
	unsigned before = w->problems;
	if (!s) {
		WCHECK(w, 0, "%s: no store handle", when);
		return 1;
	}
	uint8_t *buf = malloc(READ_CAP);
	if (!buf)
		abort();
	bool seen[WL_MAX_SLOTS] = {0};
	size_t found = walk_chain(w, s, when, seen, buf);

	/* Every slot by id: the chain and read by id agree; nothing acknowledged is missing. */
	for (unsigned i = 0; i < WL_MAX_SLOTS; i++) {
		uint64_t next;
		uint32_t len = READ_CAP;
		int r = whea_store_read(s, 0, wl_slot_id(i), &next, &len, buf);
		if (seen[i]) {
			WCHECK(w, r == 0 && model_allows(w, i, buf, len),
			       "%s: slot %u is on the chain but read by id gives %s", when, i, whea_error_name(r));
			continue;
		}
		WCHECK(w, r == WHEA_ENOTFOUND || r == WHEA_EEMPTY,
		       "%s: slot %u is not on the chain but read by id gives %s", when, i, whea_error_name(r));
		WCHECK(w, model_allows(w, i, NULL, 0), "%s: acknowledged slot %u (0x%llx) is missing",
		       when, i, (unsigned long long)wl_slot_id(i));
	}

	/* The iterator visits the same records once each. */
	bool it_seen[WL_MAX_SLOTS] = {0};
	uint64_t cursor = 0, id;
	size_t it = 0;
	int r;
	while ((r = whea_store_next(s, &cursor, &id)) == 0 && it <= WL_MAX_SLOTS) {
		int slot = wl_id_slot(id);
		WCHECK(w, slot >= 0 && seen[slot] && !it_seen[slot],
		       "%s: the iterator gives 0x%llx unexpectedly", when, (unsigned long long)id);
		if (slot >= 0)
			it_seen[slot] = true;
		it++;
	}
	WCHECK(w, (r == WHEA_ENOTFOUND || r == WHEA_EEMPTY) && it == found,
	       "%s: the iterator ended with %s after %zu of %zu records", when, whea_error_name(r), it, found);

	whea_store_stat st;
	r = whea_store_stat_get(s, &st);
	WCHECK(w, r == 0 && st.count == found, "%s: stat gives %s, count %llu for %zu records", when,
	       whea_error_name(r), (unsigned long long)st.count, found);
	judge_verify(w, s, when);

	/* Buffer too small and not found, as PSHED specifies. */
	for (unsigned i = 0; i < WL_MAX_SLOTS && found; i++) {
		if (!seen[i])
			continue;
		uint64_t next = 77;
		uint32_t len = 10;
		r = whea_store_read(s, 0, wl_slot_id(i), &next, &len, buf);
		WCHECK(w, r == WHEA_ENOSPACE && len > 10 && next == 77,
		       "%s: a 10-byte buffer gives %s, length %u", when, whea_error_name(r), len);
		break;
	}
	free(buf);
	return w->problems - before;
}

unsigned wl_write_one_more(wl *w, whea_store *s, const char *when)
{
	unsigned before = w->problems;
	const uint8_t *rec = wl_make_record(w, SPARE_SLOT, 400, WHEA_SEV_FATAL);
	wl_model_maybe(w, SPARE_SLOT, rec, 400);
	int r = whea_store_write(s, 0, 400, rec);
	if (w->stop && w->stop(w->ctx))
		return 0; /* crashed meanwhile */
	if (r == WHEA_EFULL) {
		whea_store_stat st = {0};
		whea_store_stat_get(s, &st);
		WCHECK(w, st.free < 400 + 256, "%s: a 400-byte write is refused as full with %llu free",
		       when, (unsigned long long)st.free);
		return w->problems - before;
	}
	WCHECK(w, r == 0, "%s: writing one more record: %s: %s", when, whea_error_name(r),
	       whea_error_last()->message);
	if (r)
		return w->problems - before;
	model_ack(w, SPARE_SLOT, (wl_state){rec, 400});
	uint8_t back[400];
	uint64_t next;
	uint32_t len = sizeof back;
	r = whea_store_read(s, 0, wl_slot_id(SPARE_SLOT), &next, &len, back);
	WCHECK(w, r == 0 && len == 400 && !memcmp(back, rec, 400),
	       "%s: the record written after reopen reads back as %s", when, whea_error_name(r));
	return w->problems - before;
}

/* ---- scripts -------------------------------------------------------------------------------- */

#define W(slot, size, sev) {WL_WRITE, WHEA_SEV_##sev, slot, 1, size}
#define B(slot, n, size, sev) {WL_BATCH, WHEA_SEV_##sev, slot, n, size}
#define C(slot, n) {WL_CLEAR, 0, slot, n, 0}
#define OP(op) {WL_##op, 0, 0, 0, 0}

/* Capacity 128 KiB: single writes of every severity and many sizes, a batch, rewrites, clears
 * (one of an id already cleared), explicit compaction, reopen, rewrites that pile up dead space,
 * filling the store until it is full, clears, and writes that only fit after compaction. */
const wl_step wl_script_normal[] = {
	OP(OPEN),
	OP(DUMMY),
	W(0, 400, FATAL),
	W(1, 1500, CORRECTED),
	W(2, 3000, RECOVERABLE),
	W(3, 9000, INFORMATIONAL),
	B(4, 5, 700, FATAL),
	W(1, 2200, FATAL),
	C(2, 1),
	C(2, 1),
	W(9, 12000, FATAL),
	OP(CHECK),
	OP(COMPACT),
	OP(REOPEN),
	B(10, 8, 1100, CORRECTED),
	C(4, 3),
	W(0, 600, FATAL),
	W(3, 5000, RECOVERABLE),
	OP(COMPACT),
	OP(DUMMY),
	OP(REOPEN),
	B(10, 8, 1300, FATAL),
	B(10, 8, 1500, FATAL),
	W(2, 777, CORRECTED),
	OP(CHECK),
	{WL_FILL, WHEA_SEV_FATAL, 20, 40, 4000},
	C(20, 10),
	W(60, 4000, FATAL),
	W(61, 4500, RECOVERABLE),
	B(62, 2, 3000, FATAL),
	OP(REOPEN),
	W(1, 900, FATAL),
	C(1, 1),
	W(9, 1000, CORRECTED),
	B(64, 4, 500, FATAL),
	C(10, 4),
	OP(COMPACT),
	W(4, 2000, FATAL),
	OP(CHECK),
	OP(END),
};

static uint64_t rnd(uint64_t *s) { return test_rng(s) >> 11; }

size_t wl_script_random(wl_step *out, size_t max, uint64_t seed)
{
	uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
	size_t n = 0;
	static const uint8_t sevs[] = {WHEA_SEV_FATAL, WHEA_SEV_RECOVERABLE, WHEA_SEV_CORRECTED, WHEA_SEV_INFORMATIONAL};
	out[n++] = (wl_step)OP(OPEN);
	while (n + 2 < max) {
		wl_step st = {0};
		unsigned k = (unsigned)(rnd(&s) % 100);
		unsigned slot = (unsigned)(rnd(&s) % 60);
		uint32_t size = 400 + (uint32_t)(rnd(&s) % (rnd(&s) % 4 ? 3000 : 14000));
		uint8_t sev = sevs[rnd(&s) % 4];
		if (k < 40)
			st = (wl_step){WL_WRITE, sev, (uint16_t)slot, 1, size};
		else if (k < 55)
			st = (wl_step){WL_BATCH, sev, (uint16_t)slot, (uint16_t)(2 + rnd(&s) % 7), size / 3};
		else if (k < 80)
			st = (wl_step){WL_CLEAR, 0, (uint16_t)slot, (uint16_t)(1 + rnd(&s) % 3), 0};
		else if (k < 85)
			st = (wl_step)OP(COMPACT);
		else if (k < 91)
			st = (wl_step)OP(REOPEN);
		else if (k < 94)
			st = (wl_step)OP(DUMMY);
		else if (k < 97)
			st = (wl_step)OP(CHECK);
		else
			st = (wl_step){WL_FILL, sev, (uint16_t)(100 + rnd(&s) % 100), 40, 2000 + size};
		out[n++] = st;
	}
	out[n++] = (wl_step)OP(CHECK);
	out[n] = (wl_step)OP(END);
	return n;
}

void wl_counts(unsigned *passed, unsigned *failed)
{
	*passed += check_passed;
	*failed += check_failed;
	check_passed = check_failed = 0;
}
