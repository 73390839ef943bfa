/* tools/whea/cmd_sections.c — `whea sections`: the section types the library knows (built in and
 * registered), with their JSON keys and GUIDs, as a table or as JSON. */
#include <string.h>

#include "cli.h"

static void print_json(void)
{
	const whea_section_type *t;
	cli_buf b = {0};
	char g[WHEA_GUID_STRLEN + 1];
	cli_buf_str(&b, "[");
	for (size_t i = 0; (t = whea_section_at(i)) != NULL; i++) {
		cli_buf_str(&b, i ? ",\n  {\"name\":" : "\n  {\"name\":");
		cli_buf_json_str(&b, t->name, strlen(t->name));
		cli_buf_str(&b, ",\"key\":");
		cli_buf_json_str(&b, t->key, strlen(t->key));
		cli_buf_printf(&b, ",\"guid\":\"%s\",\"decoded\":%s}", whea_guid_format(&t->guid, g),
			       t->def ? "true" : "false");
	}
	cli_buf_str(&b, "\n]\n");
	fwrite(b.p, 1, b.len, stdout);
	cli_buf_free(&b);
}

static void print_table(void)
{
	const whea_section_type *t;
	char g[WHEA_GUID_STRLEN + 1];
	printf("%-36s  %-24s  %s\n", "GUID", "KEY", "NAME");
	for (size_t i = 0; (t = whea_section_at(i)) != NULL; i++)
		printf("%-36s  %-24s  %s%s\n", whea_guid_format(&t->guid, g), t->key, t->name,
		       t->def ? "" : " (kept as bytes)");
}

int cmd_sections(int argc, char **argv)
{
	int json = 0, code;
	const cli_option opts[] = {{"--json", NULL, &json, 1, NULL}, {NULL, NULL, NULL, 0, NULL}};
	if (!cli_parse_options("sections", argc, argv, opts, &code))
		return code;
	if (json)
		print_json();
	else
		print_table();
	return cli_close_out(stdout, "standard output");
}
