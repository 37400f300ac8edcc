// SPDX-License-Identifier: GPL-2.0
/*
 * stressread SECONDS: read every /proc/vmainfo entry and the debugfs files in
 * a loop while processes come and go and the module is reloaded.  Every read
 * must give data or one of the documented errnos (ENOENT: entry or module
 * gone; ESRCH: process gone; EIO: module unloaded under an open /proc file;
 * ENXIO: debugfs file opened while the module is being unloaded; ENODATA:
 * kernel thread selected in a page map).  Prints counts; exits 1 on anything
 * else.
 */
#include <dirent.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include "wl.h"

static long ok_reads, errs[256], bad;

static void note(int e, const char *what)
{
	if (e == ENOENT || e == ESRCH || e == EIO || e == ENXIO || e == ENODATA) {
		errs[e]++;
		return;
	}
	bad++;
	if (e > 0 && e < 256)
		errs[e]++;
	if (bad <= 5)
		fprintf(stderr, "undocumented errno %d (%s) from %s\n", e, strerror(e), what);
}

static void read_path(const char *path, const char *sel)
{
	static char buf[65536];
	int fd = open(path, sel ? O_RDWR : O_RDONLY);
	ssize_t r;

	if (fd < 0) {
		note(errno, path);
		return;
	}
	if (sel && write(fd, sel, strlen(sel)) < 0) {
		note(errno, path);
		close(fd);
		return;
	}
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		;
	if (r < 0)
		note(errno, path);
	else
		ok_reads++;
	close(fd);
}

int main(int argc, char **argv)
{
	time_t end = time(NULL) + (argc > 1 ? atol(argv[1]) : 10);

	while (time(NULL) < end) {
		DIR *d = opendir("/proc/vmainfo");
		struct dirent *de;

		if (!d) {
			note(errno, "/proc/vmainfo");
			usleep(10000);
			continue;
		}
		while ((de = readdir(d)) && time(NULL) < end) {
			char path[300];

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/proc/vmainfo/%s", de->d_name);
			read_path(path, NULL);
			if (de->d_name[0] >= '0' && de->d_name[0] <= '9' && (ok_reads & 7) == 0) {
				read_path("/sys/kernel/debug/vmainfo/pagemap", de->d_name);
				read_path("/sys/kernel/debug/vmainfo/counters", de->d_name);
				read_path("/sys/kernel/debug/vmainfo/query", de->d_name);
			}
		}
		closedir(d);
		read_path("/sys/kernel/debug/vmainfo/stats", NULL);
	}
	printf("reads=%ld enoent=%ld esrch=%ld eio=%ld enxio=%ld enodata=%ld undocumented=%ld\n",
	       ok_reads, errs[ENOENT], errs[ESRCH], errs[EIO], errs[ENXIO], errs[ENODATA], bad);
	return bad != 0;
}
