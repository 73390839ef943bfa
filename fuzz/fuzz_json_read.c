/* fuzz/fuzz_json_read.c — libFuzzer target for the JSON reader (src/format/json_read.c).
 *
 * Parses arbitrary bytes with arenas of the documented worst-case size, with tiny arenas, and with
 * arenas of exactly the size a successful parse used (all heap-allocated to the byte so AddressSanitizer
 * sees any write past them); walks every result (tree invariants, paths into roomy and tiny buffers,
 * u64/bool on every node, key and index lookups, whea_json_fail); and splits the input with
 * whea_json_parse_prefix. Any crash, sanitizer report or broken invariant (__builtin_trap) is a bug.
 *
 * Build: clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Isrc fuzz/fuzz_json_read.c
 *        src/format/json_read.c src/util/error.c -o fuzz_json_read */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format/json_read.h"
#include "whea/error.h"

#define CHECK(cond)                                                                                        \
	do {                                                                                               \
		if (!(cond))                                                                               \
			__builtin_trap();                                                                  \
	} while (0)

/* Invariants of a successful parse, plus every accessor on every node. */
static void walk(const whea_jdoc *d, const uint8_t *data, size_t size)
{
	CHECK(d->nnodes >= 1 && d->nnodes <= d->max_nodes);
	CHECK(d->strused <= d->strcap);
	CHECK(d->nodes[0].parent == UINT32_MAX && d->nodes[0].key == NULL);
	for (uint32_t i = 0; i < d->nnodes; i++) {
		const whea_jnode *n = &d->nodes[i];
		CHECK(n->type >= WHEA_JNULL && n->type <= WHEA_JOBJECT);
		CHECK(n->off < size);
		CHECK(i == 0 || n->parent < i);
		if (n->type == WHEA_JSTRING) {
			bool in_text = n->str >= (const char *)data && n->str + n->len <= (const char *)data + size;
			bool in_buf = n->str >= d->strbuf && n->str + n->len <= d->strbuf + d->strused;
			CHECK(in_text || in_buf);
			CHECK(data[n->off] == '"');
		} else {
			CHECK(n->str == (const char *)data + n->off && n->off + (size_t)n->len <= size);
		}
		uint32_t cnt = 0, prev = 0;
		for (uint32_t c = n->child; c; c = d->nodes[c].next) {
			CHECK(c > prev && c < d->nnodes && d->nodes[c].parent == i);
			if (n->type == WHEA_JOBJECT) {
				CHECK(d->nodes[c].key != NULL);
				CHECK(whea_json_getn(d, i, d->nodes[c].key, d->nodes[c].keylen) == c);
			} else {
				CHECK(d->nodes[c].key == NULL && d->nodes[c].index == cnt);
			}
			if (cnt < 4)
				CHECK(whea_json_at(d, i, cnt) == c);
			prev = c;
			cnt++;
		}
		CHECK(cnt == n->count);
		CHECK(!cnt || n->child == i + 1);
		CHECK(whea_json_at(d, i, cnt) == 0);

		char path[128], tiny[7];
		whea_json_path(d, i, path, sizeof path);
		CHECK(path[0] == '$' && strlen(path) < sizeof path);
		whea_json_path(d, i, tiny, sizeof tiny);
		CHECK(strlen(tiny) < sizeof tiny);

		uint64_t v;
		int rc = whea_json_u64(d, i, &v);
		CHECK(rc == 0 || rc == WHEA_EJSON);
		if (rc == 0)
			CHECK(n->type == WHEA_JNUMBER || n->type == WHEA_JSTRING);
		bool b;
		rc = whea_json_bool(d, i, &b);
		CHECK(rc == 0 ? (n->type == WHEA_JTRUE || n->type == WHEA_JFALSE) : rc == WHEA_EJSON);
		if (i < 8) {
			int shown = n->len > 16 ? 16 : (int)n->len;
			CHECK(whea_json_fail(d, i, "%s node %u: %.*s %5d|%-8x|%zu", whea_json_type_name(n->type), i,
					     shown, n->str, (int)n->off, n->count, (size_t)n->len) == WHEA_EJSON);
		}
	}
	CHECK(whea_json_get(d, 0, "header") == 0 || d->nodes[0].type == WHEA_JOBJECT);
	CHECK(whea_json_at(d, d->nnodes, 0) == 0);
}

