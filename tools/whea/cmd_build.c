/* tools/whea/cmd_build.c — `whea build`: makes a one-section record from the command line. It
 * composes a JSON record document in the shape `whea decode --json` writes (header, one section
 * descriptor, one section) and hands it to whea_json_to_record, so the encoder and its checks are
 * the same as for `whea encode`. Field values are typed with the section's field table: enum
 * names become their values, gated fields set their validation bits. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli.h"
#include "format/json_read.h"

typedef struct field_arg {
	const char *key;      /* "node" or "deviceID.vendorID" */
	size_t keylen;
	const char *value;
	bool done;            /* emitted */
} field_arg;

typedef struct build_opts {
	const whea_section_type *type;  /* NULL: unregistered GUID */
	whea_guid guid;
	uint32_t severity;
	whea_guid notify;
	const char *notify_name;
	field_arg *fields;
	size_t nfields;
	const char *json_section;       /* file */
	uint64_t count;
	const char *out;
	bool json;                      /* print the JSON documents instead of encoding */
} build_opts;

/* ---- resolving names ---- */

static const whea_section_type *type_by_key(const char *key)
{
	const whea_section_type *t = whea_section_by_key(key, strlen(key));
	for (size_t i = 0; !t && (t = whea_section_at(i)) != NULL; i++)
		if (strcasecmp(t->key, key) != 0)
			t = NULL;
	return t;
}

static int parse_type(build_opts *o, const char *v)
{
	if (whea_guid_parse(&o->guid, v, strlen(v)) == 0) {
		o->type = whea_section_lookup(&o->guid);
		return 0;
	}
	if (!(o->type = type_by_key(v)))
		return cli_usage_error("build", "unknown section type '%s' (see 'whea sections')", v);
	o->guid = o->type->guid;
	return 0;
}

static int parse_severity(build_opts *o, const char *v)
{
	for (uint32_t s = 0; s < 4; s++)
		if (strcasecmp(v, whea_severity_name(s)) == 0) {
			o->severity = s;
			return 0;
		}
	uint64_t n;
	if (cli_parse_u64(v, &n) && n <= UINT32_MAX) {
		o->severity = (uint32_t)n;
		return 0;
	}
	return cli_usage_error("build", "unknown severity '%s' (fatal, recoverable, corrected, informational)", v);
}

static int parse_notify(build_opts *o, const char *v)
{
	if (whea_guid_parse(&o->notify, v, strlen(v)) == 0) {
		o->notify_name = whea_notify_type_name(&o->notify);
		return 0;
	}
	const char *name;
	for (size_t i = 0; (name = whea_notify_type_at(i, &o->notify)) != NULL; i++)
		if (strcasecmp(name, v) == 0) {
			o->notify_name = name;
			return 0;
		}
	return cli_usage_error("build", "unknown notification type '%s' (a name such as CMC, MCE, PCIe, BOOT, or a GUID)", v);
}

static void default_notify(build_opts *o)
{
	const char *want = o->type && strcasecmp(o->type->key, "Pcie") == 0 ? "PCIe"
			   : (o->severity == WHEA_SEV_FATAL || o->severity == WHEA_SEV_RECOVERABLE) ? "MCE" : "CMC";
	const char *name;
	for (size_t i = 0; (name = whea_notify_type_at(i, &o->notify)) != NULL; i++)
		if (strcmp(name, want) == 0) {
			o->notify_name = name;
			return;
		}
}

/* ---- field rows ---- */

static const whea_def *section_def(const build_opts *o) { return o->type ? o->type->def : NULL; }

static const whea_field *row_in(const whea_def *d, const char *key, size_t n)
{
	for (uint16_t i = 0; d && i < d->nfields; i++)
		if (strlen(d->fields[i].key) == n && memcmp(d->fields[i].key, key, n) == 0)
			return &d->fields[i];
	return NULL;
}

/* What a dotted key names: a row, descending through nested structs, or a bitfield of an
 * integer row ("errorStatus.errorType"). Both NULL when the tables do not know it. */
typedef struct field_ref {
	const whea_field *row;
	const whea_bitfield *bit;
} field_ref;

