/* store/index.h — the in-memory index of a store: entries in write order (sequence numbers
 * strictly increase) with an open-addressing hash from record id to entry, so read by id is O(1)
 * and the next-id chain and iterators follow write order. Memory comes from the store's OS table. */
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

typedef struct sidx {
	const whea_store_os *os;
	sidx_entry *e;
	size_t n, cap;      /* entries used / allocated (dead ones included until compacted) */
	size_t live;
	uint64_t live_bytes;/* sum of size over live entries */
	uint32_t *slot;     /* hash: entry index + 1, 0 = empty */
	size_t nslot;       /* power of two, or 0 */
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
/* The live entry for id, or NULL; *pos gets its position. */
const sidx_entry *sidx_get(const sidx *x, uint64_t id, size_t *pos);
/* The first live entry at or after position pos, or NULL. */
const sidx_entry *sidx_live_from(const sidx *x, size_t pos, size_t *at);
/* The first live entry whose seq is above seq, or NULL. */
const sidx_entry *sidx_after_seq(const sidx *x, uint64_t seq);
/* Frees room taken by dead entries when they outnumber the live ones (positions change). */
void sidx_maybe_compact(sidx *x);

#endif
