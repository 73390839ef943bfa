/* cper/registry.c — the section-type registry: the built-in groups plus vendor types registered at
 * run time (a fixed table, no allocator), looked up by GUID (either byte encoding) or JSON key. */
#include <string.h>

#include "cper/interp.h"
#include "cper/sections/sections.h"
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

const whea_section_type *whea_section_lookup(const whea_guid *g)
{
	for (size_t i = 0; i < nregistered; i++) /* vendors may refine nothing built in; see register */
		if (matches(registered[i], g))
			return registered[i];
	for (size_t gi = 0; gi < sizeof groups / sizeof groups[0]; gi++)
		for (const whea_section_type *const *t = groups[gi]; *t; t++)
			if (matches(*t, g))
				return *t;
	return NULL;
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
	if (whea_section_lookup(&t->guid) || whea_section_by_key(t->key, strlen(t->key)))
		return whea_error_set(WHEA_EEXIST, -1, NULL, "section type %s is already registered", t->key);
	if (t->def && whea_def_check(t->def, msg, sizeof msg))
		return whea_error_set(WHEA_EINVAL, -1, NULL, "section type %s: %s", t->key, msg);
	if (nregistered == WHEA_MAX_REGISTERED)
		return whea_error_set(WHEA_ELIMIT, -1, NULL, "at most %d vendor section types", WHEA_MAX_REGISTERED);
	registered[nregistered++] = t;
	return 0;
}

int whea_section_unregister(const whea_guid *g)
{
	for (size_t i = 0; i < nregistered; i++)
		if (whea_guid_equal(&registered[i]->guid, g)) {
			memmove(&registered[i], &registered[i + 1], (nregistered - i - 1) * sizeof registered[0]);
			nregistered--;
			return 0;
		}
	return WHEA_ENOTFOUND;
}
