// SPDX-License-Identifier: GPL-2.0
/* runas UID GID CMD [ARGS]: drop to an unprivileged user and exec CMD. */
#include <grp.h>
#include <unistd.h>
#include "wl.h"

int main(int argc, char **argv)
{
	gid_t gid;

	if (argc < 4)
		die("usage: runas UID GID CMD [ARGS]");
	gid = (gid_t)atoi(argv[2]);
	if (setgroups(1, &gid) || setgid(gid) || setuid((uid_t)atoi(argv[1])))
		die("drop privileges");
	execvp(argv[3], argv + 3);
	die("exec %s", argv[3]);
}
