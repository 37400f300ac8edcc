// SPDX-License-Identifier: GPL-2.0
/*
 * forklag lag N     fork N children; each measures how long after its fork
 *                   /proc/vmainfo/<its pid> opens and shows its own pid; prints
 *                   median, p99 and max (us).  Exits 1 (after the first such
 *                   child) if a child did not find its entry within 10 s.
 * forklag rate N    time N fork+exit+wait cycles; prints cycles per second
 */
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "wl.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	long n, i;
	int st;

	if (argc != 3)
		die("usage: forklag lag|rate N");
	n = atol(argv[2]);
	if (!strcmp(argv[1], "lag")) {
		uint64_t *lag = mmap(NULL, (size_t)n * 8, PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		if (lag == MAP_FAILED)
			die("mmap");
		for (i = 0; i < n; i++) {
			uint64_t t0 = now_ns();
			pid_t p = fork();

			if (p < 0)
				die("fork");
			if (!p) {
				char path[64], want[32], buf[32];

				/*
				 * The entry of this process, not a dead one of the
				 * same number: it opens and starts with our pid.
				 */
				snprintf(path, sizeof(path), "/proc/vmainfo/%d", getpid());
				snprintf(want, sizeof(want), "pid: %d\n", getpid());
				for (;;) {
					int fd = open(path, O_RDONLY);
					ssize_t r = 0;

					if (fd >= 0) {
						r = read(fd, buf, strlen(want));
						close(fd);
					}
					if (r == (ssize_t)strlen(want) && !memcmp(buf, want, (size_t)r))
						break;
					if (now_ns() - t0 > 10000000000ull)
						_exit(1);
				}
				lag[i] = now_ns() - t0;
				_exit(0);
			}
			if (waitpid(p, &st, 0) != p)
				die("wait");
			if (!WIFEXITED(st) || WEXITSTATUS(st)) {
				printf("forks=%ld child %d (fork %ld) did not find its entry in 10 s\n",
				       i + 1, p, i);
				return 1;
			}
		}
		qsort(lag, (size_t)n, 8, cmp);
		printf("forks=%ld median_us=%llu p99_us=%llu max_us=%llu\n", n,
		       (unsigned long long)lag[n / 2] / 1000,
		       (unsigned long long)lag[n * 99 / 100] / 1000,
		       (unsigned long long)lag[n - 1] / 1000);
		return 0;
	}
	if (!strcmp(argv[1], "rate")) {
		uint64_t t0 = now_ns();

		for (i = 0; i < n; i++) {
			pid_t p = fork();

			if (p < 0)
				die("fork");
			if (!p)
				_exit(0);
			waitpid(p, NULL, 0);
		}
		printf("%.0f\n", n / ((now_ns() - t0) / 1e9));
		return 0;
	}
	die("usage: forklag lag|rate N");
}
