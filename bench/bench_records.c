/* bench/bench_records.c — throughput of the record paths on a corpus like the vectors: parse +
 * full validation (MB/s), binary -> JSON (compact and pretty), binary -> text, JSON -> binary
 * (records/s). Single thread; each path runs for about `seconds` of this thread's CPU time and
 * prints its rate per CPU second. Usage:
 * bench_records VECTOR_DIR [seconds [path]] (path: parse, json, pretty, text or encode runs only
 * that one). A negative `seconds` -N runs every path exactly N passes
 * over the corpus instead (for `valgrind --tool=callgrind`: instructions per record are then the
 * inclusive count of op_parse, op_json, ... divided by N x records). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "whea/format.h"
#include "../tests/files.h"

#define MAXREC 256

static uint8_t *recs[MAXREC];
static size_t lens[MAXREC];
static char *jsons[MAXREC];
static size_t jlens[MAXREC];
static unsigned nrec;
static size_t total_bytes;

/* CPU time of this thread: other load on a shared machine does not count against the rates
 * (it still slows them through shared caches, but far less than wall-clock time suffers). */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void load(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL && nrec < MAXREC) {
		if (!test_has_suffix(e->d_name, ".bin"))
			continue;
		char path[2048];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (!(recs[nrec] = test_read_file(path, &lens[nrec])))
			continue;
		whea_record r;
		if (whea_record_parse(&r, recs[nrec], lens[nrec], WHEA_PARSE_TOLERANT, NULL, NULL) || r.record_length > lens[nrec]) {
			free(recs[nrec]); /* only whole records: the JSON path re-encodes them */
			continue;
		}
		total_bytes += lens[nrec];
		nrec++;
	}
	if (d)
		closedir(d);
}

static char sink[1 << 20];

typedef size_t (*op_fn)(unsigned i);

static size_t op_parse(unsigned i)
{
	whea_record r;
	whea_record_parse(&r, recs[i], lens[i], WHEA_PARSE_SECTIONS, NULL, NULL);
	return lens[i];
}

static size_t out_with(unsigned i, int json, unsigned flags)
{
	whea_record r;
	whea_out o;
	whea_record_parse(&r, recs[i], lens[i], WHEA_PARSE_TOLERANT, NULL, NULL);
	whea_out_init(&o, sink, sizeof sink, NULL, NULL);
	if (json)
		whea_record_to_json(&r, &o, flags);
	else
		whea_record_to_text(&r, &o, flags);
	return o.len;
}
static size_t op_json(unsigned i) { return out_with(i, 1, 0); }
static size_t op_json_pretty(unsigned i) { return out_with(i, 1, WHEA_JSON_PRETTY); }
static size_t op_text(unsigned i) { return out_with(i, 0, 0); }

static size_t op_encode(unsigned i)
{
	static uint8_t out[1 << 16];
	size_t n;
	whea_json_to_record(jsons[i], jlens[i], out, sizeof out, &n);
	return n;
}

static void measure(const char *name, op_fn f, double seconds, int bytes)
{
	double t0 = now(), t;
	unsigned long long recs_done = 0, bytes_done = 0;
	if (seconds < 0) { /* fixed work: -seconds passes over the corpus */
		for (long k = 0; k < (long)-seconds; k++)
			for (unsigned i = 0; i < nrec; i++)
				bytes_done += f(i), recs_done++;
		printf("%-22s %12llu records %10llu bytes (%s)\n", name, recs_done, bytes_done, bytes ? "of CPER" : "of output");
		return;
	}
	do {
		for (unsigned k = 0; k < 64; k++)
			for (unsigned i = 0; i < nrec; i++)
				bytes_done += f(i), recs_done++;
		t = now() - t0;
	} while (t < seconds);
	printf("%-22s %12.0f records/s %10.1f MB/s (%s)\n", name, recs_done / t, bytes_done / t / 1e6,
	       bytes ? "of CPER" : "of output");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_records VECTOR_DIR [seconds [parse|json|pretty|text|encode]]\n");
		return 2;
	}
	double secs = argc > 2 ? atof(argv[2]) : 1.0;
	const char *only = argc > 3 ? argv[3] : NULL;
	load(argv[1]);
	if (!nrec) {
		fprintf(stderr, "bench_records: no records in %s\n", argv[1]);
		return 2;
	}
	for (unsigned i = 0; i < nrec; i++) {
		whea_record r;
		whea_out o;
		whea_record_parse(&r, recs[i], lens[i], WHEA_PARSE_TOLERANT, NULL, NULL);
		jsons[i] = malloc(1 << 18);
		whea_out_init(&o, jsons[i], 1 << 18, NULL, NULL);
		whea_record_to_json(&r, &o, 0);
		jlens[i] = o.len;
	}
	printf("corpus: %u records, %zu bytes, mean %zu bytes/record\n", nrec, total_bytes, total_bytes / nrec);
	static const struct {
		const char *id, *name;
		op_fn f;
		int bytes;
	} paths[] = {
		{"parse", "parse+validate", op_parse, 1},        {"json", "binary->JSON", op_json, 0},
		{"pretty", "binary->JSON pretty", op_json_pretty, 0}, {"text", "binary->text", op_text, 0},
		{"encode", "JSON->binary", op_encode, 1},
	};
	for (size_t k = 0; k < sizeof paths / sizeof paths[0]; k++)
		if (!only || !strcmp(only, paths[k].id))
			measure(paths[k].name, paths[k].f, secs, paths[k].bytes);
	return 0;
}
