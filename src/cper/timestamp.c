/* cper/timestamp.c — the 8-byte CPER timestamp (spec 3.1, D3): BCD (UEFI, firmware), plain binary
 * (Windows-created records) or Unix seconds (Linux pstore), detected and re-encoded exactly. */
#include <string.h>

#include "cper/interp.h"
#include "util/le.h"
#include "whea/record.h"

const char *whea_ts_encoding_name(int enc)
{
	switch (enc) {
	case WHEA_TS_BCD: return "bcd";
	case WHEA_TS_BINARY: return "binary";
	case WHEA_TS_UNIX: return "unix";
	default: return "invalid";
	}
}

int whea_ts_hint_for_creator(const whea_guid *creator)
{
	if (whea_guid_equal(creator, &WHEA_CREATOR_WINDOWS) || whea_guid_equal(creator, &WHEA_CREATOR_DEVICE_DRIVER))
		return WHEA_TS_HINT_WINDOWS;
	if (whea_guid_equal(creator, &WHEA_CREATOR_LINUX_PSTORE))
		return WHEA_TS_HINT_PSTORE;
	return WHEA_TS_HINT_NONE;
}

static uint8_t from_bcd(uint8_t b) { return (uint8_t)((b >> 4) * 10 + (b & 0x0f)); }
static uint8_t to_bcd(uint8_t v) { return (uint8_t)(((v / 10) << 4) | (v % 10)); }

static bool fields_ok(const whea_time *t)
{
	return t->second < 60 && t->minute < 60 && t->hour < 24 && t->day >= 1 && t->day <= 31 && t->month >= 1 &&
	       t->month <= 12;
}

static bool read_bcd(const uint8_t *r, whea_time *t)
{
	/* Every nibble but those of byte 3 at most 9: n + 6 carries into bit 4 exactly when n > 9. */
	const uint64_t n4 = 0x0f0f0f0f0f0f0f0full, six = 0x0606060606060606ull, carry = 0x1010101010101010ull;
	uint64_t x = whea_le64(r) & ~(0xffull << 24);
	if ((((x & n4) + six) | (((x >> 4) & n4) + six)) & carry)
		return false;
	t->second = from_bcd(r[0]), t->minute = from_bcd(r[1]), t->hour = from_bcd(r[2]);
	t->day = from_bcd(r[4]), t->month = from_bcd(r[5]);
	t->year = (uint16_t)(from_bcd(r[7]) * 100 + from_bcd(r[6]));
	t->encoding = WHEA_TS_BCD;
	return fields_ok(t);
}

static bool read_binary(const uint8_t *r, whea_time *t)
{
	t->second = r[0], t->minute = r[1], t->hour = r[2], t->day = r[4], t->month = r[5];
	t->year = (uint16_t)(r[7] * 100 + r[6]);
	t->encoding = WHEA_TS_BINARY;
	return r[6] < 100 && r[7] < 100 && fields_ok(t);
}

/* Days-from-civil, inverted (Howard Hinnant's well-known algorithm, written from its description). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool read_unix(const uint8_t *r, whea_time *t)
{
	uint64_t s = whea_le64(r);
	if (s > 253402300799ull) /* 9999-12-31T23:59:59 */
		return false;
	int64_t y;
	unsigned m, d;
	civil_from_days((int64_t)(s / 86400), &y, &m, &d);
	t->year = (uint16_t)y, t->month = (uint8_t)m, t->day = (uint8_t)d;
	t->hour = (uint8_t)(s % 86400 / 3600), t->minute = (uint8_t)(s % 3600 / 60), t->second = (uint8_t)(s % 60);
	t->precise = false;
	t->encoding = WHEA_TS_UNIX;
	return true;
}

int whea_timestamp_decode(const uint8_t raw[8], int hint, whea_time *out)
{
	whea_time t = {0};
	t.precise = raw[3] & 1;
	if (hint == WHEA_TS_HINT_PSTORE && read_unix(raw, &t)) {
		*out = t;
		return 0;
	}
	bool ok = hint == WHEA_TS_HINT_WINDOWS ? read_binary(raw, &t) || read_bcd(raw, &t)
					       : read_bcd(raw, &t) || read_binary(raw, &t);
	if (!ok)
		t.encoding = WHEA_TS_INVALID;
	*out = t;
	return ok ? 0 : WHEA_EFORMAT;
}

int whea_timestamp_encode(uint8_t raw[8], const whea_time *t)
{
	if (t->encoding == WHEA_TS_UNIX) {
		if (!fields_ok(t))
			return WHEA_EINVAL;
		int64_t days = days_from_civil(t->year, t->month, t->day);
		if (days < 0)
			return WHEA_EINVAL;
		whea_st64(raw, (uint64_t)days * 86400 + t->hour * 3600u + t->minute * 60u + t->second);
		return 0;
	}
	if ((t->encoding != WHEA_TS_BCD && t->encoding != WHEA_TS_BINARY) || !fields_ok(t) || t->year > 9999)
		return WHEA_EINVAL;
	uint8_t v[8] = {t->second, t->minute, t->hour, 0, t->day, t->month, (uint8_t)(t->year % 100),
			(uint8_t)(t->year / 100)};
	for (int i = 0; i < 8; i++)
		raw[i] = t->encoding == WHEA_TS_BCD && i != 3 ? to_bcd(v[i]) : v[i];
	raw[3] = t->precise ? 1 : 0;
	return 0;
}

bool whea_ts_exact(const uint8_t raw[8], const whea_time *t)
{
	/* BCD and binary bytes that decode at all re-encode to themselves, byte 3 aside (written back
	 * as 0 or 1): the same answer whea_timestamp_encode and a comparison would give. */
	if (t->encoding == WHEA_TS_BCD || t->encoding == WHEA_TS_BINARY)
		return raw[3] <= 1;
	uint8_t again[8];
	return whea_timestamp_encode(again, t) == 0 && memcmp(again, raw, 8) == 0;
}
