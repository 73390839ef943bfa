/* util/fmt.c — freestanding printf subset and integer-to-text helpers (see fmt.h). */
#include "util/fmt.h"

#include <string.h>

/* Two decimal digits per step: "00" "01" ... "99". */
const char whea_digits2[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
			       "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
			       "8081828384858687888990919293949596979899";

const char whea_hex_pairs[513] =
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
	"404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
	"606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
	"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
	"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
	"c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
	"e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

const uint64_t whea_pow10[20] = {1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull,
				    100000000ull, 1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull,
				    10000000000000ull, 100000000000000ull, 1000000000000000ull, 10000000000000000ull,
				    100000000000000000ull, 1000000000000000000ull, 10000000000000000000ull};

unsigned whea_u64_dec_len(uint64_t v) { return whea_dec_len_inline(v); }

unsigned whea_u64_dec(char *out, uint64_t v) { return whea_dec_inline(out, v); }

unsigned whea_u64_dec_pad(char *out, uint64_t v, unsigned width)
{
	unsigned n = whea_u64_dec_len(v), k = 0;
	for (; k + n < width; k++)
		out[k] = '0';
	return k + whea_u64_dec(out + k, v);
}

unsigned whea_u64_hex(char *out, uint64_t v, unsigned min_digits) { return whea_hex_inline(out, v, min_digits); }

size_t whea_strlcpy(char *dst, const char *src, size_t cap)
{
	size_t n = strlen(src);
	if (cap) {
		size_t k = n < cap - 1 ? n : cap - 1;
		memcpy(dst, src, k);
		dst[k] = 0;
	}
	return n;
}

typedef struct {
	char *buf;
	size_t cap, len;
} fmtbuf;

/* Appends n bytes of s, left-padded with pad to width; bytes past the capacity are counted, not
 * stored (the last byte of buf is kept for the NUL). */
static void put(fmtbuf *b, const char *s, size_t n, unsigned width, char pad)
{
	size_t room = b->cap ? b->cap - 1 : 0;
	for (; width > n; width--, b->len++)
		if (b->len < room)
			b->buf[b->len] = pad;
	if (b->len < room)
		memcpy(b->buf + b->len, s, n <= room - b->len ? n : room - b->len);
	b->len += n;
}

size_t whea_vformat(char *buf, size_t cap, const char *fmt, va_list ap)
{
	fmtbuf b = {buf, cap, 0};
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') { /* the literal text up to the next conversion, in one copy */
			const char *pct = strchr(p, '%');
			size_t n = pct ? (size_t)(pct - p) : strlen(p);
			put(&b, p, n, 0, ' ');
			p += n - 1;
			continue;
		}
		p++;
		char pad = ' ';
		unsigned width = 0;
		int prec = -1, lng = 0, sz = 0;
		if (*p == '0')
			pad = '0', p++;
		if (*p == '*') {
			int wd = va_arg(ap, int);
			width = wd > 0 ? (unsigned)wd : 0;
			p++;
		}
		while (*p >= '0' && *p <= '9')
			width = width * 10 + (unsigned)(*p++ - '0');
		if (*p == '.' && p[1] == '*')
			prec = va_arg(ap, int), p += 2;
		while (*p == 'l')
			lng++, p++;
		if (*p == 'z')
			sz = 1, p++;
		char num[24];
		uint64_t u;
		switch (*p) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			size_t n = 0;
			while (s[n] && (prec < 0 || n < (size_t)prec))
				n++;
			put(&b, s, n, width, ' ');
			break;
		}
		case 'c':
			num[0] = (char)va_arg(ap, int);
			put(&b, num, 1, width, ' ');
			break;
		case 'd': {
			int64_t v = lng >= 1 ? (lng == 1 ? va_arg(ap, long) : va_arg(ap, long long)) : va_arg(ap, int);
			unsigned n = 0;
			if (v < 0)
				num[n++] = '-';
			n += whea_u64_dec(num + n, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
			put(&b, num, n, width, pad);
			break;
		}
		case 'u':
		case 'x':
			if (sz)
				u = va_arg(ap, size_t);
			else if (lng == 1)
				u = va_arg(ap, unsigned long);
			else if (lng >= 2)
				u = va_arg(ap, unsigned long long);
			else
				u = va_arg(ap, unsigned);
			put(&b, num, *p == 'u' ? whea_u64_dec(num, u) : whea_u64_hex(num, u, 1), width, pad);
			break;
		case '%':
			put(&b, "%", 1, 0, ' ');
			break;
		default:
			put(&b, "%?", 2, 0, ' ');
			if (!*p)
				p--;
			break;
		}
	}
	if (cap)
		buf[b.len < cap ? b.len : cap - 1] = 0;
	return b.len;
}

size_t whea_format(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t n = whea_vformat(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}
