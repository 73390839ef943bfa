/* store/index.c — id -> entry hash (linear probing, backward-shift deletion; a slot holds the
 * entry's position, 32 bits of the id's hash and the entry's off) over an array of entries kept in
 * write order; see index.h. */
#include "store/index.h"

#include <string.h>

static uint64_t hash_id(uint64_t id)
{
	uint64_t h = id * 0x9E3779B97F4A7C15ull;
	return h ^ (h >> 29);
}

static size_t home_of(uint64_t h, size_t nslot) { return (size_t)h & (nslot - 1); }
static uint32_t tag_of(uint64_t h) { return (uint32_t)(h >> 32); }

void sidx_init(sidx *x, const whea_store_os *os)
{
	memset(x, 0, sizeof *x);
	x->os = os;
}

void sidx_free(sidx *x)
{
	if (x->e)
		x->os->free(x->os->ctx, x->e);
	if (x->slot)
		x->os->free(x->os->ctx, x->slot);
	sidx_init(x, x->os);
}

void sidx_set_prefetch(sidx *x, const void *base, uint64_t len, uint64_t skip)
{
	x->pf_base = (uintptr_t)base;
	x->pf_len = base ? len : 0;
	x->pf_skip = skip;
}

void sidx_reset(sidx *x)
{
	x->n = 0;
	x->live = 0;
	x->live_bytes = 0;
	if (x->slot)
		memset(x->slot, 0, x->nslot * sizeof *x->slot);
}

static size_t find_slot(const sidx *x, uint64_t id)
{
	if (!x->nslot)
		return (size_t)-1;
	uint64_t h = hash_id(id);
	uint32_t tag = tag_of(h);
	for (size_t i = home_of(h, x->nslot);; i = (i + 1) & (x->nslot - 1)) {
		const sidx_slot *s = &x->slot[i];
		if (!s->pos1)
			return (size_t)-1;
		if (s->tag == tag && x->e[s->pos1 - 1].id == id)
			return i;
	}
}

static void slot_insert(sidx *x, uint64_t id, uint32_t pos1, uint64_t off)
{
	uint64_t h = hash_id(id);
	size_t i = home_of(h, x->nslot);
	while (x->slot[i].pos1)
		i = (i + 1) & (x->nslot - 1);
	x->slot[i] = (sidx_slot){pos1, tag_of(h), off};
}

static void slot_remove(sidx *x, size_t i)
{
	size_t mask = x->nslot - 1;
	x->slot[i].pos1 = 0;
	for (size_t j = (i + 1) & mask; x->slot[j].pos1; j = (j + 1) & mask) {
		size_t home = home_of(hash_id(x->e[x->slot[j].pos1 - 1].id), x->nslot);
		/* Move j back to the hole i when its home is not cyclically in (i, j]. */
		if (((j - home) & mask) >= ((j - i) & mask)) {
			x->slot[i] = x->slot[j];
			x->slot[j].pos1 = 0;
			i = j;
		}
	}
}

static int rehash(sidx *x, size_t nslot)
{
	sidx_slot *s = x->os->alloc(x->os->ctx, nslot * sizeof *s);
	if (!s)
		return whea_error_set(WHEA_ENOMEM, -1, NULL, "out of memory for the store index");
	memset(s, 0, nslot * sizeof *s);
	if (x->slot)
		x->os->free(x->os->ctx, x->slot);
	x->slot = s;
	x->nslot = nslot;
	for (size_t k = 0; k < x->n; k++)
		if (x->e[k].live)
			slot_insert(x, x->e[k].id, (uint32_t)(k + 1), x->e[k].off);
	return 0;
}

