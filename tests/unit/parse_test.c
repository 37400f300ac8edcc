// SPDX-License-Identifier: GPL-2.0
/* Host unit tests of the CLI's parser of the /proc/vmainfo text (TAP out). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static int n, failed;

static void ok(int cond, const char *name)
{
	printf("%sok %d - parser: %s\n", cond ? "" : "not ", ++n, name);
	if (!cond)
		failed++;
}

#define HDR "pid: 42\ncomm: a b\nkernel: 6.12.0\nformat: 1\nstart_brk: 0x1000\nbrk: 0x3000\n" \
	"total_vm: 12 pages\n\n"

int main(void)
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
	return failed != 0;
}
