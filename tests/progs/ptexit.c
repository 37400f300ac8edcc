// SPDX-License-Identifier: GPL-2.0
/*
 * ptexit SECONDS: threads exit while a tracer keeps them as zombies and
 * /proc/vmainfo reads their process (the header labels thread stacks from
 * the saved user SP of every other thread).
 *
 * A child creates and joins short-lived threads without end.  This process
 * traces it (PTRACE_SEIZE with PTRACE_O_TRACECLONE: every new thread is
 * traced too), so each exiting thread stays on the thread list as a zombie,
 * its kernel stack already freed, until the tracer waits for it; the tracer
 * resumes stopped threads at once but collects the exited ones only every
 * 50 ms or so.  Meanwhile two reader threads read
 * /proc/vmainfo/CHILD in a loop; each read must succeed and show the child.
 * Prints reads=, exits= (threads collected), maxbatch= (most zombies
 * collected at once), maxthreads= (most threads a read's header counted:
 * above 9, the leader and 8 live threads, only with zombies on the list);
 * exits 1 on a failed read or when no read saw a zombie.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "wl.h"

static pid_t child;
static volatile int stop;
static long reads[2], bad, maxthreads;

static void *worker(void *arg)
{
	volatile char buf[256];

	buf[0] = (char)(uintptr_t)arg;	/* use a little stack, then exit */
	return (void *)(uintptr_t)buf[0];
}

static void churn(void)
{
	pthread_t t[8];

	for (;;) {
		for (int i = 0; i < 8; i++)
			if (pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i))
				_exit(3);
		for (int i = 0; i < 8; i++)
			pthread_join(t[i], NULL);
	}
}

static void *reader(void *arg)
{
	long id = (long)(intptr_t)arg;
	char path[64], want[32], buf[65536];

	snprintf(path, sizeof(path), "/proc/vmainfo/%d", child);
	snprintf(want, sizeof(want), "pid: %d\n", child);
	while (!stop) {
		int fd = open(path, O_RDONLY);
		ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

		if (n < 0 || strncmp(buf, want, strlen(want)) || !memmem(buf, (size_t)n, "\nthreads: ", 10)) {
			if (!stop && __atomic_fetch_add(&bad, 1, __ATOMIC_RELAXED) < 3)
				fprintf(stderr, "read %s: %s\n", path, n < 0 ? strerror(errno) : "bad text");
		} else {
			long nt;

			buf[n] = 0;
			nt = atol(strstr(buf, "\nthreads: ") + 10);
			reads[id]++;
			/* the leader and 8 live threads at most: more are zombies */
			if (nt > __atomic_load_n(&maxthreads, __ATOMIC_RELAXED))
				__atomic_store_n(&maxthreads, nt, __ATOMIC_RELAXED);
		}
		if (fd >= 0)
			close(fd);
	}
	return NULL;
}

/* Resume a stopped tracee: event stops and our own SIGSTOP/SIGTRAP with no signal. */
static void resume(const siginfo_t *si)
{
	int sig = si->si_status;

	if (si->si_code != CLD_TRAPPED || sig >> 8 || (sig & 0x7f) == SIGTRAP ||
	    (sig & 0x7f) == SIGSTOP)
		sig = 0;
	ptrace(PTRACE_CONT, si->si_pid, 0, sig);
}

int main(int argc, char **argv)
{
	long secs = argc > 1 ? atol(argv[1]) : 10, exits = 0, maxbatch = 0;
	pthread_t r[2];
	time_t end;
	int st;

	child = fork();
	if (child < 0)
		die("fork");
	if (!child) {
		raise(SIGSTOP);	/* until the tracer is attached */
		churn();
	}
	if (waitpid(child, &st, WUNTRACED) != child)
		die("waitpid");
	if (ptrace(PTRACE_SEIZE, child, 0, PTRACE_O_TRACECLONE))
		die("PTRACE_SEIZE");
	kill(child, SIGCONT);
	for (long i = 0; i < 2; i++)
		if (pthread_create(&r[i], NULL, reader, (void *)(intptr_t)i))
			die("pthread_create");
	end = time(NULL) + secs;
	while (time(NULL) < end) {
		long batch = 0;
		siginfo_t si;

		/* stops at once (clone events, new threads), so threads churn fast */
		for (int ms = 0; ms < 50; ms++) {
			for (;;) {
				si.si_pid = 0;
				if (waitid(P_ALL, 0, &si, WSTOPPED | __WALL | WNOHANG) || !si.si_pid)
					break;
				resume(&si);
			}
			usleep(1000);
		}
		/* the exited threads lay as zombies until now */
		for (;;) {
			si.si_pid = 0;
			if (waitid(P_ALL, 0, &si, WEXITED | __WALL | WNOHANG) || !si.si_pid)
				break;
			if (si.si_code == CLD_TRAPPED || si.si_code == CLD_STOPPED) {
				resume(&si);	/* a ptrace stop is reported here too */
				continue;
			}
			if (si.si_pid == child)
				die("the child died (code %d status %d)", si.si_code, si.si_status);
			exits++;
			batch++;
		}
		if (batch > maxbatch)
			maxbatch = batch;
	}
	stop = 1;
	pthread_join(r[0], NULL);
	pthread_join(r[1], NULL);
	kill(child, SIGKILL);
	while (waitpid(-1, &st, __WALL) > 0)
		;
	printf("reads=%ld exits=%ld maxbatch=%ld maxthreads=%ld bad=%ld\n", reads[0] + reads[1],
	       exits, maxbatch, maxthreads, bad);
	/* reads must have seen zombie threads (more than the leader and 8 live ones) */
	return bad || !reads[0] || !reads[1] || exits < 100 || maxthreads <= 9;
}
