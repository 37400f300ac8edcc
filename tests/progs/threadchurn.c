// SPDX-License-Identifier: GPL-2.0
/*
 * threadchurn N [BATCH]: create N short-lived threads (each exits at once),
 * at most BATCH (default 16) alive at a time; all are joined.  Prints
 * "threads N".  Exit 0 when every create and join worked.
 */
#include <pthread.h>
#include "wl.h"

static void *nothing(void *arg)
{
	return arg;
}

int main(int argc, char **argv)
{
	long n, batch = 16, done = 0, i, k;
	pthread_t th[256];

	if (argc < 2)
		die("usage: threadchurn N [BATCH]");
	n = strtol(argv[1], NULL, 0);
	if (argc > 2)
		batch = strtol(argv[2], NULL, 0);
	if (n <= 0 || batch <= 0 || batch > 256)
		die("bad arguments");
	while (done < n) {
		k = n - done < batch ? n - done : batch;
		for (i = 0; i < k; i++) {
			errno = pthread_create(&th[i], NULL, nothing, NULL);
			if (errno)
				die("pthread_create");
		}
		for (i = 0; i < k; i++) {
			errno = pthread_join(th[i], NULL);
			if (errno)
				die("pthread_join");
		}
		done += k;
	}
	printf("threads %ld\n", done);
	return 0;
}
