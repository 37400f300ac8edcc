// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: show a process's address space from the vmainfo kernel module.
 * See Documentation/vmainfo.1.rst.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "vmainfo_abi.h"

#define VMAINFO_VERSION "0.1"
#define PROC_DIR	"/proc/" VMAINFO_PROC_DIR
#define QUERY_FILE	"/sys/kernel/debug/" VMAINFO_DEBUGFS_DIR "/query"

static const char usage[] =
"Usage: vmainfo [OPTIONS] [VIEW] PID\n"
"Show a process's address space as the kernel holds it: the mm_struct summary,\n"
"the brk heap, every VMA with its kind, flags and resident pages.\n"
"Needs the vmainfo kernel module (insmod vmainfo.ko).\n"
"\n"
"Views:\n"
"  PID            summary line and the VMAs in address order (default)\n"
"  heap PID       the brk heap and the mallocs glibc served with mmap\n"
"  raw PID        the module's text, as /proc/vmainfo/PID has it\n"
"PID may be a number or 'self'.\n"
"\n"
"Options:\n"
"  -j, --json       JSON for scripts (schema in vmainfo(1))\n"
"      --no-color   no colour (also when NO_COLOR is set or not a terminal)\n"
"  -f, --file FILE  read a saved /proc/vmainfo text instead of a live process\n"
"  -h, --help       this text\n"
"  -V, --version    version and the module format this CLI reads\n"
"\n"
"Examples:\n"
"  vmainfo $$                     the VMAs of this shell\n"
"  vmainfo heap $(pidof myapp)    where myapp's malloc()ed memory lives\n"
"  vmainfo --json 1234 | jq '.vmas[] | select(.kind==\"heap\")'\n"
"  cat /proc/vmainfo/1234 > saved; vmainfo -f saved\n"
"\n"
"Exit status: 0 ok, 1 failure, 2 usage, 3 module not loaded, 4 no such process,\n"
"5 permission denied, 6 kernel thread, 7 module format not understood.\n";

