/* cper/registry.c — the section-type registry: the built-in groups plus vendor types registered at
 * run time (a fixed table, no allocator), looked up by GUID (either byte encoding) or JSON key. */
#include <stdatomic.h>
#include <string.h>

#include "cper/interp.h"
#include "cper/sections/sections.h"
#include "util/once.h"
#include "whea/error.h"

#define WHEA_MAX_REGISTERED 64

static const whea_section_type *const *const groups[] = {
	whea_group_memory, whea_group_processor, whea_group_io, whea_group_microsoft, whea_group_linux,
};
static const whea_section_type *registered[WHEA_MAX_REGISTERED];
static size_t nregistered;

const whea_section_type *whea_section_at(size_t i)
{
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
		for (const whea_section_type *const *t = groups[g]; *t; t++)
			if (i-- == 0)
				return *t;
	return i < nregistered ? registered[i] : NULL;
}

static bool matches(const whea_section_type *t, const whea_guid *g)
{
	return whea_guid_equal(&t->guid, g) || (t->alt_guid && whea_guid_equal(t->alt_guid, g));
}

/* Hash index of the built-in types by GUID (both encodings), built once on first use: open
 * addressing over a static array, first type in group order wins (as the linear scan did). The
 * thread that claims the build fills it; others scan linearly until it is published. */
#define INDEX_SLOTS 256 /* power of two, well above twice the built-in GUIDs */
static struct {
	const whea_guid *g;
	const whea_section_type *t;
} builtin_index[INDEX_SLOTS];
static atomic_int index_state; /* whea_once; failed (too full): linear scan */

static unsigned guid_hash(const whea_guid *g)
{
	uint32_t a, b;
	memcpy(&a, g->b, 4);
	memcpy(&b, g->b + 8, 4);
	return (unsigned)(((a ^ b) * 2654435761u) >> 24) & (INDEX_SLOTS - 1);
}

