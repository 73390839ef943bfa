/* cper/header.c — the record header and section descriptor as field tables (spec 3, 4), the
 * well-known notification-type and creator GUIDs, and severity names. */
#include "cper/interp.h"
#include "util/le.h"
#include "whea/record.h"

const whea_guid WHEA_CREATOR_WINDOWS = WHEA_GUID(0xcf07c4bd, 0xb789, 0x4e18, 0xb3, 0xc4, 0x1f, 0x73, 0x2c, 0xb5, 0x71, 0x31);
const whea_guid WHEA_CREATOR_DEVICE_DRIVER = WHEA_GUID(0x57217c8d, 0x5e66, 0x44fb, 0x80, 0x33, 0x9b, 0x74, 0xca, 0xce, 0xdf, 0x5b);
const whea_guid WHEA_CREATOR_LINUX_PSTORE = WHEA_GUID(0x75a574e3, 0x5052, 0x4b29, 0x8a, 0x8e, 0xbe, 0x2c, 0x64, 0x90, 0xb8, 0x9d);
/* openwhea's creator id (a random version-4 GUID of our own). */
const whea_guid WHEA_CREATOR_OPENWHEA = WHEA_GUID(0x6f70656e, 0x7768, 0x4561, 0x8a, 0x3c, 0x5e, 0x21, 0x9b, 0x0d, 0x44, 0x17);

static const struct {
	whea_guid g;
	const char *name;
} notify_types[] = {
	{WHEA_GUID(0x2dce8bb1, 0xbdd7, 0x450e, 0xb9, 0xad, 0x9c, 0xf4, 0xeb, 0xd4, 0xf8, 0x90), "CMC"},
	{WHEA_GUID(0x4e292f96, 0xd843, 0x4a55, 0xa8, 0xc2, 0xd4, 0x81, 0xf2, 0x7e, 0xbe, 0xee), "CPE"},
	{WHEA_GUID(0xe8f56ffe, 0x919c, 0x4cc5, 0xba, 0x88, 0x65, 0xab, 0xe1, 0x49, 0x13, 0xbb), "MCE"},
	{WHEA_GUID(0xcf93c01f, 0x1a16, 0x4dfc, 0xb8, 0xbc, 0x9c, 0x4d, 0xaf, 0x67, 0xc1, 0x04), "PCIe"},
	{WHEA_GUID(0xcc5263e8, 0x9308, 0x454a, 0x89, 0xd0, 0x34, 0x0b, 0xd3, 0x9b, 0xc9, 0x8e), "INIT"},
	{WHEA_GUID(0x5bad89ff, 0xb7e6, 0x42c9, 0x81, 0x4a, 0xcf, 0x24, 0x85, 0xd6, 0xe9, 0x8a), "NMI"},
	{WHEA_GUID(0x3d61a466, 0xab40, 0x409a, 0xa6, 0x98, 0xf3, 0x62, 0xd4, 0x64, 0xb3, 0x8f), "BOOT"},
	{WHEA_GUID(0x667dd791, 0xc6b3, 0x4c27, 0x8a, 0x6b, 0x0f, 0x8e, 0x72, 0x2d, 0xeb, 0x41), "DMAr"},
	{WHEA_GUID(0x9a78788a, 0xbbe8, 0x11e4, 0x80, 0x9e, 0x67, 0x61, 0x1e, 0x5d, 0x46, 0xb0), "SEA"},
	{WHEA_GUID(0x5c284c81, 0xb0ae, 0x4e87, 0xa3, 0x22, 0xb0, 0x4c, 0x85, 0x62, 0x43, 0x23), "SEI"},
	{WHEA_GUID(0x09a9d5ac, 0x5204, 0x4214, 0x96, 0xe5, 0x94, 0x99, 0x2e, 0x75, 0x2b, 0xcd), "PEI"},
	{WHEA_GUID(0x69293bc9, 0x41df, 0x49a3, 0xb4, 0xbd, 0x4f, 0xb0, 0xdb, 0x30, 0x41, 0xf6), "CXL Component"},
	{WHEA_GUID(0x3e62a467, 0xab40, 0x409a, 0xa6, 0x98, 0xf3, 0x62, 0xd4, 0x64, 0xb3, 0x8f), "Generic"},
	{WHEA_GUID(0x487565ba, 0x6494, 0x4367, 0x95, 0xca, 0x4e, 0xff, 0x89, 0x35, 0x22, 0xf6), "BMC"},
	{WHEA_GUID(0xe9d59197, 0x94ee, 0x4a4f, 0x8a, 0xd8, 0x9b, 0x7d, 0x8b, 0xd9, 0x3d, 0x2e), "SCI"},
	{WHEA_GUID(0xfe84086e, 0xb557, 0x43cf, 0xac, 0x1b, 0x17, 0x98, 0x2e, 0x07, 0x84, 0x70), "EXTINT"},
	{WHEA_GUID(0x0033f803, 0x2e70, 0x4e88, 0x99, 0x2c, 0x6f, 0x26, 0xda, 0xf3, 0xdb, 0x7a), "Device Driver"},
	{WHEA_GUID(0x919448b2, 0x3739, 0x4b7f, 0xa8, 0xf1, 0xe0, 0x06, 0x28, 0x05, 0xc2, 0xa3), "CMCI"},
};

const char *whea_notify_type_name(const whea_guid *g)
{
	for (size_t i = 0; i < sizeof notify_types / sizeof notify_types[0]; i++)
		if (g->b[0] == notify_types[i].g.b[0] && whea_guid_equal(g, &notify_types[i].g)) /* cheap filter first */
			return notify_types[i].name;
	return NULL;
}

