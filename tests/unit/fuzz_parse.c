// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: the CLI's parsers (text, page map) and JSON writer on arbitrary input. */
#include <stdint.h>
#include <stdio.h>
#include "jsonout.h"
#include "parse.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmi_doc d;
	char err[128];

	if (!vmi_parse((const char *)data, size, &d, err, sizeof(err))) {
		FILE *f = fopen("/dev/null", "w");

		if (f) {
			json_doc(f, &d);
			fclose(f);
		}
		vmi_doc_free(&d);
	}
	{
		struct pm_doc pm;

		if (!pm_parse((const char *)data, size, &pm))
			pm_free(&pm);
	}
	return 0;
}