static field_ref ref_for(const whea_def *d, const char *key, size_t len)
{
	field_ref r = {NULL, NULL};
	for (;;) {
		const char *dot = memchr(key, '.', len);
		size_t n = dot ? (size_t)(dot - key) : len;
		if (!(r.row = row_in(d, key, n)) || !dot)
			return r;
		key = dot + 1;
		len -= n + 1;
		const whea_def *sub = r.row->sub;
		if (r.row->kind == WHEA_K_UINT && sub && sub->nbits && !memchr(key, '.', len)) {
			for (uint16_t i = 0; i < sub->nbits; i++)
				if (strlen(sub->bits[i].key) == len && memcmp(sub->bits[i].key, key, len) == 0)
					r.bit = &sub->bits[i];
			r.row = NULL;
			return r;
		}
		d = r.row->kind == WHEA_K_STRUCT ? sub : NULL;
	}
}

/* The number a name stands for in an enum or flags row ("singleBitEcc" -> 2). */
static bool enum_value(const whea_name *names, const char *v, uint64_t *out)
{
	for (const whea_name *n = names; n && n->name; n++)
		if (strcasecmp(n->name, v) == 0) {
			*out = n->value;
			return true;
		}
	return false;
}

static int list_names(const char *key, const whea_name *names)
{
	fprintf(stderr, "whea: build: field '%s' takes a number or one of:", key);
	for (const whea_name *n = names; n && n->name; n++)
		fprintf(stderr, " %s", n->name);
	fputc('\n', stderr);
	return CLI_USAGE;
}

/* {"value"|"code": n, "name": ...} as the JSON writer shows enums. */
static void enum_json(cli_buf *b, const whea_name *names, uint64_t n, bool code)
{
	cli_buf_printf(b, "{\"%s\":%llu", code ? "code" : "value", (unsigned long long)n);
	for (const whea_name *nm = names; nm && nm->name; nm++)
		if (nm->value == n) {
			cli_buf_str(b, ",\"name\":");
			cli_buf_json_str(b, nm->name, strlen(nm->name));
			break;
		}
	cli_buf_str(b, "}");
}

/* A value for a bitfield of an integer row. */
static int render_bit(cli_buf *b, const char *key, const whea_bitfield *bf, const char *v)
{
	uint64_t n;
	bool num = cli_parse_u64(v, &n);
	if (bf->kind == WHEA_K_ENUM) {
		if (!num && !enum_value(bf->names, v, &n))
			return list_names(key, bf->names);
		enum_json(b, bf->names, n, bf->fmt == WHEA_FMT_CODE);
	} else if (bf->kind == WHEA_K_BOOL && num && n <= 1) {
		cli_buf_str(b, n ? "true" : "false");
	} else if (num && bf->kind == WHEA_K_FLAGS) {
		cli_buf_printf(b, "{\"value\":%llu}", (unsigned long long)n);
	} else if (num) {
		cli_buf_printf(b, "%llu", (unsigned long long)n);
	} else {
		cli_buf_json_str(b, v, strlen(v));
	}
	return 0;
}

/* Writes the JSON for one value of what key names (ref may be empty). Returns 0 or CLI_USAGE. */
static int render_value(cli_buf *b, const char *key, field_ref ref, const char *v)
{
	uint64_t n;
	bool num = cli_parse_u64(v, &n);
	const whea_field *f = ref.row;
	if (v[0] == '{' || v[0] == '[' || v[0] == '"' || !strcmp(v, "true") || !strcmp(v, "false") || !strcmp(v, "null")) {
		cli_buf_str(b, v); /* JSON given as is */
		return 0;
	}
	if (ref.bit)
		return render_bit(b, key, ref.bit, v);
	if (f && f->kind == WHEA_K_ENUM) {
		if (!num && !enum_value(f->names, v, &n))
			return list_names(key, f->names);
		enum_json(b, f->names, n, f->fmt == WHEA_FMT_CODE);
		return 0;
	}
	if (f && f->fmt == WHEA_FMT_BCDREV) {
		unsigned major, minor;
		char end;
		if (num)
			major = (unsigned)(n >> 8 & 0xff), minor = (unsigned)(n & 0xff);
		else if (sscanf(v, "%u.%u%c", &major, &minor, &end) != 2 || major > 255 || minor > 255)
			return cli_usage_error("build", "field '%s' takes a revision: MAJOR.MINOR or a number", key);
		cli_buf_printf(b, "{\"major\":%u,\"minor\":%u}", major, minor);
		return 0;
	}
	bool wrapped = f && (f->kind == WHEA_K_FLAGS || (f->kind == WHEA_K_UINT && f->sub && f->sub->nbits));
	if (num && wrapped)
		cli_buf_printf(b, "{\"value\":%llu}", (unsigned long long)n);
	else if (num)
		cli_buf_printf(b, "%llu", (unsigned long long)n);
	else
		cli_buf_json_str(b, v, strlen(v));
	return 0;
}