const char *whea_notify_type_at(size_t i, whea_guid *out)
{
	if (i >= sizeof notify_types / sizeof notify_types[0])
		return NULL;
	if (out)
		*out = notify_types[i].g;
	return notify_types[i].name;
}

const char *whea_creator_name(const whea_guid *g)
{
	if (whea_guid_equal(g, &WHEA_CREATOR_WINDOWS))
		return "Microsoft WHEA";
	if (whea_guid_equal(g, &WHEA_CREATOR_DEVICE_DRIVER))
		return "Windows device driver";
	if (whea_guid_equal(g, &WHEA_CREATOR_LINUX_PSTORE))
		return "Linux pstore";
	if (whea_guid_equal(g, &WHEA_CREATOR_OPENWHEA))
		return "openwhea";
	return NULL;
}

static const whea_name severity_names[] = {
	{0, "Recoverable"}, {1, "Fatal"}, {2, "Corrected"}, {3, "Informational"}, {0, NULL}};

const char *whea_severity_name(uint32_t sev)
{
	const char *n = whea_name_of(severity_names, sev);
	return n ? n : "Unknown";
}

int whea_severity_rank(uint32_t sev)
{
	static const int rank[] = {2, 3, 1, 0};
	return sev < 4 ? rank[sev] : 3;
}

static const whea_name header_flag_names[] = {
	{0, "recovered"}, {1, "previousError"}, {2, "simulated"}, {3, "deviceDriver"}, {4, "criticalEvent"},
	{5, "persistPfn"}, {6, "sectionsTruncated"}, {7, "recoveryInProgress"}, {8, "throttle"}, {0, NULL}};

static const whea_field header_fields[] = {
	{.key = "revision", .off = 4, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_BCDREV},
	{.key = "signatureEnd", .off = 6, .size = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "sectionCount", .off = 10, .size = 2, .kind = WHEA_K_UINT},
	{.key = "severity", .off = 12, .size = 4, .kind = WHEA_K_ENUM, .fmt = WHEA_FMT_CODE, .names = severity_names},
	{.key = "validationBits", .off = 16, .size = 4, .kind = WHEA_K_VALIDBITS},
	{.key = "recordLength", .off = 20, .size = 4, .kind = WHEA_K_UINT},
	{.key = "timestamp", .off = 24, .size = 8, .kind = WHEA_K_TIMESTAMP, .valid = WHEA_V(1)},
	{.key = "platformID", .label = "Platform ID", .off = 32, .size = 16, .kind = WHEA_K_GUID, .valid = WHEA_V(0)},
	{.key = "partitionID", .label = "Partition ID", .off = 48, .size = 16, .kind = WHEA_K_GUID, .valid = WHEA_V(2)},
	{.key = "creatorID", .label = "Creator ID", .off = 64, .size = 16, .kind = WHEA_K_GUID, .fmt = WHEA_GUID_CREATOR},
	{.key = "notificationType", .off = 80, .size = 16, .kind = WHEA_K_GUID, .fmt = WHEA_GUID_NOTIFY_TYPE},
	{.key = "recordID", .label = "Record ID", .off = 96, .size = 8, .kind = WHEA_K_UINT},
	{.key = "flags", .off = 104, .size = 4, .kind = WHEA_K_FLAGS, .names = header_flag_names},
	{.key = "persistenceInfo", .off = 108, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "reserved", .off = 116, .size = 12, .kind = WHEA_K_RESERVED},
};
const whea_def whea_def_record_header = {
	.name = "Record header", .size = 128, .fields = header_fields, .nfields = WHEA_NFIELDS(header_fields)};

/* Descriptor flags: UEFI names; bit 7 is Overflow in UEFI, FruTextByPlugin in Windows (D4). */
static const whea_name desc_flag_names[] = {
	{0, "primary"}, {1, "containmentWarning"}, {2, "reset"}, {3, "errorThresholdExceeded"},
	{4, "resourceNotAccessible"}, {5, "latentError"}, {6, "propagated"}, {7, "overflow"}, {0, NULL}};

static const whea_field desc_fields[] = {
	{.key = "sectionOffset", .off = 0, .size = 4, .kind = WHEA_K_UINT},
	{.key = "sectionLength", .off = 4, .size = 4, .kind = WHEA_K_UINT},
	{.key = "revision", .off = 8, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_BCDREV},
	{.key = "validationBits", .off = 10, .size = 1, .kind = WHEA_K_VALIDBITS},
	{.key = "reserved", .off = 11, .size = 1, .kind = WHEA_K_RESERVED},
	{.key = "flags", .off = 12, .size = 4, .kind = WHEA_K_FLAGS, .names = desc_flag_names},
	{.key = "sectionType", .off = 16, .size = 16, .kind = WHEA_K_GUID, .fmt = WHEA_GUID_SECTION_TYPE},
	{.key = "fruID", .label = "FRU ID", .off = 32, .size = 16, .kind = WHEA_K_GUID, .valid = WHEA_V(0)},
	{.key = "severity", .off = 48, .size = 4, .kind = WHEA_K_ENUM, .fmt = WHEA_FMT_CODE, .names = severity_names},
	{.key = "fruText", .label = "FRU text", .off = 52, .size = 20, .kind = WHEA_K_ASCII, .valid = WHEA_V(1)},
};
const whea_def whea_def_section_descriptor = {
	.name = "Section descriptor", .size = 72, .fields = desc_fields, .nfields = WHEA_NFIELDS(desc_fields)};
