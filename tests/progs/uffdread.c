// SPDX-License-Identifier: GPL-2.0
/*
 * uffdread FILE GO [BYTES]: open FILE and read() up to BYTES (default 4096)
 * of it into a buffer registered with userfaultfd (missing mode), so the
 * read blocks in the kernel's copy_to_user() until the fault is resolved.
 * A handler thread prints "fault" when the fault arrives, waits until the
 * file GO exists (at most 100 s), then resolves it with a zero page.  Prints
 * "open ok", then "read1 N" (bytes) or "read1 -ENAME", then the same for a
 * second read into a plain buffer ("read2 ..."), each on its own line; after
 * a read that returned data, its first line follows as "line1 TEXT"; after
 * the first read "go yes" or "go no" says whether GO existed when it returned.
 * Exit 0 when both lines were printed, 2 when the setup failed.
 */
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "wl.h"

static int uffd;
static const char *go;
static char *area;
static size_t len;

static void *handler(void *arg)
{
	struct pollfd pfd = { .fd = uffd, .events = POLLIN };
	struct uffd_msg msg;
	struct uffdio_zeropage zp;
	struct stat st;
	int i;

	(void)arg;
	if (poll(&pfd, 1, -1) != 1)
		die("poll");
	if (read(uffd, &msg, sizeof(msg)) != sizeof(msg))
		die("read uffd");
	if (msg.event != UFFD_EVENT_PAGEFAULT)
		die("unexpected uffd event %u", msg.event);
	printf("fault\n");
	fflush(stdout);
	for (i = 0; i < 10000 && stat(go, &st); i++)
		usleep(10000);
	zp.range.start = (unsigned long)area;
	zp.range.len = len;
	zp.mode = 0;
	if (ioctl(uffd, UFFDIO_ZEROPAGE, &zp))
		die("UFFDIO_ZEROPAGE");
	return NULL;
}

static void report(const char *what, ssize_t n)
{
	if (n >= 0)
		printf("%s %zd\n", what, n);
	else
		printf("%s -%s\n", what, strerrorname_np(errno) ? strerrorname_np(errno) : "E?");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg;
	static char plain[65536];
	struct stat st;
	size_t want = 4096;
	pthread_t th;
	ssize_t n;
	int fd;

	if (argc < 3)
		die("usage: uffdread FILE GO [BYTES]");
	go = argv[2];
	if (argc > 3)
		want = strtoul(argv[3], NULL, 0);
	if (!want || want > sizeof(plain))
		die("bad BYTES");
	len = (want + PAGE - 1) & ~(PAGE - 1);
	fd = open(argv[1], O_RDONLY);
	if (fd < 0)
		die("open %s", argv[1]);
	printf("open ok\n");
	fflush(stdout);
	uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0)
		die("userfaultfd");
	if (ioctl(uffd, UFFDIO_API, &api))
		die("UFFDIO_API");
	area = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		die("mmap");
	reg.range.start = (unsigned long)area;
	reg.range.len = len;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		die("UFFDIO_REGISTER");
	errno = pthread_create(&th, NULL, handler, NULL);
	if (errno)
		die("pthread_create");
	n = read(fd, area, want);	/* blocks in copy_to_user() */
	report("read1", n);
	/* Whether the read returned only after GO existed (it must have). */
	printf("go %s\n", stat(go, &st) ? "no" : "yes");
	if (n > 0)
		printf("line1 %.*s\n", (int)strcspn(area, "\n"), area);
	n = read(fd, plain, want);
	report("read2", n);
	pthread_join(th, NULL);
	close(fd);
	return 0;
}
