/* store/index.h — the in-memory index of a store: entries in write order (sequence numbers
 * strictly increase) with an open-addressing hash from record id to entry, so read by id is O(1)
 * and the next-id chain and iterators follow write order. A hash slot carries part of the id's
 * hash and the entry's off besides the entry's position, so a lookup reads one slot (probing
 * rarely leaves its cache line) and one entry, and can start fetching the record itself (see
 * sidx_set_prefetch) while the entry is on its way. Memory comes from the store's OS table. */
#ifndef WHEA_STORE_INDEX_H
#define WHEA_STORE_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "whea/store.h"

typedef struct sidx_entry {
	uint64_t id;
	uint64_t seq;    /* write order; strictly increasing along the array */
	uint64_t off;    /* where the backend keeps it (file offset of the frame, a pointer, ...) */
	uint32_t len;    /* record length */
	uint32_t crc;    /* payload checksum, checked again on every read */
	uint32_t size;   /* bytes the record takes in the backend (frame size), for accounting */
	bool live;
} sidx_entry;

typedef struct sidx_slot {
	uint32_t pos1;      /* entry index + 1, 0 = empty */
	uint32_t tag;       /* high bits of the id's hash: most probes that miss never read the entry */
	uint64_t off;       /* the entry's off */
} sidx_slot;

typedef struct sidx {
	const whea_store_os *os;
	sidx_entry *e;
	size_t n, cap;      /* entries used / allocated (dead ones included until compacted) */
	size_t live;
	uint64_t live_bytes;/* sum of size over live entries */
	sidx_slot *slot;    /* the hash, at most half full */
	size_t nslot;       /* power of two, or 0 */
	uintptr_t pf_base;  /* sidx_get prefetches pf_base + off + pf_skip when off + pf_skip < pf_len */
	uint64_t pf_len, pf_skip;
} sidx;

void sidx_init(sidx *x, const whea_store_os *os);
void sidx_free(sidx *x);
void sidx_reset(sidx *x);
/* Makes room for `more` sidx_put calls, which then cannot fail. */
int sidx_reserve(sidx *x, size_t more);
/* Adds a record with a sequence number above every earlier one; an entry with the same id dies
 * (its copy is returned in *old when old != NULL; old->live tells whether there was one).
 * WHEA_ENOMEM leaves the index unchanged. */
int sidx_put(sidx *x, const sidx_entry *e, sidx_entry *old);
/* Removes id; WHEA_ENOTFOUND if absent. The removed entry is copied to *old when not NULL. */
int sidx_del(sidx *x, uint64_t id, sidx_entry *old);
/* From now on sidx_get hints the CPU to fetch base + off + skip (a record's bytes in a mapping of
 * len bytes) for the entry it finds, before it reads the entry; base NULL stops it. */
void sidx_set_prefetch(sidx *x, const void *base, uint64_t len, uint64_t skip);
/* The live entry for id, or NULL; *pos gets its position. */
const sidx_entry *sidx_get(const sidx *x, uint64_t id, size_t *pos);
/* The first live entry at or after position pos, or NULL. */
const sidx_entry *sidx_live_from(const sidx *x, size_t pos, size_t *at);
/* The first live entry whose seq is above seq, or NULL. */
const sidx_entry *sidx_after_seq(const sidx *x, uint64_t seq);
/* Frees room taken by dead entries when they outnumber the live ones (positions change). */
void sidx_maybe_compact(sidx *x);

#endif
