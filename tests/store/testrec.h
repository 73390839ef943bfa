/* tests/store/testrec.h — the valid CPER record the store tests write: one vendor section of
 * `body` bytes whose contents are a pattern of the id, so any process can rebuild and compare it. */
#ifndef WHEA_TESTS_TESTREC_H
#define WHEA_TESTS_TESTREC_H

#include "whea/record.h"

/* Builds the record in buf (cap bytes); returns its length, 0 if it does not fit. */
static inline size_t testrec_make(uint8_t *buf, size_t cap, uint64_t id, uint32_t body, uint32_t sev)
{
	static const whea_guid section = WHEA_GUID(0x9876ccdd, 0x1234, 0x4abc, 0x8a, 0x01, 0x02, 0x03, 0x04, 0x05,
						   0x06, 0x07);
	whea_builder b;
	whea_record_init init = WHEA_RECORD_INIT_DEFAULTS;
	init.severity = sev;
	init.creator = WHEA_CREATOR_OPENWHEA;
	init.record_id = id;
	uint8_t *p;
	if (whea_builder_init(&b, buf, cap, 1, &init) ||
	    whea_builder_add_section(&b, &section, body, sev, 0, &p) < 0)
		return 0;
	for (uint32_t i = 0; i < body; i++)
		p[i] = (uint8_t)(id * 31 + (id >> 8) + i);
	return whea_builder_length(&b);
}

#endif
