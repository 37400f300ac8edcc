// SPDX-License-Identifier: GPL-2.0
/* Host unit tests of the CLI's parser of the /proc/vmainfo text (TAP out). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jsonout.h"
#include "parse.h"
#include "util.h"

static int n, failed;

static void ok(int cond, const char *name)
{
	printf("%sok %d - parser: %s\n", cond ? "" : "not ", ++n, name);
	if (!cond)
		failed++;
}

#define HDR "pid: 42\ncomm: a b\nkernel: 6.12.0\nformat: 1\nstart_brk: 0x1000\nbrk: 0x3000\n" \
	"total_vm: 12 pages\n\n"

/* json_doc() of @text into a string (caller frees); *rc gets its return. */
static char *to_json(const char *text, int *rc)
{
	struct vmi_doc d;
	char err[128], *out = NULL;
	size_t len = 0;
	FILE *f;

	if (vmi_parse(text, strlen(text), &d, err, sizeof(err))) {
		fprintf(stderr, "# parse: %s\n", err);
		return strdup("");
	}
	f = open_memstream(&out, &len);
	*rc = json_doc(f, &d);
	fclose(f);
	vmi_doc_free(&d);
	return out;
}

static char *str_json(const char *s, size_t n)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	json_str_n(f, s, n);
	fclose(f);
	return out;
}

/* Every header key, as module/header.c prints it (one of each kind of value). */
#define FULL_HDR "pid: 42\ncomm: a\"b\\\\c\td\001\377\303\251\x7f\nkernel: 6.12.0-1\nformat: 1\n" \
	"start_code: 0x401000\nend_code: 0x4a3651\nstart_data: 0x4d4000\nend_data: 0x4d7000\n" \
	"start_brk: 0x4d6000\nbrk: 0x4f8000\nheap_size: 139264 bytes\nbrk_offset: -4096 bytes\n" \
	"heap_vmas: 1\nheap_layout: merged\nstart_stack: 0x7ffc0f452000\narg_start: 0x7ffc0f453000\n" \
	"arg_end: 0x7ffc0f453010\nenv_start: 0x7ffc0f453010\nenv_end: 0x7ffc0f453fe0\n" \
	"mmap_base: 0x7f3886000000\ntask_size: 0x7ffffffff000\ntotal_vm: 553 pages\n" \
	"locked_vm: 0 pages\npinned_vm: 0 pages\ndata_vm: 300 pages\nexec_vm: 170 pages\n" \
	"stack_vm: 33 pages\nmap_count: 11\nthreads: 3\nhiwater_rss: 250 pages\n" \
	"hiwater_vm: 560 pages\nrss_anon: 246 pages\nrss_file: 4 pages\nrss_shmem: 0 pages\n" \
	"swap_ents: 18446744073709551615 pages\npgtables_bytes: 45056 bytes\npte_tables: 7\n" \
	"pmd_tables: 3\npud_tables: 2\np4d_tables: 1\nthp_deposited_tables: 0\npaging_levels: 5\n\n"

/* The ABI's keys and types (vmainfo_abi.h), as the JSON checks below need them. */
static const struct vmainfo_key_def abi_keys[] = { VMAINFO_HDR_KEYS(VMAINFO_KEY_INIT) };
#define NKEYS (int)(sizeof(abi_keys) / sizeof(abi_keys[0]))

