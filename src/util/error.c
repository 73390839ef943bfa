/* util/error.c — the error-code names and descriptions (from the one X-macro list) and the
 * thread-local last-error detail. Formatting uses a tiny built-in printf subset so this file stays
 * freestanding (no stdio). */
#include <stdarg.h>
#include <string.h>

#include "whea/error.h"
#include "util/fmt.h"

static const struct {
	int code;
	const char *name;
	const char *desc;
} error_table[] = {
#define WHEA_X_ROW(name, value, desc) {value, #name, desc},
	WHEA_ERROR_LIST(WHEA_X_ROW)
#undef WHEA_X_ROW
};

static _Thread_local whea_error last_error = {0, "", -1, ""};

static size_t find(int code)
{
	for (size_t i = 0; i < sizeof(error_table) / sizeof(error_table[0]); i++)
		if (error_table[i].code == code)
			return i;
	return (size_t)-1;
}

const char *whea_strerror(int code)
{
	size_t i = find(code);
	return i == (size_t)-1 ? "unknown error code" : error_table[i].desc;
}

const char *whea_error_name(int code)
{
	size_t i = find(code);
	return i == (size_t)-1 ? "WHEA_E?" : error_table[i].name;
}

const whea_error *whea_error_last(void) { return &last_error; }

void whea_error_clear(void)
{
	last_error.code = 0;
	last_error.message[0] = 0;
	last_error.offset = -1;
	last_error.path[0] = 0;
}

int whea_error_set(int code, int64_t offset, const char *path, const char *fmt, ...)
{
	/* Formatted aside first: callers may pass the previous message (or path) as an argument to
	 * wrap it ("record 3 is not valid: %s", whea_error_last()->message). */
	char msg[sizeof last_error.message];
	va_list ap;
	va_start(ap, fmt);
	whea_vformat(msg, sizeof msg, fmt, ap);
	va_end(ap);
	memcpy(last_error.message, msg, sizeof msg);
	last_error.code = code;
	last_error.offset = offset;
	if (path != last_error.path)
		whea_strlcpy(last_error.path, path ? path : "", sizeof last_error.path);
	return code;
}
