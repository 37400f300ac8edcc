#!/bin/bash
# Print the lines of a kernel log (file or stdin) that match the deny-list;
# exit 1 if there are any, 0 if the log is clean.
set -u
list=$(dirname "$0")/denylist.txt
pat=$(grep -v -e '^#' -e '^$' "$list" | paste -sd'|')
if grep -E -a -- "$pat" "${1:--}"; then
	exit 1
fi
exit 0
