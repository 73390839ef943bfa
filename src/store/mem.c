/* store/mem.c — the "mem" backend: records kept in process memory, for tests and for callers
 * that want the store's semantics without persistence. Same index and semantics as the file
 * backend; capacity counts record bytes (default 1 MiB). Nothing survives close. */
#include <string.h>

#include "store/backend.h"
#include "store/index.h"
#include "store/crc32c.h"

#define MEM_DEFAULT_CAPACITY (1u << 20)

typedef struct mstore {
	const whea_store_os *os;
	sidx idx;
	uint64_t capacity, next_seq;
} mstore;

static void drop(mstore *m, const sidx_entry *old)
{
	if (old->live)
		m->os->free(m->os->ctx, (void *)(uintptr_t)old->off);
}

static int mem_open(void **ctx, const char *location, const whea_store_opts *o)
{
	(void)location;
	mstore *m = o->os->alloc(o->os->ctx, sizeof *m);
	if (!m)
		return whea_error_set(WHEA_ENOMEM, -1, NULL, "out of memory opening a mem store");
	m->os = o->os;
	sidx_init(&m->idx, o->os);
	m->capacity = o->capacity ? o->capacity : MEM_DEFAULT_CAPACITY;
	m->next_seq = 1;
	*ctx = m;
	return 0;
}

static void mem_close(void *ctx)
{
	mstore *m = ctx;
	for (size_t i = 0; i < m->idx.n; i++)
		drop(m, &m->idx.e[i]);
	sidx_free(&m->idx);
	m->os->free(m->os->ctx, m);
}

static int mem_write(void *ctx, const whea_store_item *items, const uint64_t *ids, size_t count)
{
	mstore *m = ctx;
	uint64_t need = 0;
	for (size_t i = 0; i < count; i++)
		need += items[i].length;
	if (m->idx.live_bytes + need > m->capacity)
		return whea_error_set(WHEA_EFULL, -1, NULL, "mem store is full: %llu of %llu bytes used, %llu more needed",
				      (unsigned long long)m->idx.live_bytes, (unsigned long long)m->capacity,
				      (unsigned long long)need);
	int r = sidx_reserve(&m->idx, count);
	if (r)
		return r;
	void **copies = count ? m->os->alloc(m->os->ctx, count * sizeof *copies) : NULL;
	if (count && !copies)
		return whea_error_set(WHEA_ENOMEM, -1, NULL, "out of memory writing to a mem store");
	size_t made = 0;
	for (; made < count; made++)
		if (!(copies[made] = m->os->alloc(m->os->ctx, items[made].length)))
			break;
	if (made < count) {
		while (made--)
			m->os->free(m->os->ctx, copies[made]);
		m->os->free(m->os->ctx, copies);
		return whea_error_set(WHEA_ENOMEM, -1, NULL, "out of memory writing to a mem store");
	}
	for (size_t i = 0; i < count; i++) {
		memcpy(copies[i], items[i].record, items[i].length);
		sidx_entry e = {ids[i], m->next_seq++, (uint64_t)(uintptr_t)copies[i], items[i].length,
				whea_crc32c(0, items[i].record, items[i].length), items[i].length, 1}, old;
		sidx_put(&m->idx, &e, &old);
		drop(m, &old);
	}
	m->os->free(m->os->ctx, copies);
	sidx_maybe_compact(&m->idx);
	return 0;
}

static int mem_read(void *ctx, uint64_t id, uint64_t *next_id, uint32_t *length, void *buf)
{
	mstore *m = ctx;
	if (!m->idx.live)
		return whea_error_set(WHEA_EEMPTY, -1, NULL, "mem store holds no record");
	size_t pos;
	const sidx_entry *e = id == WHEA_STORE_ID_FIRST ? sidx_live_from(&m->idx, 0, &pos) : sidx_get(&m->idx, id, &pos);
	if (!e)
		return whea_error_set(WHEA_ENOTFOUND, -1, NULL, "mem store holds no record with id 0x%llx",
				      (unsigned long long)id);
	if (*length < e->len) {
		*length = e->len;
		return whea_error_set(WHEA_ENOSPACE, -1, NULL, "record 0x%llx needs a buffer of %u bytes",
				      (unsigned long long)e->id, e->len);
	}
	memcpy(buf, (const void *)(uintptr_t)e->off, e->len);
	const sidx_entry *n = sidx_live_from(&m->idx, pos + 1, NULL);
	*next_id = n ? n->id : e->id;
	*length = e->len;
	return 0;
}

static int mem_clear(void *ctx, uint64_t id)
{
	mstore *m = ctx;
	sidx_entry old;
	if (sidx_del(&m->idx, id, &old))
		return whea_error_set(WHEA_ENOTFOUND, -1, NULL, "mem store holds no record with id 0x%llx",
				      (unsigned long long)id);
	old.live = 1;
	drop(m, &old);
	sidx_maybe_compact(&m->idx);
	return 0;
}

static int mem_stat(void *ctx, whea_store_stat *st)
{
	mstore *m = ctx;
	st->count = m->idx.live;
	st->capacity = m->capacity;
	st->used = m->idx.live_bytes;
	st->free = m->capacity > st->used ? m->capacity - st->used : 0;
	st->file_bytes = 0;
	return 0;
}

static int mem_next(void *ctx, uint64_t *cursor, uint64_t *id)
{
	mstore *m = ctx;
	const sidx_entry *e = sidx_after_seq(&m->idx, *cursor);
	if (!e)
		return WHEA_ENOTFOUND;
	*cursor = e->seq;
	*id = e->id;
	return 0;
}

const whea_store_backend whea_store_backend_mem = {
	.size = sizeof(whea_store_backend),
	.version = WHEA_STORE_BACKEND_VERSION,
	.name = "mem",
	.open = mem_open,
	.close = mem_close,
	.write = mem_write,
	.read = mem_read,
	.clear = mem_clear,
	.stat = mem_stat,
	.next = mem_next,
};