static int fail(int code, const char *fmt, const char *arg)
{
	fprintf(stderr, "vmainfo: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return code;
}

static bool parse_pid(const char *s, long *pid)
{
	char *end;

	if (!strcmp(s, "self")) {
		*pid = (long)getpid();
		return true;
	}
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*pid = strtol(s, &end, 10);
	return !errno && !*end && *pid > 0 && *pid <= INT_MAX;
}

static int errno_exit(int err, const char *pidstr)
{
	switch (err) {
	case ESRCH:
	case ENOENT:
		return fail(EXIT_NOPROC, "no such process: %s", pidstr);
	case EACCES:
	case EPERM:
		return fail(EXIT_PERM, "permission denied for process %s "
			    "(another user's or not dumpable; try as root)", pidstr);
	default:
		fprintf(stderr, "vmainfo: reading process %s: %s\n", pidstr, strerror(err));
		return EXIT_FAIL;
	}
}

/* Fetch the text: the race-free debugfs query when we can, else /proc/vmainfo/PID. */
static int fetch(long pid, const char *pidstr, char **buf, size_t *len)
{
	char path[64], num[32];
	struct stat st;
	int fd, err, n;

	if (stat(PROC_DIR, &st))
		return fail(EXIT_NOMODULE, "the vmainfo kernel module is not loaded "
			    "(load it with: sudo insmod %s)", "build/$(uname -r)/vmainfo.ko");
	fd = open(QUERY_FILE, O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		n = snprintf(num, sizeof(num), "%ld\n", pid);
		if (write(fd, num, (size_t)n) != n) {
			err = errno;
			close(fd);
			return errno_exit(err, pidstr);
		}
	} else {
		snprintf(path, sizeof(path), PROC_DIR "/%ld", pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			err = errno;
			if (err == ENOENT && kill((pid_t)pid, 0) && errno == ESRCH)
				return errno_exit(ESRCH, pidstr);
			if (err == ENOENT) {
				/* New process not listed yet: /proc/vmainfo/self is exact. */
				if (pid == getpid())
					fd = open(PROC_DIR "/self", O_RDONLY | O_CLOEXEC);
				if (fd < 0)
					return errno_exit(ESRCH, pidstr);
			} else {
				return errno_exit(err, pidstr);
			}
		}
	}
	err = read_all(fd, buf, len);
	close(fd);
	if (err)
		return errno_exit(-err, pidstr);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "no-color", no_argument, NULL, 'C' },
		{ "file", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct render_opts ro = { .color = true, .width = 120 };
	const char *file = NULL, *view = "show", *pidstr = NULL;
	bool json = false;
	struct vmi_doc doc;
	char err[128], *buf;
	unsigned long fmt;
	struct winsize ws;
	size_t len;
	long pid = 0;
	int c, rc;

	while ((c = getopt_long(argc, argv, "jf:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'C': ro.color = false; break;
		case 'f': file = optarg; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'V':
			printf("vmainfo %s (reads module format %d)\n", VMAINFO_VERSION,
			       VMAINFO_FORMAT_VERSION);
			return EXIT_OK;
		default:
			fputs("Try 'vmainfo --help'.\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc && (!strcmp(argv[optind], "heap") || !strcmp(argv[optind], "raw") ||
			      !strcmp(argv[optind], "show")))
		view = argv[optind++];
	if (!file) {
		if (optind != argc - 1)
			return fail(EXIT_USAGE, "expected one PID (try '%s --help')", argv[0]);
		pidstr = argv[optind];
		if (!parse_pid(pidstr, &pid))
			return fail(EXIT_USAGE, "not a process id: '%s'", pidstr);
	} else if (optind != argc) {
		return fail(EXIT_USAGE, "no PID with --file (try '%s --help')", argv[0]);
	}
	if (getenv("NO_COLOR") && *getenv("NO_COLOR"))
		ro.color = false;
	if (!isatty(STDOUT_FILENO))
		ro.color = false;
	else if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col >= 40)
		ro.width = ws.ws_col;

	if (file) {
		int fd = open(file, O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			return fail(EXIT_FAIL, "cannot open %s", file);
		rc = read_all(fd, &buf, &len);
		close(fd);
		if (rc)
			return fail(EXIT_FAIL, "cannot read %s", file);
		pidstr = file;
	} else {
		rc = fetch(pid, pidstr, &buf, &len);
		if (rc)
			return rc;
	}
	if (!strcmp(view, "raw")) {
		fwrite(buf, 1, len, stdout);
		free(buf);
		return EXIT_OK;
	}
	if (vmi_parse(buf, len, &doc, err, sizeof(err))) {
		free(buf);
		return fail(EXIT_FAIL, "cannot parse the module's output: %s", err);
	}
	free(buf);
	if (!vmi_hdr_ul(&doc, "format", &fmt) || fmt != VMAINFO_FORMAT_VERSION) {
		vmi_doc_free(&doc);
		return fail(EXIT_VERSION, "the loaded module writes format %s; this vmainfo "
			    "reads format " "1" ": use the CLI built with the module",
			    vmi_hdr(&doc, "format") ?: "?");
	}
	if (doc.kthread && !json) {
		fprintf(stderr, "vmainfo: process %s (%s) is a kernel thread: it has no address space\n",
			vmi_hdr(&doc, "pid"), vmi_hdr(&doc, "comm"));
		vmi_doc_free(&doc);
		return EXIT_KTHREAD;
	}
	if (json)
		json_doc(stdout, &doc);
	else if (!strcmp(view, "heap"))
		render_heap(stdout, &doc, &ro);
	else
		render_doc(stdout, &doc, &ro);
	rc = doc.kthread ? EXIT_KTHREAD : EXIT_OK;
	vmi_doc_free(&doc);
	if (fflush(stdout) || ferror(stdout))
		return fail(EXIT_FAIL, "%s", "write error on standard output");
	return rc;
}
