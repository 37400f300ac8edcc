// SPDX-License-Identifier: GPL-2.0
/*
 * forkburst N CPU: make N processes as fast as possible (vfork, each child
 * exits at once and stays a zombie), then reap them all.  Before that, pin
 * this process to CPU and make it SCHED_FIFO, so that nothing of normal
 * priority runs on that CPU until the burst is over (children inherit both).
 * With the unbound workqueues also confined to CPU (and RT throttling off),
 * vmainfo's worker cannot drain its FIFO during the burst: the FIFO overflows.
 * Prints "forks N".
 */
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>
#include "wl.h"

/* One child; it runs (and exits) before vfork() returns here. */
static __attribute__((noinline)) pid_t one(void)
{
	pid_t p = vfork();

	if (p == 0)
		_exit(0);
	return p;
}

static void burst(long n)
{
	for (long i = 0; i < n; i++)
		if (one() < 0)
			die("vfork");
}

int main(int argc, char **argv)
{
	struct sched_param sp = { .sched_priority = 10 };
	long n, reaped = 0;
	cpu_set_t set;

	if (argc < 3)
		die("usage: forkburst N CPU");
	n = strtol(argv[1], NULL, 0);
	CPU_ZERO(&set);
	CPU_SET(atoi(argv[2]), &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
	if (sched_setscheduler(0, SCHED_FIFO, &sp))
		die("sched_setscheduler");
	burst(n);
	while (waitpid(-1, NULL, 0) > 0)
		reaped++;
	if (reaped != n)
		die("reaped %ld of %ld", reaped, n);
	printf("forks %ld\n", n);
	return 0;
}
