// SPDX-License-Identifier: GPL-2.0
/*
 * runas: run a command (or stay as a target) with chosen credentials, and a
 * probe that compares vmainfo's access decisions with the kernel's own.
 *
 *   runas [-b CAPS] [-a CAP] [-s SUID] [-D 0|1] UID GID CMD [ARGS]
 *	Drop to UID/GID (supplementary groups: GID only) and exec CMD, or, when
 *	CMD is "-", stay and sleep: a target whose credentials an exec would
 *	reset (a partial uid change, a dumpable flag).
 *	-b CAPS	  keep only capabilities CAPS (numbers, comma-separated, or
 *		  "none"): every other one leaves the bounding set, and the
 *		  permitted, effective and inheritable sets become CAPS (root
 *		  keeps only CAPS across exec: a container's root)
 *	-a CAP	  keep CAP across the uid change and raise it as ambient, so
 *		  CMD runs with CAP in its permitted and effective sets
 *	-s SUID	  setresuid(UID, UID, SUID): real and effective UID, saved SUID
 *	-D N	  prctl(PR_SET_DUMPABLE, N) last (a uid change resets it)
 *   runas -P
 *	Sleep with the credentials exec gave (a set-user-ID target).
 *   runas -v
 *	Become not dumpable, vfork(), and probe the parent from the child
 *	(which shares its mm), as below.
 *   runas -c PID [PROC]
 *	Probe (PROC: where procfs is mounted, /proc by default), with the caller's credentials, and print one line:
 *	  maps=R vmainfo=R pquery=R dquery=R ppfn=R dpfn=R
 *	maps: open+read of /proc/PID/maps (the oracle); vmainfo:
 *	/proc/vmainfo/PID; pquery: "PID" written to /proc/vmainfo/query, then
 *	read; dquery: the same with the debugfs query ("-" when it cannot be
 *	opened); ppfn: whether /proc/PID/pagemap shows a frame number for the
 *	top page of the stack (YES/NO, or the errno); dpfn: "PID pfn"
 *	written to the debugfs pagemap.  R is OK, EMPTY, an errno name, or
 *	PID=N when the text shows another "pid:" than PID.
 */
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "wl.h"

#define DEBUGFS "/sys/kernel/debug/vmainfo"

static char res[6][48];

static const char *ename(int e)
{
	const char *n = strerrorname_np(e);

	return n ? n : "E?";
}

/* Read @fd to its end; 0, or -errno. The text's "pid:" goes to *pid. */
static int slurp(int fd, long *pid, size_t *len)
{
	static char buf[1 << 16];
	size_t n = 0;
	ssize_t r;
	char *p;

	while ((r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0) {
		n += (size_t)r;
		if (n == sizeof(buf) - 1)
			n = 0;	/* only the head matters */
	}
	if (r < 0)
		return -errno;
	buf[n] = '\0';
	*len = n;
	*pid = -1;
	p = strstr(buf, "pid: ");
	if (p && (p == buf || p[-1] == '\n'))
		*pid = atol(p + 5);
	return 0;
}

/* Fill @out for a file at @path, opened, optionally written @sel, read. */
static void probe(char *out, const char *path, const char *sel, long want, bool check_pid)
{
	long pid = -1;
	size_t len = 0;
	int fd, err;

	fd = open(path, sel ? O_RDWR : O_RDONLY);
	if (fd < 0) {
		snprintf(out, 48, "%s", ename(errno));
		return;
	}
	if (sel && write(fd, sel, strlen(sel)) < 0) {
		snprintf(out, 48, "%s", ename(errno));
		close(fd);
		return;
	}
	err = slurp(fd, &pid, &len);
	close(fd);
	if (err)
		snprintf(out, 48, "%s", ename(-err));
	else if (!len)
		snprintf(out, 48, "EMPTY");
	else if (check_pid && pid != want)
		snprintf(out, 48, "PID=%ld", pid);
	else
		snprintf(out, 48, "OK");
}

/* Does /proc/PID/pagemap give a frame number for the top page of the stack? */
static void probe_ppfn(char *out, long pid, const char *proc)
{
	char path[128], line[512];
	unsigned long start, end = 0;
	uint64_t ent;
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/%ld/maps", proc, pid);
	f = fopen(path, "r");
	if (!f) {
		snprintf(out, 48, "%s", ename(errno));
		return;
	}
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "[stack]") && sscanf(line, "%lx-%lx", &start, &end) == 2)
			break;
	fclose(f);
	if (!end) {
		snprintf(out, 48, "NOSTACK");
		return;
	}
	snprintf(path, sizeof(path), "%s/%ld/pagemap", proc, pid);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		snprintf(out, 48, "%s", ename(errno));
		return;
	}
	if (pread(fd, &ent, sizeof(ent), (off_t)((end - 4096) / 4096 * 8)) != sizeof(ent)) {
		snprintf(out, 48, "%s", ename(errno));
		close(fd);
		return;
	}
	close(fd);
	if (!(ent >> 63))
		snprintf(out, 48, "NOTPRESENT");
	else
		snprintf(out, 48, "%s", ent & ((1ULL << 55) - 1) ? "YES" : "NO");
}

