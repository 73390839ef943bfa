/* util/le.h — bounds-free little-endian loads and stores on byte pointers (the caller checks
 * bounds). Never cast record buffers to structs: use these. */
#ifndef WHEA_UTIL_LE_H
#define WHEA_UTIL_LE_H

#include <stdint.h>
#include <string.h>

static inline uint16_t whea_le16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t whea_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline uint64_t whea_le64(const uint8_t *p) { return whea_le32(p) | ((uint64_t)whea_le32(p + 4) << 32); }
/* Load an unsigned integer of n bytes (1..8; longer: its low 8 bytes). */
static inline uint64_t whea_leN(const uint8_t *p, unsigned n)
{
	switch (n) {
	case 1:
		return p[0];
	case 2:
		return whea_le16(p);
	case 4:
		return whea_le32(p);
	case 8:
		return whea_le64(p);
	default: {
		uint64_t v = 0;
		for (unsigned i = n; i-- > 0;)
			v = (v << 8) | p[i];
		return v;
	}
	}
}
static inline void whea_st16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void whea_st32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static inline void whea_st64(uint8_t *p, uint64_t v) { whea_st32(p, (uint32_t)v); whea_st32(p + 4, (uint32_t)(v >> 32)); }
static inline void whea_stN(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

#endif
