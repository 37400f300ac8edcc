// SPDX-License-Identifier: GPL-2.0
/*
 * storm SECONDS THREADS: threads reshaping one address space as fast as they
 * can (mmap, munmap, mprotect, madvise, brk), plus forks that exit at once.
 * Prints how many operations and forks it did.
 */
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "wl.h"

static time_t end;
static long ops[64];

static void *storm(void *arg)
{
	long id = (long)arg, n = 0;
	unsigned int seed = (unsigned int)id;

	while (time(NULL) < end) {
		size_t len = PAGE * (1 + rand_r(&seed) % 64);
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			continue;
		for (size_t i = 0; i < len; i += PAGE * 3)
			p[i] = 1;
		mprotect(p, len / 2 & ~(PAGE - 1), PROT_READ);
		madvise(p, len, (n & 1) ? MADV_DONTNEED : MADV_NORMAL);
		if (id == 0) {
			void *b = sbrk(PAGE * 4);

			if (b != (void *)-1) {
				*(char *)b = 1;
				sbrk(-(intptr_t)(PAGE * 4));
			}
		}
		munmap(p, len);
		n += 5;
	}
	ops[id] = n;
	return NULL;
}

int main(int argc, char **argv)
{
	long secs = argc > 1 ? atol(argv[1]) : 10, nt = argc > 2 ? atol(argv[2]) : 4, forks = 0, total = 0;
	pthread_t t[64];

	if (nt < 1 || nt > 64)
		die("threads 1..64");
	end = time(NULL) + secs;
	for (long i = 0; i < nt; i++)
		pthread_create(&t[i], NULL, storm, (void *)i);
	while (time(NULL) < end) {
		pid_t c = fork();

		if (c == 0)
			_exit(0);
		if (c > 0) {
			waitpid(c, NULL, 0);
			forks++;
		}
	}
	for (long i = 0; i < nt; i++) {
		pthread_join(t[i], NULL);
		total += ops[i];
	}
	printf("ops=%ld forks=%ld\n", total, forks);
	return 0;
}
