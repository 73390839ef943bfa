/* fuzz/replay.c — runs a libFuzzer target over files and directories without libFuzzer, so the
 * seed corpora run under gcc (and the sanitizers) in every CI run. Prints "replay NAME: N inputs". */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: cannot open %s\n", path);
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *p = malloc(n > 0 ? (size_t)n : 1);
	size_t got = fread(p, 1, (size_t)n, f);
	fclose(f);
	LLVMFuzzerTestOneInput(p, got);
	/* Every prefix too: truncation is the commonest corruption. */
	for (size_t k = 0; k < got && got <= 4096; k += 1 + got / 64)
		LLVMFuzzerTestOneInput(p, k);
	free(p);
	return 1;
}

static unsigned run(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return 0;
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	DIR *d = opendir(path);
	unsigned n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char sub[4096];
		snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
		n += run(sub);
	}
	if (d)
		closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	unsigned n = 0;
	for (int i = 1; i < argc; i++) {
		unsigned k = run(argv[i]);
		if (k == 0) { /* a missing or empty corpus would make the replay pass without testing */
			fprintf(stderr, "replay: no inputs in %s\n", argv[i]);
			return 1;
		}
		n += k;
	}
	printf("replay: %u inputs, 0 crashes\n", n);
	return 0;
}
