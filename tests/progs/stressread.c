// SPDX-License-Identifier: GPL-2.0
/*
 * stressread SECONDS: read every /proc/vmainfo entry and the debugfs files in
 * a loop while processes come and go and the module is reloaded.  Every step
 * must succeed or fail with an errno documented for it:
 *   /proc/vmainfo/<pid> open: ENOENT (entry or module gone), ESRCH (exited);
 *   its read: EIO (module unloaded, or pid reused, under the open file);
 *   debugfs open: ENOENT (module gone), ENXIO (opened while it unloads);
 *   debugfs write: ESRCH (process gone), ENODATA (kernel thread, page map and
 *   counters only); debugfs read: nothing (an open debugfs file keeps the
 *   module, so EIO cannot happen).
 * At least one read of a /proc entry and one of each debugfs file must give
 * data (each pass reads each file once for this process; a file still without
 * data at the end is retried for up to 60 s: "late" counts those tries).
 * Prints counts; exits 1 otherwise.
 *
 * stressread -x CMD [ARGS]: run CMD (rmmod) holding UNLOAD_LOCK exclusively.
 * The readers open debugfs files holding it shared.  This works around a
 * kernel race, not one of ours: delete_module() drops the last module
 * reference (try_release_module_ref()) before it sets MODULE_STATE_GOING,
 * and a debugfs open in between finds try_module_get() failing on a module
 * that still looks live, so debugfs's open proxy (full_proxy_open(),
 * open_proxy_open() in fs/debugfs/file.c, 6.1 and 6.12) prints "debugfs
 * file owner did not clean up at exit" with WARN(), which panics a guest
 * booted with panic_on_warn.  Every module with debugfs files shares it.
 */
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "wl.h"

static long ok_reads, proc_ok, dbg_ok[4], errs[256], bad;

#define UNLOAD_LOCK "/tmp/vmainfo-unload.lock"
static int unload_lock = -1;

