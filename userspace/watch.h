/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* vmainfo watch: the event shared by watch.bpf.c and watch.c. */
#ifndef VMAINFO_WATCH_H
#define VMAINFO_WATCH_H

/* Threads in a watched syscall at once (the BPF side's in-flight map). */
#define WATCH_MAX_INFLIGHT	4096

enum watch_kind {
	WK_BRK,
	WK_MMAP,
	WK_MUNMAP,
	WK_MREMAP,
	WK_MPROTECT,
	WK_MADVISE,
	WK_NR
};

struct watch_event {
	unsigned long long ts;		/* CLOCK_MONOTONIC ns at syscall exit */
	unsigned long long dur;		/* ns in the syscall */
	unsigned int tgid, tid;
	unsigned int kind;		/* enum watch_kind */
	unsigned int pad;
	unsigned long long args[6];
	long long ret;
};

#ifndef __bpf__
/* watch.c: vmainfo watch PID | -- CMD */
int watch_main(int argc, char **argv);
#endif

#endif
