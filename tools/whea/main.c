/* tools/whea/main.c — the `whea` command-line tool: global options (--help, --version), the
 * command table with each command's usage text, and dispatch to cmd_*.c. */
#include <string.h>

#include "cli.h"

#ifndef WHEA_VERSION
#define WHEA_VERSION "0.1.0"
#endif

typedef struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	const char *usage;
} command;

static const command commands[] = {
	{"decode", cmd_decode, "print CPER records as text or JSON",
	 "Usage: whea decode [--text|--json|--jsonl] [--pretty] [--hexdump] [--tolerant] [FILE...]\n"
	 "\n"
	 "Decodes every record of every FILE (standard input when none or \"-\"). Input may be\n"
	 "binary CPER records back to back, ACPI Generic Error Status Blocks (a BERT region),\n"
	 "or hex or base64 text of either; the kind is detected. Garbage between records is\n"
	 "reported with its offset and skipped up to the next \"CPER\" signature.\n"
	 "\n"
	 "  --text       text for people (default)\n"
	 "  --json       one JSON array of records\n"
	 "  --jsonl      JSON Lines: one compact record object per line\n"
	 "  --pretty     indent the JSON (with --json only)\n"
	 "  --hexdump    add a hex dump of every section to the text (text only)\n"
	 "  --tolerant   exit 0 even when records have errors (they are still shown)\n"
	 "\n"
	 "Exit status: 0 all records decoded cleanly, 1 a record had errors or input was\n"
	 "skipped, 2 usage or I/O error.\n"},
	{"validate", cmd_validate, "check records and list every problem",
	 "Usage: whea validate [--quiet] [--warnings-as-errors] FILE...\n"
	 "\n"
	 "Checks every record of every FILE (\"-\" = standard input) and prints each problem as\n"
	 "  FILE: record N (offset X): error|warning at byte B: message\n"
	 "where X is the record's offset in the file and B the byte within the record, then a\n"
	 "summary line per file.\n"
	 "\n"
	 "  -q, --quiet                print nothing; only the exit status tells\n"
	 "  -W, --warnings-as-errors   warnings make a file invalid too\n"
	 "\n"
	 "Exit status: 0 valid, 1 invalid, 2 usage or I/O error.\n"},
	{"encode", cmd_encode, "turn JSON records into binary CPER",
	 "Usage: whea encode [-o OUT] [FILE...]\n"
	 "\n"
	 "Reads JSON records in the format 'whea decode --json' writes (one record object, an\n"
	 "array of them, or JSON Lines) from each FILE (standard input when none) and writes the\n"
	 "binary records back to back. Errors name the record, the JSON path and the byte offset.\n"
	 "\n"
	 "  -o, --output OUT   write to OUT (binary is not written to a terminal)\n"
	 "\n"
	 "Exit status: 0 ok, 1 a record could not be encoded, 2 usage or I/O error.\n"},
	{"build", cmd_build, "make a record from command-line options",
	 "Usage: whea build --type KEY|GUID [--severity SEV] [--notify NAME|GUID]\n"
	 "                  [--field KEY=VALUE]... [--json-section FILE] [--count N]\n"
	 "                  [--json] [-o OUT]\n"
	 "\n"
	 "Makes a record with one section of the given type ('whea sections' lists the keys),\n"
	 "stamped with the current time, openwhea's creator ID and a fresh record ID.\n"
	 "\n"
	 "  -t, --type KEY|GUID      section type\n"
	 "  -s, --severity SEV       fatal, recoverable, corrected (default) or informational\n"
	 "  -n, --notify NAME|GUID   notification type (CMC, MCE, PCIe, BOOT, ...); default PCIe\n"
	 "                           for PCIe sections, MCE for fatal/recoverable, else CMC\n"
	 "  -f, --field KEY=VALUE    a section field: numbers (decimal or 0x hex), names of enum\n"
	 "                           values, strings, or JSON; KEY may be a dotted path\n"
	 "                           (deviceID.vendorID=0x8086); validation bits follow\n"
	 "      --json-section FILE  the section's fields as a JSON object\n"
	 "  -c, --count N            N records (each with its own record ID)\n"
	 "      --json               print the JSON documents instead of encoding them\n"
	 "  -o, --output OUT         write to OUT (binary is not written to a terminal)\n"},
	{"sections", cmd_sections, "list the known section types",
	 "Usage: whea sections [--json]\n"
	 "\n"
	 "Lists every section type the library knows: GUID, JSON key and name.\n"},
	{"schema", cmd_schema, "print the JSON Schema of the JSON records",
	 "Usage: whea schema [--compact]\n"
	 "\n"
	 "Prints the JSON Schema (draft 2020-12) of one record as 'whea decode --json' writes\n"
	 "it, generated from the library's section tables, built-in and registered: key names,\n"
	 "types, enum values and names, bit names, validation-bit gated fields and the section\n"
	 "body of each section type. docs/schema/whea-record.schema.json is its output.\n"
	 "\n"
	 "  --compact    one line instead of indented JSON\n"},
	{"examples", cmd_examples, "write example records as files",
	 "Usage: whea examples [-o DIR]\n"
	 "\n"
	 "Writes the built-in example records (made with openwhea's record builder) as\n"
	 "DIR/NAME.cper (DIR defaults to the current directory): a corrected memory error, a\n"
	 "fatal PCIe error, a recoverable x86 processor error and a generic processor error.\n"},
	{"store", cmd_store, "write, read, list and clear records in the error record store",
	 "Usage: whea store SUBCOMMAND [OPTIONS] [ARGS]\n"
	 "\n"
	 "The persistent error record store (PSHED semantics: records keyed by their record id,\n"
	 "read along the next-id chain). Subcommands ('whea store SUBCOMMAND --help' for each):\n"
	 "\n"
	 "  write [--batch] [--dummy] [FILE...]   store records, print their ids\n"
	 "  read [--text|--json|-o FILE] ID        one record, raw or decoded (ID 0 = first)\n"
	 "  ls [--json]                            one line per record\n"
	 "  clear ID... | --all                    delete records\n"
	 "  stat [--json]                          count, capacity, used, free, damaged\n"
	 "  verify                                 check every frame; list each problem\n"
	 "  compact                                rewrite without dead space\n"
	 "\n"
	 "Common options (before or after the subcommand):\n"
	 "  --store DIR        the store (default $WHEA_STORE_DIR, /var/lib/openwhea/store when\n"
	 "                     writable, else ~/.local/state/openwhea/store)\n"
	 "  --backend NAME     file (default), efivars or mem\n"
	 "  --capacity BYTES   bytes the store may use when it is created (K, M, G suffixes)\n"
	 "  --readonly         never write (implied by read, ls, stat and verify)\n"
	 "\n"
	 "Exit status: 0 ok, 1 the answer is no (a record refused or not found, the store full,\n"
	 "problems found), 2 usage or I/O error.\n"},
	{"demo", cmd_demo, "decode this machine's boot errors, or the examples",
	 "Usage: whea demo [--bert PATH]\n"
	 "\n"
	 "Decodes the boot error region (" "/sys/firmware/acpi/tables/data/BERT" ", or PATH) when it\n"
	 "exists and is readable, and the built-in example records otherwise.\n"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const command *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

void cli_show_usage(const char *cmd)
{
	const command *c = find_command(cmd);
	if (c)
		fputs(c->usage, stdout);
}

static void main_usage(void)
{
	printf("Usage: whea COMMAND [OPTIONS] [ARGS]\n"
	       "       whea --help | --version\n"
	       "\n"
	       "Decode, check and make WHEA / UEFI CPER error records.\n"
	       "\n"
	       "Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		printf("  %-10s %s\n", commands[i].name, commands[i].summary);
	printf("\n'whea COMMAND --help' describes a command; 'man whea' describes them all.\n"
	       "Exit status: 0 ok, 1 invalid or undecodable records, 2 usage or I/O error.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(NULL, "no command given");
	const char *a = argv[1];
	if (cli_flag(a, "--help", "-h") || strcmp(a, "help") == 0) {
		if (argc > 2 && !find_command(argv[2]))
			return cli_usage_error(NULL, "unknown command '%s'", argv[2]);
		if (argc > 2)
			cli_show_usage(argv[2]);
		else
			main_usage();
		return cli_close_out(stdout, "standard output");
	}
	if (cli_flag(a, "--version", "-V")) {
		printf("whea (openwhea) %s\n", WHEA_VERSION);
		return cli_close_out(stdout, "standard output");
	}
	const command *c = find_command(a);
	if (!c)
		return cli_usage_error(NULL, a[0] == '-' ? "unknown option '%s'" : "unknown command '%s'", a);
	int rc = c->run(argc - 1, argv + 1);
	/* Whatever a command printed with stdio (usage texts, listings) must have reached stdout: a
	 * full disk or a closed stdout is an I/O error even when the command itself saw none. */
	if (rc != CLI_IO && cli_close_out(stdout, "standard output"))
		rc = CLI_IO;
	return rc;
}