static void unload_lock_take(int how)
{
	if (unload_lock < 0)
		unload_lock = open(UNLOAD_LOCK, O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
	if (unload_lock < 0 || flock(unload_lock, how))
		die("flock %s", UNLOAD_LOCK);
}

/* -x CMD: run CMD holding the unload lock exclusively; its exit status. */
static int run_exclusive(char **cmd)
{
	int status;
	pid_t pid;

	unload_lock_take(LOCK_EX);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		execvp(cmd[0], cmd);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	flock(unload_lock, LOCK_UN);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

enum step { PROC_OPEN, PROC_READ, DBG_OPEN, DBG_WRITE, DBG_WRITE_MM, DBG_READ };

static void note(int e, enum step step, const char *what)
{
	int okay;

	switch (step) {
	case PROC_OPEN:
		okay = e == ENOENT || e == ESRCH;
		break;
	case PROC_READ:
		okay = e == EIO;
		break;
	case DBG_OPEN:
		okay = e == ENOENT || e == ENXIO;
		break;
	case DBG_WRITE:
		okay = e == ESRCH;
		break;
	case DBG_WRITE_MM:
		okay = e == ESRCH || e == ENODATA;
		break;
	default:
		okay = 0;
	}
	if (e > 0 && e < 256)
		errs[e]++;
	if (okay)
		return;
	bad++;
	if (bad <= 5)
		fprintf(stderr, "undocumented errno %d (%s) at step %d of %s\n", e, strerror(e),
			(int)step, what);
}

/* dbg: -1 for a /proc file, else the index of the debugfs file; mm: ENODATA allowed */
static void read_path(const char *path, const char *sel, int dbg, int mm)
{
	static char buf[65536];
	ssize_t r;
	long got = 0;
	int fd;

	if (dbg >= 0)
		unload_lock_take(LOCK_SH);	/* see the top of the file */
	fd = open(path, sel ? O_RDWR : O_RDONLY);
	if (dbg >= 0)
		flock(unload_lock, LOCK_UN);

	if (fd < 0) {
		note(errno, dbg < 0 ? PROC_OPEN : DBG_OPEN, path);
		return;
	}
	if (sel && write(fd, sel, strlen(sel)) < 0) {
		note(errno, mm ? DBG_WRITE_MM : DBG_WRITE, path);
		close(fd);
		return;
	}
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		got += r;
	if (r < 0) {
		note(errno, dbg < 0 ? PROC_READ : DBG_READ, path);
	} else {
		ok_reads++;
		if (got && dbg < 0)
			proc_ok++;
		else if (got)
			dbg_ok[dbg]++;
	}
	close(fd);
}

/* no read with data yet from /proc/vmainfo or one of the debugfs files */
static int uncovered(void)
{
	return !proc_ok || !dbg_ok[0] || !dbg_ok[1] || !dbg_ok[2] || !dbg_ok[3];
}

/*
 * One read of each kind of file, the per-process ones of this process (it has
 * an mm: a kernel thread's page map is ENODATA), so that every pass covers
 * each file however few entries it gets through (the debug kernel).
 */
static void read_each(const char *self)
{
	read_path("/sys/kernel/debug/vmainfo/stats", NULL, 3, 0);
	read_path("/proc/vmainfo/self", NULL, -1, 0);
	read_path("/sys/kernel/debug/vmainfo/pagemap", self, 0, 1);
	read_path("/sys/kernel/debug/vmainfo/counters", self, 1, 1);
	read_path("/sys/kernel/debug/vmainfo/query", self, 2, 0);
}

int main(int argc, char **argv)
{
	time_t end, grace;
	char self[16];
	long late = 0;

	if (argc > 2 && !strcmp(argv[1], "-x"))
		return run_exclusive(argv + 2);
	end = time(NULL) + (argc > 1 ? atol(argv[1]) : 10);
	snprintf(self, sizeof(self), "%d", (int)getpid());

	while (time(NULL) < end) {
		DIR *d;
		struct dirent *de;

		read_each(self);
		d = opendir("/proc/vmainfo");
		if (!d) {
			note(errno, PROC_OPEN, "/proc/vmainfo");
			usleep(10000);
			continue;
		}
		while ((de = readdir(d)) && time(NULL) < end) {
			char path[300];

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/proc/vmainfo/%s", de->d_name);
			read_path(path, NULL, -1, 0);
			if (de->d_name[0] >= '0' && de->d_name[0] <= '9' && (ok_reads & 7) == 0) {
				read_path("/sys/kernel/debug/vmainfo/pagemap", de->d_name, 0, 1);
				read_path("/sys/kernel/debug/vmainfo/counters", de->d_name, 1, 1);
				read_path("/sys/kernel/debug/vmainfo/query", de->d_name, 2, 0);
			}
		}
		closedir(d);
	}
	/*
	 * A file that never gave data in the run (every try of it met the module
	 * unloaded, on a guest slow enough for a pass or two) is tried again,
	 * once the reloads have ended, for up to 60 s more.
	 */
	grace = time(NULL) + 60;
	while (uncovered() && time(NULL) < grace) {
		read_each(self);
		late++;
		usleep(10000);
	}
	printf("reads=%ld proc=%ld pagemap=%ld counters=%ld query=%ld stats=%ld enoent=%ld esrch=%ld eio=%ld enxio=%ld enodata=%ld undocumented=%ld late=%ld\n",
	       ok_reads, proc_ok, dbg_ok[0], dbg_ok[1], dbg_ok[2], dbg_ok[3], errs[ENOENT],
	       errs[ESRCH], errs[EIO], errs[ENXIO], errs[ENODATA], bad, late);
	if (uncovered()) {
		fprintf(stderr, "undocumented: not one read with data from each of /proc/vmainfo, pagemap, counters, query, stats\n");
		return 1;
	}
	return bad != 0;
}