static int probe_main(long pid, const char *proc)
{
	char path[128], sel[32], pfnsel[40];
	int fd;

	snprintf(sel, sizeof(sel), "%ld\n", pid);
	snprintf(pfnsel, sizeof(pfnsel), "%ld pfn\n", pid);
	snprintf(path, sizeof(path), "%s/%ld/maps", proc, pid);
	probe(res[0], path, NULL, pid, false);
	snprintf(path, sizeof(path), "%s/vmainfo/%ld", proc, pid);
	probe(res[1], path, NULL, pid, true);
	snprintf(path, sizeof(path), "%s/vmainfo/query", proc);
	probe(res[2], path, sel, pid, true);
	fd = open(DEBUGFS "/query", O_RDWR);
	if (fd >= 0) {
		close(fd);
		probe(res[3], DEBUGFS "/query", sel, pid, true);
		probe(res[5], DEBUGFS "/pagemap", pfnsel, pid, false);
	} else {
		strcpy(res[3], "-");
		strcpy(res[5], "-");
	}
	probe_ppfn(res[4], pid, proc);
	printf("maps=%s vmainfo=%s pquery=%s dquery=%s ppfn=%s dpfn=%s\n",
	       res[0], res[1], res[2], res[3], res[4], res[5]);
	return 0;
}

static int vfork_probe(void)
{
	pid_t parent = getpid(), child;
	char path[64];
	int i;

	/* Let the module's table catch up with our fork first. */
	snprintf(path, sizeof(path), "/proc/vmainfo/%d", (int)parent);
	for (i = 0; i < 500 && access(path, F_OK); i++)
		usleep(10000);
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
		die("PR_SET_DUMPABLE");
	fflush(stdout);
	child = vfork();
	if (child < 0)
		die("vfork");
	if (!child) {
		/* The parent waits; stdout's buffer is shared, so flush it here. */
		probe_main(parent, "/proc");
		fflush(stdout);
		_exit(0);
	}
	return 0;
}

static int last_cap(void)
{
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "r");
	int n = 40;

	if (f) {
		if (fscanf(f, "%d", &n) != 1)
			n = 40;
		fclose(f);
	}
	return n;
}

/* "none" or "13,21": a bit mask of capabilities */
static uint64_t parse_caps(const char *s)
{
	uint64_t m = 0;
	char *e;

	if (!strcmp(s, "none"))
		return 0;
	for (;;) {
		long c = strtol(s, &e, 10);

		if (e == s || c < 0 || c > 63)
			die("bad capability list '%s'", s);
		m |= 1ULL << c;
		if (!*e)
			return m;
		if (*e != ',')
			die("bad capability list '%s'", s);
		s = e + 1;
	}
}

static void set_caps(uint64_t m)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];
	int i;

	for (i = 0; i < 2; i++) {
		d[i].permitted = d[i].effective = d[i].inheritable = (uint32_t)(m >> (32 * i));
	}
	if (syscall(SYS_capset, &h, d))
		die("capset");
}

int main(int argc, char **argv)
{
	uint64_t keep = 0;
	bool bset = false;
	int amb = -1, dump = -1, c, cap;
	long suid = -1;
	uid_t uid;
	gid_t gid;

	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "-c"))
		return probe_main(atol(argv[2]), argc == 4 ? argv[3] : "/proc");
	if (argc == 2 && !strcmp(argv[1], "-v"))
		return vfork_probe();
	if (argc == 2 && !strcmp(argv[1], "-P")) {
		for (;;)
			pause();
	}
	while ((c = getopt(argc, argv, "+b:a:s:D:")) != -1) {
		switch (c) {
		case 'b': bset = true; keep = parse_caps(optarg); break;
		case 'a': amb = atoi(optarg); break;
		case 's': suid = atol(optarg); break;
		case 'D': dump = atoi(optarg); break;
		default: die("usage: runas [-b CAPS] [-a CAP] [-s SUID] [-D 0|1] UID GID CMD [ARGS]");
		}
	}
	if (argc - optind < 3)
		die("usage: runas [-b CAPS] [-a CAP] [-s SUID] [-D 0|1] UID GID CMD [ARGS]"
		    " | runas -c PID | runas -P");
	uid = (uid_t)atoi(argv[optind]);
	gid = (gid_t)atoi(argv[optind + 1]);
	if (amb >= 0)
		keep |= 1ULL << amb;
	if (bset) {
		for (cap = 0; cap <= last_cap(); cap++)
			if (!(keep >> cap & 1) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0))
				die("drop capability %d from the bounding set", cap);
	}
	if ((bset || amb >= 0) && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		die("PR_SET_KEEPCAPS");
	if (setgroups(1, &gid) || setgid(gid))
		die("drop privileges");
	if (suid >= 0 ? setresuid(uid, uid, (uid_t)suid) : setuid(uid))
		die("drop privileges");
	if (bset || amb >= 0)
		set_caps(keep);
	if (amb >= 0 && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, amb, 0, 0))
		die("raise ambient capability %d", amb);
	if (dump >= 0 && prctl(PR_SET_DUMPABLE, dump, 0, 0, 0))
		die("PR_SET_DUMPABLE");
	if (!strcmp(argv[optind + 2], "-")) {
		for (;;)
			pause();
	}
	execvp(argv[optind + 2], argv + optind + 2);
	die("exec %s", argv[optind + 2]);
}