/* Members of the object at prefix (keys below prefix, "" = the section object). */
static int emit_members(cli_buf *b, const build_opts *o, const char *prefix, size_t plen, bool *first)
{
	for (size_t i = 0; i < o->nfields; i++) {
		field_arg *a = &o->fields[i];
		if (a->done || a->keylen <= plen || memcmp(a->key, prefix, plen) != 0)
			continue;
		const char *rest = a->key + plen;
		const char *dot = memchr(rest, '.', a->keylen - plen);
		size_t n = dot ? (size_t)(dot - rest) : a->keylen - plen;
		cli_buf_str(b, *first ? "" : ",");
		*first = false;
		cli_buf_json_str(b, rest, n);
		cli_buf_str(b, ":");
		if (!dot) {
			a->done = true;
			char key[256];
			snprintf(key, sizeof key, "%.*s", (int)a->keylen, a->key);
			int rc = render_value(b, key, ref_for(section_def(o), a->key, a->keylen), a->value);
			if (rc)
				return rc;
			continue;
		}
		bool sub_first = true;
		cli_buf_str(b, "{");
		int rc = emit_members(b, o, a->key, plen + n + 1, &sub_first);
		if (rc)
			return rc;
		cli_buf_str(b, "}");
	}
	return 0;
}

/* Validation bits implied by the top-level rows the fields name (0 if the user gives them). */
static bool implied_validation_bits(const build_opts *o, uint64_t *vb)
{
	const whea_def *d = section_def(o);
	bool has_row = false;
	*vb = 0;
	for (uint16_t i = 0; d && i < d->nfields; i++)
		if (d->fields[i].kind == WHEA_K_VALIDBITS && d->fields[i].off == 0)
			has_row = true;
	if (!has_row)
		return false;
	const char *vbkey = NULL;
	for (uint16_t i = 0; i < d->nfields; i++)
		if (d->fields[i].kind == WHEA_K_VALIDBITS)
			vbkey = d->fields[i].key;
	for (size_t i = 0; i < o->nfields; i++) {
		const char *dot = memchr(o->fields[i].key, '.', o->fields[i].keylen);
		size_t n = dot ? (size_t)(dot - o->fields[i].key) : o->fields[i].keylen;
		if (vbkey && strlen(vbkey) == n && memcmp(vbkey, o->fields[i].key, n) == 0)
			return false;
		const whea_field *f = row_in(d, o->fields[i].key, n);
		if (f && f->valid)
			*vb |= 1ull << (f->valid - 1);
	}
	return true;
}

/* The section object: --json-section contents and/or the fields. */
static int section_object(cli_buf *b, build_opts *o, const char *file_json)
{
	for (size_t i = 0; i < o->nfields; i++)
		o->fields[i].done = false;
	bool first = true;
	if (file_json) {
		size_t n = strlen(file_json);
		while (n && strchr(" \t\r\n", file_json[n - 1]))
			n--;
		cli_buf_add(b, file_json, n - 1); /* without the closing brace */
		for (size_t k = 1; k + 1 < n && first; k++)
			if (!strchr(" \t\r\n", file_json[k]))
				first = false;
	} else {
		uint64_t vb;
		cli_buf_str(b, "{");
		if (implied_validation_bits(o, &vb)) {
			const whea_def *d = section_def(o);
			for (uint16_t i = 0; i < d->nfields; i++)
				if (d->fields[i].kind == WHEA_K_VALIDBITS)
					cli_buf_printf(b, "\"%s\":%llu", d->fields[i].key, (unsigned long long)vb);
			first = false;
		}
	}
	int rc = emit_members(b, o, "", 0, &first);
	cli_buf_str(b, "}");
	return rc;
}

/* ---- the document ---- */

static void severity_json(cli_buf *b, uint32_t sev)
{
	cli_buf_printf(b, "{\"code\":%u,\"name\":\"%s\"}", sev, whea_severity_name(sev));
}

