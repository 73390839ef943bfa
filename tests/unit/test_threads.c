/* tests/unit/test_threads.c — the decode and encode paths from several threads at once, starting
 * cold: the lock-free caches the writers and the interpreter fill on first use (compiled tables,
 * text labels, GUID names, the section index, the base64 table) must give every thread the same
 * output as one thread alone, and a thread's encoder buffers are freed when it exits (LeakSanitizer
 * in the ASan build). Inputs: the vector records (argv[1], skipped when absent) and
 * records the builder makes with one section of every type. Meant for ThreadSanitizer too:
 * meson setup build-tsan -Db_sanitize=thread && build-tsan/tests/test_threads ../shared/vectors */
#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>

#include "../check.h"
#include "whea/format.h"
#include "whea/record.h"
#include "../files.h"

#define THREADS 4
#define MAXREC 512
#define OUTCAP (1u << 20)

static uint8_t *recs[MAXREC];
static size_t lens[MAXREC];
static unsigned nrec;

/* What one thread made of every record: text, JSON, pretty JSON and the JSON encoded back, one
 * after the other, plus a digest per record. */
typedef struct result {
	uint64_t digest[MAXREC];
} result;

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

static uint64_t run_one(unsigned i, char *out, uint8_t *back)
{
	whea_record r;
	uint64_t h = 0xcbf29ce484222325ull;
	if (whea_record_parse(&r, recs[i], lens[i], WHEA_PARSE_TOLERANT | WHEA_PARSE_SECTIONS, NULL, NULL))
		return h;
	static const unsigned modes[3] = {0, 1, 1 | (WHEA_JSON_PRETTY << 1)};
	for (unsigned m = 0; m < 3; m++) {
		whea_out o;
		whea_out_init(&o, out, OUTCAP, NULL, NULL);
		if (modes[m] & 1)
			whea_record_to_json(&r, &o, modes[m] >> 1);
		else
			whea_record_to_text(&r, &o, WHEA_TEXT_HEXDUMP);
		h = fnv(h, out, o.len);
		if (m == 1) { /* compact JSON back to binary: the fast path, then the node-tree path */
			size_t n = 0;
			int rc = whea_json_to_record(out, o.len, back, OUTCAP, &n);
			h = fnv(h, &rc, sizeof rc);
			h = fnv(h, back, rc == 0 ? n : 0);
			char *colon = memchr(out, ':', o.len); /* white space before it: the fast path declines */
			if (colon && o.len < OUTCAP) {
				memmove(colon + 1, colon, o.len - (size_t)(colon - out));
				*colon = ' ';
				rc = whea_json_to_record(out, o.len + 1, back, OUTCAP, &n);
				h = fnv(h, &rc, sizeof rc);
				h = fnv(h, back, rc == 0 ? n : 0);
			}
		}
	}
	return h;
}

static pthread_barrier_t start;

static void *worker(void *arg)
{
	result *res = arg;
	char *out = malloc(OUTCAP);
	uint8_t *back = malloc(OUTCAP);
	pthread_barrier_wait(&start); /* all threads meet the empty caches at the same time */
	for (unsigned i = 0; i < nrec; i++)
		res->digest[i] = out && back ? run_one(i, out, back) : 0;
	free(out);
	free(back);
	return NULL;
}

static void add(const uint8_t *p, size_t n)
{
	if (nrec == MAXREC || !(recs[nrec] = malloc(n ? n : 1)))
		return;
	memcpy(recs[nrec], p, n);
	lens[nrec++] = n;
}

static void load_vectors(const char *dir)
{
	DIR *d = dir ? opendir(dir) : NULL;
	if (!d) {
		printf("SKIP vector inputs: %s not found\n", dir ? dir : "(no directory given)");
		return;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!test_has_suffix(e->d_name, ".bin"))
			continue;
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		size_t n = 0;
		uint8_t *p = test_read_file(path, &n);
		if (p)
			add(p, n);
		free(p);
	}
	closedir(d);
}

/* One record per section type: a body of patterned bytes of the type's full size. */
static void make_records(void)
{
	const whea_section_type *t;
	for (size_t i = 0; (t = whea_section_at(i)) != NULL; i++) {
		uint8_t buf[4096], *body;
		whea_builder b;
		whea_record_init init = WHEA_RECORD_INIT_DEFAULTS;
		init.severity = WHEA_SEV_CORRECTED;
		init.record_id = 1000 + i;
		size_t len = t->def && t->def->size && t->def->size < 2048 ? t->def->size : 64;
		if (whea_builder_init(&b, buf, sizeof buf, 1, &init) ||
		    whea_builder_add_section(&b, &t->guid, (uint32_t)len, WHEA_SEV_CORRECTED, 0, &body) < 0)
			continue;
		for (size_t k = 0; k < len; k++)
			body[k] = (uint8_t)(k * 37 + i);
		add(buf, whea_builder_length(&b));
	}
}

int main(int argc, char **argv)
{
	load_vectors(argc > 1 ? argv[1] : NULL);
	make_records();
	CHECK(nrec >= 40, "only %u input records", nrec);
	static result res[THREADS];
	pthread_t th[THREADS];
	pthread_barrier_init(&start, NULL, THREADS);
	for (unsigned t = 0; t < THREADS; t++)
		CHECK(pthread_create(&th[t], NULL, worker, &res[t]) == 0, "thread %u not started", t);
	for (unsigned t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	pthread_barrier_destroy(&start);
	/* The reference: the same work in this thread, with every cache warm. */
	static result ref;
	char *out = malloc(OUTCAP);
	uint8_t *back = malloc(OUTCAP);
	for (unsigned i = 0; i < nrec && out && back; i++)
		ref.digest[i] = run_one(i, out, back);
	free(out);
	free(back);
	for (unsigned t = 0; t < THREADS; t++)
		for (unsigned i = 0; i < nrec; i++)
			CHECK(res[t].digest[i] == ref.digest[i], "thread %u, record %u: output differs from one thread's", t, i);
	for (unsigned i = 0; i < nrec; i++)
		free(recs[i]);
	return check_summary("threads");
}