static bool same_guid(const whea_guid *a, const whea_guid *b)
{
	uint64_t a0, a1, b0, b1;
	memcpy(&a0, a->b, 8), memcpy(&a1, a->b + 8, 8), memcpy(&b0, b->b, 8), memcpy(&b1, b->b + 8, 8);
	return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

static unsigned index_used;

static bool index_add(const whea_guid *g, const whea_section_type *t)
{
	if (index_used >= INDEX_SLOTS / 2) /* keep it sparse: lookups of unknown GUIDs stop early */
		return false;
	for (unsigned i = guid_hash(g), k = 0; k < INDEX_SLOTS; k++, i = (i + 1) & (INDEX_SLOTS - 1)) {
		if (!builtin_index[i].g) {
			builtin_index[i].g = g, builtin_index[i].t = t;
			index_used++;
			return true;
		}
		if (same_guid(builtin_index[i].g, g))
			return true; /* an earlier type has this GUID */
	}
	return false;
}

static bool index_build(void)
{
	bool ok = true;
	for (size_t gi = 0; gi < sizeof groups / sizeof groups[0]; gi++)
		for (const whea_section_type *const *t = groups[gi]; *t; t++)
			ok = ok && index_add(&(*t)->guid, *t) && (!(*t)->alt_guid || index_add((*t)->alt_guid, *t));
	return ok;
}

static const whea_section_type *builtin_lookup(const whea_guid *g)
{
	if (whea_once(&index_state, index_build)) {
		for (unsigned i = guid_hash(g);; i = (i + 1) & (INDEX_SLOTS - 1)) {
			if (!builtin_index[i].g)
				return NULL;
			if (same_guid(builtin_index[i].g, g))
				return builtin_index[i].t;
		}
	}
	for (size_t gi = 0; gi < sizeof groups / sizeof groups[0]; gi++)
		for (const whea_section_type *const *t = groups[gi]; *t; t++)
			if (matches(*t, g))
				return *t;
	return NULL;
}

/* The defs of the built-in types (through sub and variants, with the record header and the
 * section descriptor): a set built once, on the first question, by the thread that claims it
 * (others answer false until it is published, which only costs them a compilation). */
#define BUILTIN_DEF_SLOTS 2048 /* power of two, well above twice the built-in defs */
static const whea_def *builtin_defs[BUILTIN_DEF_SLOTS];
static atomic_int defs_state; /* whea_once */

static unsigned def_slot(const whea_def *d)
{
	uintptr_t a = (uintptr_t)d;
	return (unsigned)((a ^ (a >> 7) ^ (a >> 15)) * 2654435761u) & (BUILTIN_DEF_SLOTS - 1);
}

/* Adds d and the defs below it; false when the set is too full to be exact. */
static bool defs_add(const whea_def *d, int depth)
{
	if (!d)
		return true;
	if (depth > 32)
		return false;
	unsigned i = def_slot(d), k = 0;
	for (; k < BUILTIN_DEF_SLOTS / 2 && builtin_defs[i] && builtin_defs[i] != d; k++)
		i = (i + 1) & (BUILTIN_DEF_SLOTS - 1);
	if (k == BUILTIN_DEF_SLOTS / 2)
		return false;
	if (builtin_defs[i])
		return true; /* seen */
	builtin_defs[i] = d;
	bool ok = true;
	for (uint16_t f = 0; f < d->nfields; f++)
		ok = ok && defs_add(d->fields[f].sub, depth + 1);
	for (const whea_def *const *v = d->variants; ok && v && *v; v++)
		ok = defs_add(*v, depth + 1);
	return ok;
}

static bool defs_build(void)
{
	bool ok = defs_add(&whea_def_record_header, 0) && defs_add(&whea_def_section_descriptor, 0);
	for (size_t gi = 0; gi < sizeof groups / sizeof groups[0]; gi++)
		for (const whea_section_type *const *t = groups[gi]; *t; t++)
			ok = ok && defs_add((*t)->def, 0);
	return ok;
}

bool whea_def_builtin(const whea_def *d)
{
	if (!whea_once(&defs_state, defs_build))
		return false;
	for (unsigned i = def_slot(d);; i = (i + 1) & (BUILTIN_DEF_SLOTS - 1)) {
		if (!builtin_defs[i])
			return false;
		if (builtin_defs[i] == d)
			return true;
	}
}

/* A scan, not builtin_lookup: a second caller would keep that from being inlined into
 * whea_section_lookup, and this is asked only after an unregistration. */
bool whea_section_builtin(const whea_section_type *t)
{
	for (size_t gi = 0; gi < sizeof groups / sizeof groups[0]; gi++)
		for (const whea_section_type *const *p = groups[gi]; *p; p++)
			if (*p == t)
				return true;
	return false;
}

const whea_section_type *whea_section_lookup(const whea_guid *g)
{
	for (size_t i = 0; i < nregistered; i++) /* vendors may refine nothing built in; see register */
		if (matches(registered[i], g))
			return registered[i];
	return builtin_lookup(g);
}

const whea_section_type *whea_section_by_key(const char *key, size_t len)
{
	const whea_section_type *t;
	for (size_t i = 0; (t = whea_section_at(i)) != NULL; i++)
		if (strlen(t->key) == len && memcmp(t->key, key, len) == 0)
			return t;
	return NULL;
}

int whea_section_register(const whea_section_type *t)
{
	char msg[160];
	if (!t || !t->name || !t->key)
		return whea_error_set(WHEA_EINVAL, -1, NULL, "section type needs a name and a key");
	if (strcmp(t->key, WHEA_SECTION_KEY_UNKNOWN) == 0)
		return whea_error_set(WHEA_EINVAL, -1, NULL, "section type key " WHEA_SECTION_KEY_UNKNOWN
				      " is reserved for unknown types");
	if (!whea_key_plain(t->key))
		return whea_error_set(WHEA_EINVAL, -1, NULL, "section type key: a quote, backslash or control character");
	if (!whea_name_ascii(t->name))
		return whea_error_set(WHEA_EINVAL, -1, NULL, "section type %s: its name is not ASCII", t->key);
	if (whea_section_lookup(&t->guid) || whea_section_by_key(t->key, strlen(t->key)))
		return whea_error_set(WHEA_EEXIST, -1, NULL, "section type %s is already registered", t->key);
	if (t->def && whea_def_check(t->def, msg, sizeof msg))
		return whea_error_set(WHEA_EINVAL, -1, NULL, "section type %s: %s", t->key, msg);
	if (nregistered == WHEA_MAX_REGISTERED)
		return whea_error_set(WHEA_ELIMIT, -1, NULL, "at most %d vendor section types", WHEA_MAX_REGISTERED);
	registered[nregistered++] = t;
	return 0;
}

static atomic_uint generation;

unsigned whea_registry_generation(void) { return atomic_load_explicit(&generation, memory_order_acquire); }

int whea_section_unregister(const whea_guid *g)
{
	for (size_t i = 0; i < nregistered; i++)
		if (whea_guid_equal(&registered[i]->guid, g)) {
			atomic_fetch_add_explicit(&generation, 1, memory_order_release);
			memmove(&registered[i], &registered[i + 1], (nregistered - i - 1) * sizeof registered[0]);
			nregistered--;
			return 0;
		}
	return WHEA_ENOTFOUND;
}
