// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo watch: brk, mmap, munmap, mremap, mprotect and madvise of one
 * process as they happen, from a libbpf skeleton (watch.bpf.c).
 *
 *   vmainfo watch [--json] [--faults] PID
 *   vmainfo watch [--json] [--faults] -- CMD [ARGS]
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "jsonout.h"
#include "util.h"
#include "watch.h"
#include "watch.skel.h"

static const char watch_usage[] =
"Usage: vmainfo watch [--json] [--faults] PID\n"
"       vmainfo watch [--json] [--faults] -- CMD [ARGS...]\n"
"Trace brk, mmap, munmap, mremap, mprotect and madvise of one process as they\n"
"happen (eBPF, needs root), say what each call did to the address space, and\n"
"print a summary when the process exits or on Ctrl-C.\n"
"\n"
"  -j, --json     one JSON object per event, then one with the summary\n"
"  -f, --faults   also count first-touch page faults per mapping (demand paging)\n"
"  -v, --verbose  libbpf's messages\n"
"\n"
"Examples:\n"
"  vmainfo watch 1234                 until 1234 exits or Ctrl-C\n"
"  vmainfo watch -- ls -l /           ls from its first instruction\n"
"  vmainfo watch --faults -- python3 -c 'x = bytearray(1 << 24)'\n"
"  vmainfo watch --json -- ./myapp | jq 'select(.call == \"brk\")'\n";

static const char *const kind_names[WK_NR] = {
	"brk", "mmap", "munmap", "mremap", "mprotect", "madvise",
};

static volatile sig_atomic_t exiting;
static bool json, verbose;
static unsigned long long t0;

/* Mappings remembered to name the one a fault hit (oldest kept). */
#define WATCH_MAX_MAPS	4096