/* A successful parse with other arenas must give the same tree. */
static void same_tree(const whea_jdoc *a, const whea_jdoc *b)
{
	CHECK(a->nnodes == b->nnodes && a->strused == b->strused);
	for (uint32_t i = 0; i < a->nnodes; i++) {
		const whea_jnode *x = &a->nodes[i], *y = &b->nodes[i];
		CHECK(x->type == y->type && x->off == y->off && x->parent == y->parent && x->next == y->next &&
		      x->child == y->child && x->count == y->count && x->len == y->len && x->keylen == y->keylen);
		CHECK(memcmp(x->str, y->str, x->len) == 0);
		CHECK((x->key == NULL) == (y->key == NULL));
		if (x->key)
			CHECK(memcmp(x->key, y->key, x->keylen) == 0);
	}
}

static bool only_ws(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (1u << 20))
		return 0;
	const char *text = (const char *)data;

	/* 1. Worst-case arenas: never WHEA_ENOSPACE. */
	uint32_t maxn = (uint32_t)WHEA_JSON_NODES_FOR(size);
	size_t scap = WHEA_JSON_STRBUF_FOR(size);
	whea_jnode *nodes = malloc(maxn * sizeof *nodes);
	char *sb = malloc(scap ? scap : 1);
	CHECK(nodes && sb);
	whea_jdoc big;
	int rc = whea_json_parse(&big, text, size, nodes, maxn, sb, scap);
	const whea_error *e = whea_error_last();
	int64_t err_off = e->offset;
	if (rc == 0) {
		CHECK(big.need_nodes == big.nnodes && big.need_strbuf == big.strused);
		walk(&big, data, size);
	} else {
		CHECK(rc == WHEA_EFORMAT || rc == WHEA_ELIMIT || rc == WHEA_EJSON);
		CHECK(e->code == rc && e->offset >= 0 && (size_t)e->offset <= size);
		CHECK(e->path[0] == '$');
		CHECK(big.nnodes <= maxn);
		/* The partial tree still names its nodes. */
		char path[64];
		for (uint32_t i = 0; i < big.nnodes && i < 64; i++)
			whea_json_path(&big, i, path, sizeof path);
	}

	/* 2. Tiny arenas: syntax errors are found all the same (at the same byte); valid JSON gives the
	 * same tree or WHEA_ENOSPACE with the exact sizes. Duplicate keys past the point where the arena
	 * ran out are not seen, so then anything may come. */
	whea_jnode *tn = malloc(3 * sizeof *tn);
	char *ts = malloc(5);
	CHECK(tn && ts);
	whea_jdoc small;
	int rc2 = whea_json_parse(&small, text, size, tn, 3, ts, 5);
	if (rc == WHEA_EFORMAT || rc == WHEA_ELIMIT)
		CHECK(rc2 == rc && whea_error_last()->offset == err_off);
	if (rc == 0)
		CHECK(rc2 == 0 || rc2 == WHEA_ENOSPACE);
	if (rc2 == WHEA_EJSON)
		CHECK(rc == WHEA_EJSON && whea_error_last()->offset == err_off);
	if (rc2 == WHEA_ENOSPACE) {
		CHECK(rc == 0 || rc == WHEA_EJSON);
		if (rc == 0)
			CHECK(small.need_nodes == big.nnodes && small.need_strbuf == big.strused);
		CHECK(small.nnodes <= 3 && small.strused <= 5);
	}
	if (rc2 == 0)
		same_tree(&big, &small);
	free(tn);
	free(ts);

	/* 3. Arenas of exactly the size used. */
	if (rc == 0) {
		whea_jnode *en = malloc(big.nnodes * sizeof *en);
		char *es = big.strused ? malloc(big.strused) : NULL;
		CHECK(en && (es || !big.strused));
		whea_jdoc exact;
		CHECK(whea_json_parse(&exact, text, size, en, big.nnodes, es, big.strused) == 0);
		same_tree(&big, &exact);
		if (big.nnodes > 1)
			CHECK(whea_json_parse(&exact, text, size, en, big.nnodes - 1, es, big.strused) == WHEA_ENOSPACE);
		if (big.strused)
			CHECK(whea_json_parse(&exact, text, size, en, big.nnodes, es, big.strused - 1) == WHEA_ENOSPACE);
		free(en);
		free(es);
	}

	/* 4. As a stream of concatenated values. */
	size_t pos = 0;
	for (int k = 0; k < 64; k++) {
		size_t used = 0;
		whea_jdoc d;
		rc = whea_json_parse_prefix(&d, text + pos, size - pos, &used, nodes, maxn, sb, scap);
		if (rc == WHEA_ENOTFOUND) {
			CHECK(only_ws(data + pos, size - pos) && used == size - pos);
			break;
		}
		if (rc) {
			CHECK(rc == WHEA_EFORMAT || rc == WHEA_ELIMIT || rc == WHEA_EJSON);
			CHECK(used == 0);
			break;
		}
		CHECK(used > 0 && used <= size - pos);
		walk(&d, data + pos, used);
		pos += used;
	}

	free(nodes);
	free(sb);
	return 0;
}