int sidx_reserve(sidx *x, size_t more)
{
	if (x->n + more > x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 64;
		while (cap < x->n + more)
			cap *= 2;
		if (cap > UINT32_MAX - 1)
			return whea_error_set(WHEA_ELIMIT, -1, NULL, "store index is full (%zu entries)", x->n);
		sidx_entry *e = x->os->realloc(x->os->ctx, x->e, cap * sizeof *e);
		if (!e)
			return whea_error_set(WHEA_ENOMEM, -1, NULL, "out of memory for the store index");
		x->e = e;
		x->cap = cap;
	}
	/* Keep the hash at most half full (counting the entries about to be added). */
	if ((x->live + more) * 2 > x->nslot) {
		size_t ns = x->nslot ? x->nslot : 128;
		while ((x->live + more) * 2 > ns)
			ns *= 2;
		return rehash(x, ns);
	}
	return 0;
}

int sidx_put(sidx *x, const sidx_entry *e, sidx_entry *old)
{
	int r = sidx_reserve(x, 1);
	if (r)
		return r;
	if (old)
		old->live = false;
	size_t i = find_slot(x, e->id);
	if (i != (size_t)-1) {
		sidx_entry *o = &x->e[x->slot[i].pos1 - 1];
		if (old)
			*old = *o;
		o->live = false;
		x->live--;
		x->live_bytes -= o->size;
		x->slot[i].pos1 = (uint32_t)(x->n + 1);
		x->slot[i].off = e->off;
	} else {
		slot_insert(x, e->id, (uint32_t)(x->n + 1), e->off);
	}
	x->e[x->n] = *e;
	x->e[x->n].live = true;
	x->n++;
	x->live++;
	x->live_bytes += e->size;
	return 0;
}

int sidx_del(sidx *x, uint64_t id, sidx_entry *old)
{
	size_t i = find_slot(x, id);
	if (i == (size_t)-1)
		return WHEA_ENOTFOUND;
	sidx_entry *o = &x->e[x->slot[i].pos1 - 1];
	if (old)
		*old = *o;
	o->live = false;
	x->live--;
	x->live_bytes -= o->size;
	slot_remove(x, i);
	return 0;
}

/* Like find_slot, but hints the record's bytes and the next entry (the next-id chain) to the CPU
 * as soon as the slot is found, so their cache and TLB misses overlap the entry's. */
const sidx_entry *sidx_get(const sidx *x, uint64_t id, size_t *pos)
{
	if (!x->nslot)
		return NULL;
	uint64_t h = hash_id(id);
	uint32_t tag = tag_of(h);
	for (size_t i = home_of(h, x->nslot);; i = (i + 1) & (x->nslot - 1)) {
		const sidx_slot *s = &x->slot[i];
		if (!s->pos1)
			return NULL;
		if (s->tag != tag)
			continue;
		const sidx_entry *e = &x->e[s->pos1 - 1];
		if (x->pf_len > x->pf_skip && s->off < x->pf_len - x->pf_skip)
			__builtin_prefetch((const void *)(x->pf_base + (uintptr_t)(s->off + x->pf_skip)));
		__builtin_prefetch(e + 1);
		if (e->id != id)
			continue;
		if (pos)
			*pos = s->pos1 - 1;
		return e;
	}
}

const sidx_entry *sidx_live_from(const sidx *x, size_t pos, size_t *at)
{
	for (; pos < x->n; pos++)
		if (x->e[pos].live) {
			if (at)
				*at = pos;
			return &x->e[pos];
		}
	return NULL;
}

const sidx_entry *sidx_after_seq(const sidx *x, uint64_t seq)
{
	size_t lo = 0, hi = x->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (x->e[mid].seq <= seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return sidx_live_from(x, lo, NULL);
}

void sidx_maybe_compact(sidx *x)
{
	size_t dead = x->n - x->live;
	if (dead < 64 || dead < x->live || !x->nslot)
		return;
	size_t k = 0;
	for (size_t i = 0; i < x->n; i++)
		if (x->e[i].live)
			x->e[k++] = x->e[i];
	x->n = k;
	/* Same table size: rebuild in place, so this cannot fail half way. */
	memset(x->slot, 0, x->nslot * sizeof *x->slot);
	for (size_t i = 0; i < x->n; i++)
		slot_insert(x, x->e[i].id, (uint32_t)(i + 1), x->e[i].off);
}