/* JSON output: every key typed by its definition, never by the look of its value. */
static void json_tests(int nkeys, char **keys)
{
	const char *vma = "00400000-00401000 r-xp 00001000 08:01 1234 rd,ex text 1 0 0 /bin/x\n";
	char text[4096], *j;
	int rc = 0, i;

	snprintf(text, sizeof(text), "%s%s", FULL_HDR, vma);
	j = to_json(text, &rc);
	ok(rc == 0, "json: a full header converts without complaint");
	ok(strstr(j, "\"brk_offset\":-4096,") != NULL, "json: a negative brk_offset is a negative number");
	ok(strstr(j, "\"heap_size\":139264,") && strstr(j, "\"pgtables_bytes\":45056,"),
	   "json: ' bytes' values are numbers in bytes");
	ok(strstr(j, "\"total_vm\":553,") && strstr(j, "\"locked_vm\":0,") &&
	   strstr(j, "\"swap_ents\":18446744073709551615,"),
	   "json: ' pages' values are numbers in pages (up to 2^64-1)");
	ok(strstr(j, "\"pid\":42,") && strstr(j, "\"format\":1,") && strstr(j, "\"threads\":3,") &&
	   strstr(j, "\"paging_levels\":5}"), "json: counts without a unit are numbers");
	ok(strstr(j, "\"brk\":\"0x4f8000\",") && strstr(j, "\"task_size\":\"0x7ffffffff000\","),
	   "json: addresses are \"0x...\" strings");
	ok(strstr(j, "\"kernel\":\"6.12.0-1\",") && strstr(j, "\"heap_layout\":\"merged\","),
	   "json: kernel and heap_layout are strings");
	ok(strstr(j, "\"comm\":\"a\\\"b\\\\\\\\c\\u0009d\\u0001\\\\377\303\251\\u007f\",") != NULL,
	   "json: comm escapes quote, backslash, control bytes, a non-UTF-8 byte, keeps UTF-8");
	free(j);

	/* a value that is not of its key's type is null and an error, never retyped */
	{
		static const char *const bad[][2] = {
			{ "total_vm: 12\n", "\"total_vm\":null" },
			{ "total_vm: 12 bytes\n", "\"total_vm\":null" },
			{ "heap_size: -5 bytes\n", "\"heap_size\":null" },
			{ "brk_offset: 12 pages\n", "\"brk_offset\":null" },
			{ "pid: 0x2a\n", "\"pid\":null" },
			{ "pid: 18446744073709551616\n", "\"pid\":null" },
			{ "brk_offset: -9223372036854775809 bytes\n", "\"brk_offset\":null" },
			{ "brk: 4096\n", "\"brk\":null" },
			{ "brk: 0x\n", "\"brk\":null" },
			{ "brk: 0x12g4\n", "\"brk\":null" },
		};

		for (i = 0; i < (int)(sizeof(bad) / sizeof(bad[0])); i++) {
			char name[128];

			snprintf(text, sizeof(text), "pid: 1\ncomm: x\nkernel: 6.1.0\nformat: 1\n%s\n%s",
				 bad[i][0], vma);
			rc = 0;
			j = to_json(text, &rc);
			snprintf(name, sizeof(name), "json: '%.*s' is null and an error",
				 (int)strlen(bad[i][0]) - 1, bad[i][0]);
			ok(rc == -1 && strstr(j, bad[i][1]) != NULL, name);
			free(j);
		}
	}
	snprintf(text, sizeof(text), "pid: 1\ncomm: x\nkernel: 6.1.0\nformat: 1\n"
		 "brk_offset: -9223372036854775808 bytes\nfuture_key: 7 pages\n\n%s", vma);
	rc = 0;
	j = to_json(text, &rc);
	ok(rc == 0 && strstr(j, "\"brk_offset\":-9223372036854775808,"),
	   "json: the most negative long is a number");
	ok(strstr(j, "\"future_key\":\"7 pages\"") != NULL,
	   "json: a key not in the table is a string, as printed");
	free(j);
	j = to_json("pid: 2\ncomm: kthreadd\nkernel: 6.1.0\nformat: 1\nmm: none (kernel thread)\n", &rc);
	ok(rc == 0 && strstr(j, "\"mm\":{\"pid\":2,\"comm\":\"kthreadd\",\"kernel\":\"6.1.0\","
			       "\"format\":1,\"mm\":\"none (kernel thread)\"}"),
	   "json: kernel thread header");
	free(j);

	/* strings: invalid UTF-8 byte by byte, valid sequences whole */
	{
		static const struct { const char *in; size_t n; const char *out; } s8[] = {
			{ "\xc0\x80", 2, "\"\\\\300\\\\200\"" },		/* overlong NUL */
			{ "\xe2\x82", 2, "\"\\\\342\\\\202\"" },		/* truncated */
			{ "\xed\xa0\x80", 3, "\"\\\\355\\\\240\\\\200\"" },	/* surrogate */
			{ "\xf4\x90\x80\x80", 4, "\"\\\\364\\\\220\\\\200\\\\200\"" }, /* > U+10FFFF */
			{ "\xf0\x9f\x98\x80!", 5, "\"\xf0\x9f\x98\x80!\"" },	/* U+1F600 */
			{ "a\0b", 3, "\"a\\u0000b\"" },
		};

		for (i = 0; i < (int)(sizeof(s8) / sizeof(s8[0])); i++) {
			char name[64];

			j = str_json(s8[i].in, s8[i].n);
			snprintf(name, sizeof(name), "json: string case %d is %s", i, s8[i].out);
			ok(!strcmp(j, s8[i].out), name);
			free(j);
		}
	}

	/*
	 * Every key of the ABI table: in the hand-written full header above, and
	 * its JSON of the kind its type calls for (a string or a number).
	 */
	snprintf(text, sizeof(text), "%s%s", FULL_HDR, vma);
	j = to_json(text, &rc);
	for (i = 0; i < NKEYS; i++) {
		char line[64], pat[64], name[128];
		const char *at;
		bool str = abi_keys[i].type == VMAINFO_V_WORD || abi_keys[i].type == VMAINFO_V_HEX;

		snprintf(line, sizeof(line), "\n%s: ", abi_keys[i].name);
		snprintf(pat, sizeof(pat), "\"%s\":", abi_keys[i].name);
		at = strstr(j, pat);
		snprintf(name, sizeof(name), "json: ABI key %s is a JSON %s",
			 abi_keys[i].name, str ? "string" : "number");
		if (!strcmp(abi_keys[i].name, "mm"))	/* only a kernel thread's, tested above */
			continue;
		ok(strstr("\n" FULL_HDR, line) && at &&
		   (str ? at[strlen(pat)] == '"' : strchr("-0123456789", at[strlen(pat)]) != NULL),
		   name);
	}
	free(j);

	/* the keys module/header.c prints (test-parse.sh greps them): exactly the table's */
	for (i = 0; i < NKEYS; i++) {
		char name[96];
		int k, found = 0;

		for (k = 0; k < nkeys; k++)
			found += !strcmp(keys[k], abi_keys[i].name);
		snprintf(name, sizeof(name), "abi: header.c prints key %s once", abi_keys[i].name);
		ok(found == 1, name);
	}
	ok(nkeys == NKEYS, "abi: header.c prints no key the table lacks");
}

