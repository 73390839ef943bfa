/* tests/store/workload.h — the scripted store workload shared by the crash and fault tests, and
 * the model that says what a store may hold afterwards.
 *
 * A script is a table of steps (open, reopen, write, batch, clear, compact, dummy write, fill
 * until full, check). Records are real CPER records made with the builder, keyed by slot; every
 * write of a slot makes a new version with different bytes. For each slot the model keeps the
 * set of states the store may show: after an acknowledged write exactly that version, after an
 * acknowledged clear exactly "absent", and after a failed or interrupted operation also the
 * state it was trying to reach (a failed write may or may not have landed, but never damaged).
 * wl_check walks the store (next-id chain from id 0, read by id, the iterator, stat, verify) and
 * reports every difference from the model with CHECK. */
#ifndef WHEA_TESTS_WORKLOAD_H
#define WHEA_TESTS_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "whea/store.h"

enum wl_op {
	WL_END,
	WL_OPEN,     /* open (creating the store) */
	WL_REOPEN,   /* close and open again */
	WL_WRITE,    /* write slot (size, sev) */
	WL_BATCH,    /* write slots slot .. slot+count-1 in one batch */
	WL_CLEAR,    /* clear slots slot .. slot+count-1 (count 0 = 1), one call each */
	WL_COMPACT,
	WL_DUMMY,    /* the dummy write */
	WL_FILL,     /* write slots from slot on, one each, until WHEA_EFULL (at most count) */
	WL_CHECK,    /* wl_check on the open handle */
};

typedef struct wl_step {
	uint8_t op;
	uint8_t sev;       /* WHEA_SEV_* */
	uint16_t slot;
	uint16_t count;
	uint32_t size;     /* record length wanted (bytes, at least 400) */
} wl_step;

#define WL_MAX_SLOTS 256
#define WL_MAX_STATES 24

typedef struct wl_state {
	const uint8_t *bytes;  /* NULL: absent */
	uint32_t len;
} wl_state;

typedef struct wl_slot {
	wl_state allowed[WL_MAX_STATES];
	unsigned n;            /* states the store may show; 1 = the state is acknowledged */
} wl_slot;

typedef struct wl wl;
typedef struct wl {
	/* Set by the caller. */
	const whea_store_os *os;
	const char *dir;
	uint64_t capacity;
	bool strict;           /* every operation must give exactly the scripted result */
	bool full_ok;          /* ... except that any write may be refused as full (WL_FILL always may) */
	/* Called after every store call that can touch the OS; true stops the run (a crash). */
	bool (*stop)(void *ctx);
	/* Called when a store call failed (r < 0) in a non-strict run; true closes the handle (the
	 * next step opens it again). */
	bool (*on_error)(wl *w, const char *what, int r, void *ctx);
	/* Reads a whole file (malloc'd) for judging what verify reports; NULL: any report fails. */
	int (*read_file)(void *ctx, const char *path, uint8_t **data, size_t *len);
	bool verbose;          /* print what verify reports */
	/* Called after every step (not after a stop). */
	void (*after_step)(wl *w, void *ctx);
	void *ctx;
	const char *label;     /* printed with every failure ("crash point 12 seed 3") */

	/* State. */
	whea_store *s;
	wl_slot slots[WL_MAX_SLOTS];
	uint8_t **pool;        /* every record made, freed by wl_free */
	size_t npool, cappool;
	unsigned version;
	unsigned opens;        /* successful opens so far (tells handles apart) */
	const wl_step *script; /* the script running */
	size_t step;           /* the step running */
	unsigned problems;     /* failures reported (also counted by CHECK) */
	unsigned tolerated;    /* verify reports about bytes of interrupted operations only */
	bool stopped;
} wl;

void wl_init(wl *w, const whea_store_os *os, const char *dir, uint64_t capacity);
/* Frees the records (not the handle: close it first). */
void wl_free(wl *w);

/* Runs the script until WL_END or until stop says so. Returns the number of problems. */
unsigned wl_run(wl *w, const wl_step *script);

/* Opens the store with os (w->os when NULL) into w->s; returns the store's code. */
int wl_open(wl *w, const whea_store_os *os);
void wl_close(wl *w);

/* Compares the store s with the model; returns the number of problems found. */
unsigned wl_check(wl *w, whea_store *s, const char *when);

/* Writes one new record to a free slot through s and reads it back; returns problems found. */
unsigned wl_write_one_more(wl *w, whea_store *s, const char *when);

/* A new version of slot's record (a valid CPER record of size bytes, at least 368), owned by w;
 * and telling the model that slot may now also hold it (NULL: may be absent). */
const uint8_t *wl_make_record(wl *w, unsigned slot, uint32_t size, unsigned sev);
void wl_model_maybe(wl *w, unsigned slot, const uint8_t *bytes, uint32_t len);

/* The record id of a slot, and the slot of an id (-1 when none). */
uint64_t wl_slot_id(unsigned slot);
int wl_id_slot(uint64_t id);

/* Scripts: the normal one, and random ones for the long tier. */
extern const wl_step wl_script_normal[];
/* Fills out (room for max steps) with a random script from seed; returns the step count. */
size_t wl_script_random(wl_step *out, size_t max, uint64_t seed);

/* Adds the checks counted in workload.c to the caller's counters (and resets them). */
void wl_counts(unsigned *passed, unsigned *failed);

/* A result a store call may give: 0 or one of the WHEA_E* codes, with a message when negative. */
bool wl_code_ok(int r);

#endif