/* What the process's address space went through. */
static struct {
	unsigned long long count[WK_NR], failed[WK_NR];
	unsigned long brk_start, brk_cur, brk_high;
	unsigned long long mmap_hist[64];
	struct { unsigned long start, len; } maps[WATCH_MAX_MAPS];
	size_t nmaps;
} st;

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	if (level == LIBBPF_INFO && !verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static void prot_str(unsigned long prot, char *s)
{
	s[0] = prot & PROT_READ ? 'r' : '-';
	s[1] = prot & PROT_WRITE ? 'w' : '-';
	s[2] = prot & PROT_EXEC ? 'x' : '-';
	s[3] = '\0';
}

/* Advice values newer than some libc headers (uapi asm-generic/mman-common.h). */
#ifndef MADV_FREE
#define MADV_FREE		8
#endif
#ifndef MADV_HUGEPAGE
#define MADV_HUGEPAGE		14
#endif
#ifndef MADV_NOHUGEPAGE
#define MADV_NOHUGEPAGE		15
#endif
#ifndef MADV_COLD
#define MADV_COLD		20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT		21
#endif
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ	22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23
#endif

static const char *advice_name(unsigned long a)
{
#define ADVICE(name) case name: return #name
	switch (a) {
	ADVICE(MADV_NORMAL);
	ADVICE(MADV_RANDOM);
	ADVICE(MADV_SEQUENTIAL);
	ADVICE(MADV_WILLNEED);
	ADVICE(MADV_DONTNEED);
	ADVICE(MADV_FREE);
	ADVICE(MADV_HUGEPAGE);
	ADVICE(MADV_NOHUGEPAGE);
	ADVICE(MADV_COLD);
	ADVICE(MADV_PAGEOUT);
	ADVICE(MADV_POPULATE_READ);
	ADVICE(MADV_POPULATE_WRITE);
	default: return "advice";
	}
#undef ADVICE
}

static void remember_map(unsigned long start, unsigned long len)
{
	if (st.nmaps < sizeof(st.maps) / sizeof(st.maps[0])) {
		st.maps[st.nmaps].start = start;
		st.maps[st.nmaps].len = len;
		st.nmaps++;
	}
}

/* Decide what the call meant; update the running state. */
static void meaning(const struct watch_event *e, char *m, size_t n)
{
	const unsigned long long *a = e->args;
	long long r = e->ret;
	bool fail = r < 0 && r >= -4095;
	char h[16], p[4];

	if (fail && e->kind != WK_BRK) {
		st.failed[e->kind]++;
		snprintf(m, n, "failed: %s", strerror((int)-r));
		return;
	}
	switch (e->kind) {
	case WK_BRK:
		if (!st.brk_start)	/* the first break seen */
			st.brk_start = st.brk_cur = st.brk_high = (unsigned long)r;
		if (!a[0]) {
			snprintf(m, n, "query: the heap ends at 0x%llx", (unsigned long long)r);
		} else if ((unsigned long long)r != a[0]) {
			st.failed[WK_BRK]++;
			snprintf(m, n, "refused: the heap stays at 0x%llx", (unsigned long long)r);
		} else if ((unsigned long)r > st.brk_cur) {
			human_size((unsigned long)r - st.brk_cur, h, sizeof(h));
			snprintf(m, n, "heap grew by %lu bytes (%s) to 0x%llx",
				 (unsigned long)r - st.brk_cur, h, (unsigned long long)r);
		} else if ((unsigned long)r < st.brk_cur) {
			human_size(st.brk_cur - (unsigned long)r, h, sizeof(h));
			snprintf(m, n, "heap shrank by %lu bytes (%s) to 0x%llx",
				 st.brk_cur - (unsigned long)r, h, (unsigned long long)r);
		} else {
			snprintf(m, n, "heap unchanged at 0x%llx", (unsigned long long)r);
		}
		st.brk_cur = (unsigned long)r;
		if (st.brk_cur > st.brk_high)
			st.brk_high = st.brk_cur;
		break;
	case WK_MMAP: {
		int b = 0;

		human_size(a[1], h, sizeof(h));
		prot_str(a[2], p);
		while (b < 63 && (1ULL << (b + 1)) <= a[1])
			b++;
		st.mmap_hist[b]++;
		remember_map((unsigned long)r, (unsigned long)a[1]);
		if (a[3] & MAP_ANONYMOUS)
			snprintf(m, n, "new %s anonymous mapping of %llu bytes (%s, %s) at 0x%llx",
				 a[3] & MAP_SHARED ? "shared" : "private", a[1], h, p,
				 (unsigned long long)r);
		else
			snprintf(m, n, "new %s file mapping of %llu bytes (%s, %s) of fd %lld at offset 0x%llx, at 0x%llx",
				 a[3] & MAP_SHARED ? "shared" : "private", a[1], h, p,
				 (long long)(int)a[4], a[5], (unsigned long long)r);
		break;
	}
	case WK_MUNMAP:
		human_size(a[1], h, sizeof(h));
		snprintf(m, n, "mapping removed: %llu bytes (%s) at 0x%llx", a[1], h, a[0]);
		break;
	case WK_MREMAP:
		remember_map((unsigned long)r, (unsigned long)a[2]);
		snprintf(m, n, "mapping at 0x%llx resized from %llu to %llu bytes%s",
			 a[0], a[1], a[2], (unsigned long long)r != a[0] ? ", and moved" : "");
		break;
	case WK_MPROTECT:
		prot_str(a[2], p);
		snprintf(m, n, "protection of %llu bytes at 0x%llx set to %s", a[1], a[0], p);
		break;
	case WK_MADVISE:
		snprintf(m, n, "%s on %llu bytes at 0x%llx", advice_name(a[2]), a[1], a[0]);
		break;
	}
}

static int on_event(void *ctx, void *data, size_t size)
{
	const struct watch_event *e = data;
	char m[256];

	(void)ctx;
	if (size < sizeof(*e) || e->kind >= WK_NR)
		return 0;
	st.count[e->kind]++;
	meaning(e, m, sizeof(m));
	if (json) {
		printf("{\"ts_ns\":%llu,\"tgid\":%u,\"tid\":%u,\"call\":\"%s\",\"args\":[",
		       e->ts - t0, e->tgid, e->tid, kind_names[e->kind]);
		for (int i = 0; i < 6; i++)
			printf("%s\"0x%llx\"", i ? "," : "", e->args[i]);
		printf("],\"ret\":%lld,\"meaning\":", e->ret);
		json_str(stdout, m);
		printf("}\n");
	} else {
		printf("%10.6f %7u %-8s ", (e->ts - t0) / 1e9, e->tid, kind_names[e->kind]);
		switch (e->kind) {
		case WK_BRK:
			printf("(0x%llx)", e->args[0]);
			break;
		case WK_MMAP:
			printf("(0x%llx, %llu, 0x%llx, 0x%llx, %d, 0x%llx)", e->args[0], e->args[1],
			       e->args[2], e->args[3], (int)e->args[4], e->args[5]);
			break;
		case WK_MREMAP:
			printf("(0x%llx, %llu, %llu, 0x%llx)", e->args[0], e->args[1], e->args[2],
			       e->args[3]);
			break;
		default:
			printf("(0x%llx, %llu, %llu)", e->args[0], e->args[1], e->args[2]);
		}
		printf(" = %s%llx  %s\n", e->ret < 0 ? "-0x" : "0x",
		       e->ret < 0 ? (unsigned long long)-e->ret : (unsigned long long)e->ret, m);
	}
	fflush(stdout);
	return 0;
}

static const char *fault_owner(unsigned long page, char *buf, size_t n)
{
	if (st.brk_start && page >= (st.brk_start & ~4095UL) && page < st.brk_high)
		return "heap (brk)";
	for (size_t i = st.nmaps; i-- > 0;)
		if (page >= st.maps[i].start && page < st.maps[i].start + st.maps[i].len) {
			snprintf(buf, n, "mapping 0x%lx (+%lu)", st.maps[i].start, st.maps[i].len);
			return buf;
		}
	return "other (stack, program, libraries)";
}

static void summary(struct watch_bpf *skel, unsigned long long drops, bool faults)
{
	char hw[16];
	int i;

	human_size(st.brk_high - st.brk_start, hw, sizeof(hw));
	if (json) {
		printf("{\"summary\":{");
		for (i = 0; i < WK_NR; i++)
			printf("\"%s\":%llu,", kind_names[i], st.count[i]);
		printf("\"failed\":%llu,\"heap_start\":\"0x%lx\",\"heap_high\":\"0x%lx\","
		       "\"heap_high_water_bytes\":%lu,\"lost_events\":%llu,\"mmap_sizes_log2\":{",
		       st.failed[0] + st.failed[1] + st.failed[2] + st.failed[3] + st.failed[4] +
		       st.failed[5], st.brk_start, st.brk_high, st.brk_high - st.brk_start, drops);
		for (i = 0, hw[0] = 0; i < 64; i++)
			if (st.mmap_hist[i]) {
				printf("%s\"%d\":%llu", hw[0] ? "," : "", i, st.mmap_hist[i]);
				hw[0] = 1;
			}
		printf("}}}\n");
	} else {
		printf("\n--- summary ---\n");
		for (i = 0; i < WK_NR; i++) {
			printf("%-9s %8llu calls", kind_names[i], st.count[i]);
			if (st.failed[i])
				printf(" (%llu failed or refused)", st.failed[i]);
			putchar('\n');
		}
		printf("heap: 0x%lx, high-water mark 0x%lx (%s above its start)\n", st.brk_start,
		       st.brk_high, hw);
		printf("mmap sizes:\n");
		for (i = 0; i < 64; i++) {
			char lo[16], hi[16];

			if (!st.mmap_hist[i])
				continue;
			human_size(1ULL << i, lo, sizeof(lo));
			human_size(1ULL << (i + 1), hi, sizeof(hi));
			printf("  [%6s, %6s) %6llu ", lo, hi, st.mmap_hist[i]);
			for (unsigned long long k = 0; k < st.mmap_hist[i] && k < 50; k++)
				putchar('#');
			putchar('\n');
		}
		printf("lost events: %llu\n", drops);
	}
	if (faults) {
		int fd = bpf_map__fd(skel->maps.faults);
		unsigned long long key, next, cnt, total = 0;
		struct { char name[64]; unsigned long long n; } own[64];
		size_t nown = 0, k;
		void *prev = NULL;
		char buf[64];

		/* Group the faulting pages by the mapping they fell in. */
		while (!bpf_map_get_next_key(fd, prev, &next)) {
			if (!bpf_map_lookup_elem(fd, &next, &cnt)) {
				const char *o = fault_owner(next, buf, sizeof(buf));

				for (k = 0; k < nown && strcmp(own[k].name, o); k++)
					;
				if (k == nown && nown < 64) {
					snprintf(own[nown].name, sizeof(own[0].name), "%s", o);
					own[nown++].n = 0;
				}
				if (k < nown)
					own[k].n++;
				total++;
			}
			key = next;
			prev = &key;
		}
		if (json) {
			printf("{\"first_touch_faults\":{\"pages\":%llu,\"by_mapping\":{", total);
			for (k = 0; k < nown; k++) {
				printf("%s", k ? "," : "");
				json_str(stdout, own[k].name);
				printf(":%llu", own[k].n);
			}
			printf("}}}\n");
		} else {
			printf("first-touch page faults (pages made present on first access): %llu\n",
			       total);
			for (k = 0; k < nown; k++)
				printf("  %8llu pages  %s\n", own[k].n, own[k].name);
		}
	}
	if (drops)
		fprintf(stderr, "vmainfo watch: %llu events were lost (ring buffer full)\n", drops);
}

/* The traced process has exited (a zombie counts as gone). */
static bool gone(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	bool z = false;

	if (kill(pid, 0) && errno == ESRCH)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return true;
	if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')) && p[1] == ' ')
		z = p[2] == 'Z' || p[2] == 'X';
	fclose(f);
	return z;
}

int watch_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { "faults", no_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct watch_bpf *skel = NULL;
	struct ring_buffer *rb = NULL;
	bool faults = false, child = false;
	int c, err, rc = EXIT_FAIL, gate[2] = { -1, -1 };
	unsigned long long drops = 0;
	bool reaped = false;
	struct timespec ts;
	int status = 0;
	pid_t pid = 0;
	__u32 zero = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+jfvh", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'f': faults = true; break;
		case 'v': verbose = true; break;
		case 'h': fputs(watch_usage, stdout); return EXIT_OK;
		default: fputs("Try 'vmainfo watch --help'.\n", stderr); return EXIT_USAGE;
		}
	}
	if (optind < argc && !strcmp(argv[optind - 1], "--")) {
		child = true;
	} else if (optind == argc - 1) {
		char *end;
		long v = strtol(argv[optind], &end, 10);

		if (*end || v <= 0 || v > 0x7fffffff) {
			fprintf(stderr, "vmainfo watch: not a process id: '%s'\n", argv[optind]);
			return EXIT_USAGE;
		}
		pid = (pid_t)v;
		if (kill(pid, 0) && errno == ESRCH) {
			fprintf(stderr, "vmainfo watch: no such process: %d\n", pid);
			return EXIT_NOPROC;
		}
	} else {
		fputs(watch_usage, stderr);
		return EXIT_USAGE;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "vmainfo watch: needs root (CAP_BPF and CAP_PERFMON) to load its eBPF program\n");
		return EXIT_PERM;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		fprintf(stderr, "vmainfo watch: this kernel has no BTF (/sys/kernel/btf/vmlinux); "
			"it needs CONFIG_DEBUG_INFO_BTF\n");
		return EXIT_FAIL;
	}
	libbpf_set_print(libbpf_print);

	if (child) {
		if (pipe(gate))
			return EXIT_FAIL;
		pid = fork();
		if (pid < 0)
			return EXIT_FAIL;
		if (!pid) {
			char go;

			close(gate[1]);
			/* Wait until the tracer is attached: no early event is missed. */
			if (read(gate[0], &go, 1) != 1)
				_exit(126);
			close(gate[0]);
			execvp(argv[optind], argv + optind);
			fprintf(stderr, "vmainfo watch: cannot run %s: %s\n", argv[optind],
				strerror(errno));
			_exit(127);
		}
		close(gate[0]);
	}

	skel = watch_bpf__open();
	if (!skel) {
		fprintf(stderr, "vmainfo watch: cannot open the BPF object\n");
		goto out;
	}
	skel->rodata->targ_tgid = (__u32)pid;
	if (!faults)
		bpf_program__set_autoload(skel->progs.page_fault, false);
	err = watch_bpf__load(skel);
	if (err) {
		fprintf(stderr, "vmainfo watch: cannot load the BPF program: %s%s\n", strerror(-err),
			err == -EPERM ? " (needs CAP_BPF/CAP_PERFMON)" : "");
		rc = err == -EPERM ? EXIT_PERM : EXIT_FAIL;
		goto out;
	}
	/* Time zero before attach: no event can predate it. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t0 = (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
	err = watch_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "vmainfo watch: cannot attach to the syscall tracepoints: %s%s\n",
			strerror(-err), err == -ENOENT ? " (this kernel has no syscall tracepoints: "
			"CONFIG_FTRACE_SYSCALLS, and tracefs must be mounted)" : "");
		goto out;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, NULL, NULL);
	if (!rb) {
		fprintf(stderr, "vmainfo watch: cannot create the ring buffer\n");
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (!json)
		printf("%10s %7s %-8s %s\n", "TIME(s)", "TID", "CALL", "ARGS = RESULT  MEANING");
	if (child) {
		if (write(gate[1], "g", 1) != 1)
			goto out;
		close(gate[1]);
		gate[1] = -1;
	}
	while (!exiting) {
		err = ring_buffer__poll(rb, 100);
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "vmainfo watch: polling the ring buffer: %s\n", strerror(-err));
			goto out;
		}
		if (child) {
			if (waitpid(pid, &status, WNOHANG) == pid) {
				reaped = true;
				break;
			}
		} else if (gone(pid)) {
			break;
		}
	}
	ring_buffer__consume(rb);
	bpf_map_lookup_elem(bpf_map__fd(skel->maps.drops), &zero, &drops);
	summary(skel, drops, faults);
	rc = EXIT_OK;
	/* Like strace: with -- CMD, exit as CMD did. */
	if (child && reaped)
		rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
out:
	if (gate[1] >= 0)
		close(gate[1]);
	if (child && pid > 0 && !reaped && rc == EXIT_FAIL) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	ring_buffer__free(rb);
	watch_bpf__destroy(skel);
	return rc;
}