static int compose(cli_buf *b, build_opts *o, const char *file_json, uint64_t id, const struct tm *tm)
{
	char g[WHEA_GUID_STRLEN + 1];
	const char *type_name = o->type ? o->type->name : "Unknown";
	cli_buf_str(b, "{\"header\":{\"revision\":{\"major\":1,\"minor\":1},\"severity\":");
	severity_json(b, o->severity);
	cli_buf_printf(b, ",\"validationBits\":2,\"timestamp\":\"%04d-%02d-%02dT%02d:%02d:%02d\"", tm->tm_year + 1900,
		       tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec);
	cli_buf_str(b, ",\"timestampIsPrecise\":false,\"timestampEncoding\":\"bcd\"");
	cli_buf_printf(b, ",\"creatorID\":\"%s\"", whea_guid_format(&WHEA_CREATOR_OPENWHEA, g));
	cli_buf_printf(b, ",\"notificationType\":{\"guid\":\"%s\",\"type\":", whea_guid_format(&o->notify, g));
	cli_buf_json_str(b, o->notify_name ? o->notify_name : "Unknown", strlen(o->notify_name ? o->notify_name : "Unknown"));
	cli_buf_printf(b, "},\"recordID\":%llu},", (unsigned long long)id);
	cli_buf_str(b, "\"sectionDescriptors\":[{\"revision\":{\"major\":1,\"minor\":0},\"validationBits\":0,"
		       "\"flags\":{\"value\":1,\"primary\":true},");
	cli_buf_printf(b, "\"sectionType\":{\"data\":\"%s\",\"type\":", whea_guid_format(&o->guid, g));
	cli_buf_json_str(b, type_name, strlen(type_name));
	cli_buf_str(b, "},\"severity\":");
	severity_json(b, o->severity);
	cli_buf_str(b, "}],\"sections\":[{");
	cli_buf_json_str(b, o->type ? o->type->key : "Unknown", strlen(o->type ? o->type->key : "Unknown"));
	cli_buf_str(b, ":");
	int rc = section_object(b, o, file_json);
	cli_buf_str(b, "}]}");
	return rc;
}

/* ---- options ---- */

static int add_field(build_opts *o, const char *v)
{
	const char *eq = strchr(v, '=');
	if (!eq || eq == v)
		return cli_usage_error("build", "--field needs KEY=VALUE, got '%s'", v);
	field_arg *a = &o->fields[o->nfields++];
	a->key = v;
	a->keylen = (size_t)(eq - v);
	a->value = eq + 1;
	bool bad = a->keylen >= 200 || v[0] == '.' || v[a->keylen - 1] == '.';
	for (size_t i = 1; i < a->keylen; i++)
		bad = bad || (v[i] == '.' && v[i - 1] == '.');
	if (bad)
		return cli_usage_error("build", "bad field name in '%s'", v);
	return 0;
}

static int parse_args(build_opts *o, int argc, char **argv)
{
	bool have_type = false, have_notify = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		int k = 0;
		if (cli_flag(a, "--help", "-h"))
			return cli_show_usage("build"), -1;
		if (cli_flag(a, "--json", NULL)) {
			o->json = true;
			continue;
		}
		int rc = 0;
		if ((k = cli_opt("build", argc, argv, &i, "--type", "-t", &v)) > 0)
			rc = parse_type(o, v), have_type = true;
		else if (!k && (k = cli_opt("build", argc, argv, &i, "--severity", "-s", &v)) > 0)
			rc = parse_severity(o, v);
		else if (!k && (k = cli_opt("build", argc, argv, &i, "--notify", "-n", &v)) > 0)
			rc = parse_notify(o, v), have_notify = true;
		else if (!k && (k = cli_opt("build", argc, argv, &i, "--field", "-f", &v)) > 0)
			rc = add_field(o, v);
		else if (!k && (k = cli_opt("build", argc, argv, &i, "--json-section", NULL, &v)) > 0)
			o->json_section = v;
		else if (!k && (k = cli_opt("build", argc, argv, &i, "--count", "-c", &v)) > 0) {
			if (!cli_parse_u64(v, &o->count) || o->count == 0 || o->count > 100000000)
				rc = cli_usage_error("build", "--count takes a number from 1 to 100000000, got '%s'", v);
		} else if (!k && (k = cli_opt("build", argc, argv, &i, "--output", "-o", &v)) > 0)
			o->out = v;
		else if (!k)
			return cli_usage_error("build", a[0] == '-' ? "unknown option '%s'" : "unexpected argument '%s'", a);
		if (k < 0 || rc)
			return CLI_USAGE;
	}
	if (!have_type)
		return cli_usage_error("build", "--type is required (a section key such as Memory, or a GUID)");
	if (!have_notify)
		default_notify(o);
	return 0;
}

/* ---- the command ---- */

