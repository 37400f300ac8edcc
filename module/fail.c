// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: forced failures, for the tests.  Each point (enum vmi_fail_point,
 * vmainfo.h) is named where it fails: vmi_should_fail(VMI_FAIL_...).
 */
#include <linux/atomic.h>
#include <linux/module.h>
#include "vmainfo.h"

/*
 * fail_at=N makes the next pass through point N (enum vmi_fail_point) fail,
 * once: points 1-6 are in module init (insmod vmainfo.ko fail_at=N), 7-10 at
 * run time (root writes N to /sys/module/vmainfo/parameters/fail_at).  The
 * tests check that every failure unwinds completely: no file left, no probe
 * registered, nothing leaked (the live-object counters), and that the next
 * try works.  Reading the parameter back gives 0 once the point fired.
 */
static int fail_at;
module_param(fail_at, int, 0600);
MODULE_PARM_DESC(fail_at, "testing: fail once at this point (1-6 init, 7-10 run time), 0 = never");

bool vmi_should_fail(enum vmi_fail_point point)
{
	return READ_ONCE(fail_at) == point && cmpxchg(&fail_at, point, 0) == point;
}
