/* tests/unit/test_record_init.c — WHEA_RECORD_INIT_DEFAULTS through the public API only: the
 * initialiser holds the defaults include/whea/record.h documents, a record built from it alone
 * (plus one section) parses with no diagnostic and has the matching header, and the builder still
 * refuses an init whose size says it is an older, smaller layout. */
#include "../check.h"
#include "whea/record.h"

/* A vendor section type no table knows, so its body is never decoded. */
static const whea_guid VENDOR = WHEA_GUID(0x1f2e3d4c, 0x5b6a, 0x4978, 0x86, 0x95, 0xa4, 0xb3, 0xc2, 0xd1, 0xe0, 0xf0);

/* The defaults must also be a constant expression (static and const objects). */
static const whea_record_init static_defaults = WHEA_RECORD_INIT_DEFAULTS;

static void count_diag(void *ctx, const whea_diag *d)
{
	(void)d;
	++*(unsigned *)ctx;
}

static void check_defaults(const char *what, const whea_record_init *i)
{
	CHECK_EQ_U(i->size, sizeof(whea_record_init), what);
	CHECK_EQ_U(i->version, WHEA_RECORD_INIT_VERSION, what);
	CHECK_EQ_U(WHEA_RECORD_INIT_VERSION, 1, "version constant");
	CHECK_EQ_U(i->severity, WHEA_SEV_RECOVERABLE, what);
	CHECK(whea_guid_is_zero(&i->creator) && whea_guid_is_zero(&i->notify_type) &&
		      whea_guid_is_zero(&i->platform_id) && whea_guid_is_zero(&i->partition_id),
	      "%s: a GUID is not zero", what);
	CHECK_EQ_U(i->record_id, 0, what);
	CHECK_EQ_U(i->flags, 0, what);
	CHECK(!i->has_timestamp && !i->record_length_is_capacity, "%s: a flag is set", what);
}

static void test_defaults(void)
{
	whea_record_init init = WHEA_RECORD_INIT_DEFAULTS;
	check_defaults("automatic", &init);
	check_defaults("static const", &static_defaults);
}

static void test_build_with_defaults(void)
{
	uint8_t buf[512];
	whea_record_init init = WHEA_RECORD_INIT_DEFAULTS;
	whea_builder b;
	CHECK(whea_builder_init(&b, buf, sizeof buf, 1, &init) == 0, "builder_init: %s", whea_error_last()->message);
	CHECK(whea_builder_add_section(&b, &VENDOR, 16, WHEA_SEV_RECOVERABLE, 0, NULL) == 0, "add_section");
	size_t len = whea_builder_length(&b);
	CHECK_EQ_U(len, WHEA_RECORD_HEADER_SIZE + WHEA_SECTION_DESC_SIZE + 16, "record length");

	whea_record r;
	unsigned diags = 0;
	CHECK(whea_record_parse(&r, buf, len, WHEA_PARSE_SECTIONS, count_diag, &diags) == 0, "parse failed");
	CHECK_EQ_U(diags, 0, "diagnostics");
	CHECK_EQ_U(r.section_count, 1, "section count");
	CHECK_EQ_U(whea_record_revision(&r), 0x0101, "revision");
	CHECK_EQ_U(whea_record_severity(&r), WHEA_SEV_RECOVERABLE, "severity");
	CHECK_EQ_U(whea_record_validation_bits(&r), 0, "validation bits (no platform id, timestamp, partition id)");
	CHECK_EQ_U(whea_record_id(&r), 0, "record id");
	CHECK_EQ_U(whea_record_flags(&r), 0, "flags");
	whea_guid g;
	whea_record_creator(&r, &g);
	CHECK(whea_guid_is_zero(&g), "creator is not zero");
	whea_record_notify_type(&r, &g);
	CHECK(whea_guid_is_zero(&g), "notification type is not zero");
}

/* Setting fields after the defaults shows up in the header. */
static void test_build_with_fields(void)
{
	uint8_t buf[512];
	whea_record_init init = WHEA_RECORD_INIT_DEFAULTS;
	init.severity = WHEA_SEV_CORRECTED;
	init.creator = WHEA_CREATOR_OPENWHEA;
	init.record_id = 0x1234;
	whea_builder b;
	CHECK(whea_builder_init(&b, buf, sizeof buf, 1, &init) == 0, "builder_init: %s", whea_error_last()->message);
	CHECK(whea_builder_add_section(&b, &VENDOR, 8, WHEA_SEV_CORRECTED, 0, NULL) == 0, "add_section");
	whea_record r;
	CHECK(whea_record_parse(&r, buf, whea_builder_length(&b), WHEA_PARSE_SECTIONS, NULL, NULL) == 0, "parse failed");
	CHECK_EQ_U(whea_record_severity(&r), WHEA_SEV_CORRECTED, "severity");
	CHECK_EQ_U(whea_record_id(&r), 0x1234, "record id");
	whea_guid g;
	whea_record_creator(&r, &g);
	CHECK(whea_guid_equal(&g, &WHEA_CREATOR_OPENWHEA), "creator");
}

/* size tells the library which layout the caller compiled against; a smaller one is refused. */
static void test_size_checked(void)
{
	uint8_t buf[512];
	whea_record_init init = WHEA_RECORD_INIT_DEFAULTS;
	init.size = sizeof init - 1;
	whea_builder b;
	CHECK(whea_builder_init(&b, buf, sizeof buf, 1, &init) == WHEA_EINVAL, "a short size was accepted");
}

int main(void)
{
	test_defaults();
	test_build_with_defaults();
	test_build_with_fields();
	test_size_checked();
	return check_summary("record_init");
}