/* The --json-section text must be one JSON object: parsed here so that a syntax error names the
 * file and its own line, column and byte, not a place in the composed document. */
static bool section_json_ok(const char *name, const char *text, size_t len)
{
	if (len > CLI_RECORD_MAX) {
		cli_err("%s: --json-section: %zu bytes is more than a record of 16 MiB can hold", name, len);
		return false;
	}
	uint32_t max = (uint32_t)WHEA_JSON_NODES_FOR(len);
	whea_jnode *nodes = cli_xmalloc(sizeof *nodes * max);
	char *strbuf = cli_xmalloc(WHEA_JSON_STRBUF_FOR(len) + 1);
	whea_jdoc doc;
	char msg[512];
	bool ok = false;
	if (whea_json_parse(&doc, text, len, nodes, max, strbuf, WHEA_JSON_STRBUF_FOR(len)))
		cli_err("%s: --json-section: %s", name, cli_lib_error(msg, sizeof msg, 0));
	else if (nodes[0].type != WHEA_JOBJECT)
		cli_err("%s: --json-section needs a JSON object (the section's fields), found %s", name,
			whea_json_type_name(nodes[0].type));
	else
		ok = true;
	free(nodes);
	free(strbuf);
	return ok;
}

static int read_section_file(const char *path, cli_buf *b)
{
	FILE *f = cli_open_in(path);
	if (!f || cli_read_all(f, cli_display_name(path), CLI_TEXT_MAX, b)) {
		cli_close_in(f);
		return CLI_IO;
	}
	cli_close_in(f);
	if (!section_json_ok(cli_display_name(path), b->p ? b->p : "", b->len))
		return CLI_INVALID;
	size_t s = 0, e = b->len;
	while (s < e && strchr(" \t\r\n", b->p[s]))
		s++;
	while (e > s && strchr(" \t\r\n", b->p[e - 1]))
		e--;
	memmove(b->p, b->p + s, e - s);
	b->len = e - s;
	b->p[b->len] = 0;
	return 0;
}

/* Writes to the output, creating the file with the first record (a record that cannot be made
 * leaves an existing file alone). */
static int write_out(cli_lazy_out *out, const void *p, size_t n)
{
	FILE *f = cli_lazy_file(out);
	return f ? cli_write(f, cli_lazy_name(out), p, n) : CLI_IO;
}

static int emit_records(build_opts *o, const char *file_json, cli_lazy_out *out)
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	whea_recid_state ids = {0};
	cli_buf doc = {0};
	uint8_t *rec = NULL;
	size_t cap = 0, len = 0;
	int rc = 0;
	for (uint64_t i = 0; i < o->count && !rc; i++) {
		doc.len = 0;
		if ((rc = compose(&doc, o, file_json, whea_record_id_next(&ids, (uint64_t)now), &tm)))
			break;
		if (o->json) {
			cli_buf_str(&doc, "\n");
			rc = write_out(out, doc.p, doc.len);
			continue;
		}
		int e;
		while ((e = whea_json_to_record(doc.p, doc.len, rec, cap, &len)) == WHEA_ENOSPACE && len > cap)
			rec = cli_xrealloc(rec, cap = len);
		if (e) {
			char msg[512];
			cli_err("build: the composed record is not valid: %s", cli_lib_error(msg, sizeof msg, 0));
			fprintf(stderr, "whea: build: the document was: %s\n", doc.p);
			rc = CLI_INVALID;
		} else {
			rc = write_out(out, rec, len);
		}
	}
	free(rec);
	cli_buf_free(&doc);
	return rc;
}

int cmd_build(int argc, char **argv)
{
	build_opts o;
	memset(&o, 0, sizeof o);
	o.severity = WHEA_SEV_CORRECTED;
	o.count = 1;
	o.fields = cli_xmalloc(sizeof *o.fields * (size_t)(argc + 1));
	int rc = parse_args(&o, argc, argv);
	cli_buf section = {0};
	if (rc == 0 && o.json_section)
		rc = read_section_file(o.json_section, &section);
	cli_lazy_out out;
	if (rc == 0)
		rc = cli_lazy_begin(&out, "build", o.out, !o.json);
	if (rc == 0) {
		rc = emit_records(&o, o.json_section ? section.p : NULL, &out);
		if (cli_lazy_close(&out) && !rc)
			rc = CLI_IO;
	}
	cli_buf_free(&section);
	free(o.fields);
	return rc < 0 ? CLI_OK : rc;
}
