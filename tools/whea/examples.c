/* tools/whea/examples.c — the built-in example records of `whea examples` and `whea demo`, made
 * with the record builder; section bytes are stored at the offsets of spec WHEA-CPER.md 6.1
 * (processor generic), 6.2 (IA32/X64), 6.5 (platform memory) and 6.7 (PCI Express). The values are
 * fixed so that the examples are the same bytes on every run. */
#include <string.h>

#include "cli.h"
#include "util/le.h"

/* 2024-05-17 08:30:00 UTC, the time stamped into every example. */
#define EXAMPLE_UNIX_TIME 1715934600u

static const whea_guid SEC_MEMORY = WHEA_GUID(0xa5bc1114, 0x6f64, 0x4ede, 0xb8, 0x63, 0x3e, 0x83, 0xed, 0x7c, 0x83, 0xb1);
static const whea_guid SEC_PCIE = WHEA_GUID(0xd995e954, 0xbbc1, 0x430f, 0xad, 0x91, 0xb4, 0x4d, 0xcb, 0x3c, 0x6f, 0x35);
static const whea_guid SEC_X86 = WHEA_GUID(0xdc3ea0b0, 0xa144, 0x4797, 0xb9, 0x5b, 0x53, 0xfa, 0x24, 0x2b, 0x6e, 0x1d);
static const whea_guid SEC_GENERIC = WHEA_GUID(0x9876ccad, 0x47b4, 0x4bdb, 0xb6, 0x5e, 0x16, 0xf1, 0x93, 0xc4, 0xf3, 0xdb);
static const whea_guid X86_CACHE_CHECK = WHEA_GUID(0xa55701f5, 0xe3ef, 0x43de, 0xac, 0x72, 0x24, 0x9b, 0x57, 0x3f, 0xad, 0x2c);

static const cli_example examples[] = {
	{"memory-corrected", "corrected single-bit ECC memory error (platform memory section)"},
	{"pcie-fatal", "fatal PCI Express error: malformed TLP at a root port (PCIe section with AER)"},
	{"x86-recoverable", "recoverable IA32/X64 processor error: uncorrected L2 data-read cache error"},
	{"generic-processor", "corrected generic processor error: L1 cache error on a data read"},
};

const cli_example *cli_example_at(size_t i) { return i < sizeof examples / sizeof examples[0] ? &examples[i] : NULL; }

static bool notify_by_name(const char *want, whea_guid *out)
{
	const char *name;
	for (size_t i = 0; (name = whea_notify_type_at(i, out)) != NULL; i++)
		if (strcmp(name, want) == 0)
			return true;
	return false;
}

static int start(whea_builder *b, uint8_t *buf, size_t cap, size_t index, uint32_t sev, const char *notify)
{
	whea_record_init init = WHEA_RECORD_INIT_DEFAULTS;
	init.severity = sev;
	init.creator = WHEA_CREATOR_OPENWHEA;
	notify_by_name(notify, &init.notify_type);
	whea_recid_state ids = {0};
	init.record_id = whea_record_id_next(&ids, EXAMPLE_UNIX_TIME) + index;
	init.has_timestamp = true;
	init.timestamp = (whea_time){2024, 5, 17, 8, 30, 0, true, WHEA_TS_BCD};
	return whea_builder_init(b, buf, cap, 1, &init);
}

/* Platform memory error (6.5, 80 bytes). */
static void memory_corrected(uint8_t *p)
{
	/* valid: error status, address, mask, node, card, module, bank, device, row, column, type,
	 * rank, card handle, module handle */
	whea_st64(p + 0, (1u << 0) | (1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) | (1u << 7) |
				 (1u << 8) | (1u << 9) | (1u << 14) | (1u << 15) | (1u << 16) | (1u << 17));
	whea_st64(p + 8, 4u << 8 | 1u << 18);   /* error status: errMem, data signal */
	whea_st64(p + 16, 0x000000017a3c4d40ull); /* physical address */
	whea_st64(p + 24, 0xffffffffffffffc0ull); /* address mask: 64-byte line */
	whea_st16(p + 32, 0);                     /* node */
	whea_st16(p + 34, 1);                     /* card */
	whea_st16(p + 36, 2);                     /* module */
	whea_st16(p + 38, 5);                     /* bank */
	whea_st16(p + 40, 9);                     /* device */
	whea_st16(p + 42, 0x1a2b);                /* row */
	whea_st16(p + 44, 0x3c0);                 /* column */
	p[72] = 2;                                /* single-bit ECC */
	whea_st16(p + 74, 1);                     /* rank */
	whea_st16(p + 76, 0x1000);                /* SMBIOS type 16 handle */
	whea_st16(p + 78, 0x1103);                /* SMBIOS type 17 handle */
}

