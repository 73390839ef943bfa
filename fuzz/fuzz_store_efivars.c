/* fuzz/fuzz_store_efivars.c — opens an efivars store whose directory holds the fuzz input as
 * variables: the input is split at each "\n--\n" into up to 8 files HwErrRec0000.. (attribute word
 * and record, as efivarfs shows them), written into a directory in /dev/shm (or TMPDIR). Whatever
 * the bytes, open succeeds (bad variables are skipped, never returned), the next-id chain visits
 * exactly `count` records, each valid CPER carrying the id it is read under, verify runs, and a new
 * record can be written and read back. Variables the store did not write are never changed. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../tests/store/testrec.h"
#include "whea/record.h"
#include "whea/store.h"

#define STORE_FUZZ_NAME "fuzz_store_efivars"
#include "store_fuzz.h"

static void clean_dir(void)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	char p[600];
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
}

static void cleanup(void)
{
	clean_dir();
	rmdir(dir);
}

static void setup(void)
{
	if (dir[0])
		return;
	make_dir(cleanup);
}

static void put_var(unsigned num, const uint8_t *p, size_t n)
{
	char path[600];
	snprintf(path, sizeof path, "%s/HwErrRec%04X-%s", dir, num, WHEA_EFI_HW_ERROR_VARIABLE_GUID_STR);
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0 || (n && write(fd, p, n) != (ssize_t)n))
		abort();
	close(fd);
}

static whea_store *open_efivars(void)
{
	whea_store_opts o = {.size = sizeof o, .version = WHEA_STORE_OPTS_VERSION, .backend = "efivars",
			     .capacity = 1u << 20};
	whea_store *s = NULL;
	if (whea_store_open(&s, dir, &o))
		fail("open");
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (1u << 18))
		return 0;
	setup();
	clean_dir();
	size_t start = 0;
	unsigned num = 0;
	for (size_t i = 0; i + 4 <= size && num < 7; i++)
		if (!memcmp(data + i, "\n--\n", 4)) {
			put_var(num++, data + start, i - start);
			start = i + 4;
			i += 3;
		}
	put_var(num, data + start, size - start);

	whea_store *s = open_efivars();
	check_store(s, true);
	const uint64_t new_id = 0x0123456789abcdefull;
	uint8_t rec[512];
	size_t rec_len = testrec_make(rec, sizeof rec, new_id, 40, WHEA_SEV_FATAL);
	if (whea_store_write(s, 0, (uint32_t)rec_len, rec) && whea_error_last()->code != WHEA_EFULL)
		fail("write into an opened store");
	whea_store_close(s);
	s = open_efivars();
	check_store(s, false);
	whea_store_close(s);
	return 0;
}