int main(int argc, char **argv)
{
	struct vmi_doc d;
	char err[128];
	const char *t;
	char *big;
	size_t i;

	t = HDR "00400000-00401000 r-xp 00001000 08:01 1234 rd,ex,mr text 1 0 0 /usr/bin/my prog\n"
	    "00401000-00402000 rw-p 00000000 00:00 0 rd,wr bss 0 0 0\n"
	    "7f0000000000-7f0000001000 r--s 00000000 00:05 77 rd,sh,mr,ms file-shared 1 0 0 /tmp/x (deleted)\n";
	ok(!vmi_parse(t, strlen(t), &d, err, sizeof(err)), "a well-formed text parses");
	ok(d.nvmas == 3 && d.nhdr == 7, "three VMAs, seven header keys");
	ok(!strcmp(d.vmas[0].path, "/usr/bin/my prog"), "path with a space is kept whole");
	ok(!strcmp(d.vmas[1].path, ""), "anonymous VMA has an empty path");
	ok(!strcmp(d.vmas[2].path, "/tmp/x (deleted)"), "' (deleted)' stays part of the path");
	ok(d.vmas[0].pgoff == 0x1000 && d.vmas[0].dev_major == 8 && d.vmas[0].inode == 1234,
	   "offset, device and inode");
	ok(!strcmp(vmi_hdr(&d, "comm"), "a b"), "header value with a space");
	{
		unsigned long v;

		ok(vmi_hdr_ul(&d, "total_vm", &v) && v == 12, "number with a unit word");
		ok(vmi_hdr_ul(&d, "brk", &v) && v == 0x3000, "hex header value");
	}
	ok(!d.truncated && !d.kthread, "not truncated, not a kernel thread");
	vmi_doc_free(&d);

	t = HDR "00400000-00401000 r-xp 00001000 08:01 1234 rd text 1 0 0 /bin/x\n0040";
	ok(!vmi_parse(t, strlen(t), &d, err, sizeof(err)) && d.truncated && d.nvmas == 1,
	   "truncated input keeps the whole lines and says so");
	vmi_doc_free(&d);

	t = "pid: 2\ncomm: kthreadd\nkernel: 6.1.0\nformat: 1\nmm: none (kernel thread)\n";
	ok(!vmi_parse(t, strlen(t), &d, err, sizeof(err)) && d.kthread && !d.nvmas,
	   "kernel thread form");
	vmi_doc_free(&d);

	t = HDR "00401000-00400000 rw-p 00000000 00:00 0 rd bss 0 0 0\n";
	ok(vmi_parse(t, strlen(t), &d, err, sizeof(err)), "start >= end is rejected");
	t = HDR "00400000-00401000 rwzp 00000000 00:00 0 rd bss 0 0 0\n";
	ok(vmi_parse(t, strlen(t), &d, err, sizeof(err)), "bad perms are rejected");
	t = HDR "00400000-00401000 rw-p 00000000 00:00 0 rd bss 0 0\n";
	ok(vmi_parse(t, strlen(t), &d, err, sizeof(err)), "missing count column is rejected");
	t = HDR "00400000-00401000 rw-p 00000000 00:00 99999999999999999999999 rd bss 0 0 0\n";
	ok(vmi_parse(t, strlen(t), &d, err, sizeof(err)), "overflowing inode is rejected");
	t = HDR "00400000-00401000 rw-p 00000000 00:00 0 rd bss 0 0 0\n\n\n";
	ok(!vmi_parse(t, strlen(t), &d, err, sizeof(err)) && d.nvmas == 1 && !d.truncated,
	   "blank lines at the end (a saved text edited by hand) are accepted");
	vmi_doc_free(&d);
	t = HDR "00400000-00401000 rw-p 00000000 00:00 0 rd bss 0 0 0\n\n"
	    "00401000-00402000 rw-p 00000000 00:00 0 rd bss 0 0 0\n";
	ok(vmi_parse(t, strlen(t), &d, err, sizeof(err)), "a blank line between VMA lines is rejected");
	t = "garbage\n";
	ok(vmi_parse(t, strlen(t), &d, err, sizeof(err)), "garbage is rejected");
	ok(vmi_parse("", 0, &d, err, sizeof(err)), "empty input is rejected");

	/* a 1 MiB path */
	big = malloc(2 << 20);
	i = (size_t)sprintf(big, HDR "00400000-00401000 r--p 00000000 00:00 1 rd file-private 0 0 0 /");
	memset(big + i, 'a', 1 << 20);
	i += 1 << 20;
	big[i++] = '\n';
	ok(!vmi_parse(big, i, &d, err, sizeof(err)) && strlen(d.vmas[0].path) == (1 << 20) + 1,
	   "a very long line (1 MiB path)");
	vmi_doc_free(&d);
	free(big);
	{
		struct pm_doc pm;

		t = "vma 7f0000000000-7f0000200000 rw-p anon-private\n"
		    "7f0000000000-7f0000001000 1 present dirty,young pfn:0x12\n"
		    "7f0000001000-7f0000200000 511 none -\n"
		    "vma 7f0000200000-7f0000400000 r--s file-shared\n"
		    "7f0000200000-7f0000400000 512 huge young\n";
		ok(!pm_parse(t, strlen(t), &pm) && pm.nvmas == 2 && pm.vmas[0].nruns == 2 &&
		   pm.vmas[1].runs[0].state == PM_HUGE && pm.vmas[0].runs[1].pages == 511 &&
		   !strcmp(pm.vmas[1].kind, "file-shared") && !strcmp(pm.vmas[0].runs[0].flags, "dirty,young"),
		   "page map: VMAs, runs, states, flags, pfn column");
		pm_free(&pm);
		t = "7f0000000000-7f0000001000 1 present -\n";
		ok(pm_parse(t, strlen(t), &pm), "page map: a run before any VMA is rejected");
		t = "vma 7f0000000000-7f0000200000 rw-p anon-private\n7f0000001000-7f0000000000 1 present -\n";
		ok(pm_parse(t, strlen(t), &pm), "page map: a reversed run is rejected");
		t = "vma 7f0000000000-7f0000200000 rw-p anon-private\n7f0000000000-7f0000001000 1 weird -\n";
		ok(pm_parse(t, strlen(t), &pm), "page map: an unknown state is rejected");
	}
	json_tests(argc - 1, argv + 1);
	return failed != 0;
}