/* PCI Express error (6.7, 208 bytes) with the AER capability. */
static void pcie_fatal(uint8_t *p)
{
	/* valid: port type, version, command/status, device id, serial number, AER info */
	whea_st64(p + 0, (1u << 0) | (1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 7));
	whea_st32(p + 8, 4);                      /* root port */
	whea_st16(p + 12, 0x0300);                /* PCIe 3.0 (BCD major.minor) */
	whea_st16(p + 16, 0x0547);                /* command register */
	whea_st16(p + 18, 0x4010);                /* status: capabilities list, signaled system error */
	uint8_t *id = p + 24;
	whea_st16(id + 0, 0x8086);                /* vendor */
	whea_st16(id + 2, 0x2030);                /* device */
	id[4] = 0x00, id[5] = 0x04, id[6] = 0x06; /* class: PCI-to-PCI bridge */
	id[7] = 0;                                /* function */
	id[8] = 1;                                /* device */
	whea_st16(id + 9, 0);                     /* segment */
	id[11] = 0x00;                            /* primary bus */
	id[12] = 0x17;                            /* secondary bus */
	whea_st16(id + 13, 4u << 3);              /* slot 4 */
	whea_st64(p + 40, 0x0000c9fffe3a5b10ull); /* serial number */
	uint8_t *aer = p + 112;
	whea_st32(aer + 0, 0x14820001);           /* AER capability header */
	whea_st32(aer + 4, 1u << 18);             /* uncorrectable status: malformed TLP */
	whea_st32(aer + 12, 0x00462030);          /* uncorrectable severity */
	whea_st32(aer + 24, 0x000001f2);          /* capabilities and control: first error pointer 18 */
	whea_st32(aer + 28, 0x4a000001);          /* header log */
	whea_st32(aer + 32, 0x170000ff);
	whea_st32(aer + 36, 0xfee00000);
}

/* IA32/X64 processor error (6.2): 64-byte header and one error-information structure. */
static void x86_recoverable(uint8_t *p)
{
	whea_st64(p + 0, 1u << 0 | 1u << 1 | 1u << 2); /* APIC id, CPUID info valid; one error info */
	whea_st64(p + 8, 0x12);                   /* local APIC id */
	whea_st64(p + 16, 0x000606a6);            /* CPUID.1 EAX */
	whea_st64(p + 24, 0x12200800);            /* EBX */
	whea_st64(p + 32, 0x7ffefbff);            /* ECX */
	whea_st64(p + 40, 0xbfebfbff);            /* EDX */
	uint8_t *e = p + 64;
	memcpy(e, X86_CACHE_CHECK.b, 16);
	whea_st64(e + 16, 1u << 0 | 1u << 4);     /* check info, instruction pointer valid */
	/* cache check: valid transaction type, operation, level, PCC, uncorrected, precise IP,
	 * restartable IP; data access, data read, level 2, uncorrected, restartable */
	whea_st64(e + 24, 0x7full | 1ull << 16 | 3ull << 18 | 2ull << 22 | 1ull << 26 | 1ull << 28);
	whea_st64(e + 56, 0xffffffff8a2c1f37ull); /* instruction pointer */
}

/* Processor generic error (6.1, 192 bytes). */
static void generic_processor(uint8_t *p)
{
	/* valid: type, ISA, error type, operation, flags, level, CPU version, brand, id, IP */
	whea_st64(p + 0, 0xffu | 1u << 8 | 1u << 12);
	p[8] = 0;                                 /* IA32/X64 */
	p[9] = 2;                                 /* X64 */
	p[10] = 0x01;                             /* cache error */
	p[11] = 1;                                /* data read */
	p[12] = 0x09;                             /* restartable, corrected */
	p[13] = 0;                                /* level 1 */
	whea_st64(p + 16, 0x000606a6);            /* CPU version (CPUID.1 EAX) */
	static const char brand[] = "Example Xeon CPU @ 2.40GHz";
	memcpy(p + 24, brand, sizeof brand);
	whea_st64(p + 152, 4);                    /* processor (APIC) id */
	whea_st64(p + 184, 0xffffffff81234567ull); /* instruction pointer */
}

size_t cli_example_build(size_t i, uint8_t *buf, size_t cap)
{
	/* Each example is one section of severity sev in a record of the same severity; fill writes
	 * the section's bytes into the zeroed body. Descriptor flags: 1 = primary, 4 = reset. */
	static const struct {
		uint32_t sev;
		const char *notify;
		const whea_guid *type;
		uint32_t length, desc_flags;
		void (*fill)(uint8_t *body);
		const char *fru_text;   /* NULL: none */
	} how[] = {
		{WHEA_SEV_CORRECTED, "CMC", &SEC_MEMORY, 80, 1, memory_corrected, "DIMM_B1"},
		{WHEA_SEV_FATAL, "PCIe", &SEC_PCIE, 208, 1 | 4, pcie_fatal, NULL},
		{WHEA_SEV_RECOVERABLE, "MCE", &SEC_X86, 128, 1, x86_recoverable, NULL},
		{WHEA_SEV_CORRECTED, "CMC", &SEC_GENERIC, 192, 1, generic_processor, NULL},
	};
	if (i >= sizeof how / sizeof how[0])
		return 0;
	whea_builder b;
	uint8_t *p;
	int rc = start(&b, buf, cap, i, how[i].sev, how[i].notify);
	if (!rc)
		rc = whea_builder_add_section(&b, how[i].type, how[i].length, how[i].sev, how[i].desc_flags, &p);
	if (rc >= 0) {
		how[i].fill(p);
		rc = how[i].fru_text ? whea_builder_set_fru(&b, (unsigned)rc, NULL, how[i].fru_text) : 0;
	}
	if (rc) {
		char msg[400];
		cli_err("example %s: %s", examples[i].name, cli_lib_error(msg, sizeof msg, 0));
		return 0;
	}
	return whea_builder_length(&b);
}
