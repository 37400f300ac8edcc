#!/bin/bash
# Resolve the guest kernel releases from the Debian archive (never hard-coded).
# Prints one release a line: the newest 6.1 and the newest 6.12 cloud-amd64 release for
# which both an image and matching kbuild headers are in the archive (Debian 12), then
# the newest cloud-amd64 release in Debian sid (scripts/apt-sid.sh: its own apt
# lists, never the host's sources) with linux-binary-unsigned and headers, then the
# newest 6.12 cloud-arm64 one (from bookworm's arm64 lists, read through
# scripts/deps.sh's own apt configuration, $ARM64_APT_CONFIG).
set -euo pipefail

newest() { # $1 = grep -E pattern for the release, $2 = flavour (default cloud-amd64)
	local rel
	apt-cache search --names-only "^linux-headers-6\\.1[^ ]*${2:-cloud-amd64}\$" 2>/dev/null |
		awk '{print $1}' | sed 's/^linux-headers-//' | grep -E "$1" | sort -rV |
		while read -r rel; do
			if apt-cache show "linux-image-$rel-unsigned" >/dev/null 2>&1; then
				echo "$rel"
				break
			fi
		done
}

k61=$(newest '^6\.1\.0-[0-9]+-cloud-amd64$')
k612=$(newest '^6\.12\.[0-9]+\+deb12-cloud-amd64$')
# sid: split image packages (linux-binary-unsigned-<rel> holds vmlinuz); the
# newest release by version whose headers and image are both there.
ksid=$("$(dirname "$0")/apt-sid.sh" apt-cache search --names-only '^linux-headers-[0-9][^ ]*-cloud-amd64$' \
	2>/dev/null | awk '{print $1}' | sed 's/^linux-headers-//' | sort -rV |
	while read -r rel; do
		if "$(dirname "$0")/apt-sid.sh" apt-cache show "linux-binary-unsigned-$rel" >/dev/null 2>&1; then
			echo "$rel"
			break
		fi
	done)
if [ -z "$k61" ] || [ -z "$k612" ] || [ -z "$ksid" ]; then
	echo "kernels.sh: cannot resolve guest kernels from the archive (run apt-get update; scripts/apt-sid.sh apt-get update)" >&2
	exit 1
fi
echo "$k61"
echo "$k612"
echo "$ksid"
# arm64: only with the arm64 lists (deps.sh sets them up); none: no line.
ARM64_APT_CONFIG=${ARM64_APT_CONFIG:-${VMAINFO_CACHE:-/var/cache/vmainfo}/apt-arm64/apt.conf}
if [ -f "$ARM64_APT_CONFIG" ]; then
	k612a=$(APT_CONFIG=$ARM64_APT_CONFIG newest '^6\.12\.[0-9]+\+deb12-cloud-arm64$' cloud-arm64)
	[ -n "$k612a" ] || { echo "kernels.sh: no arm64 6.12 kernel in the archive's arm64 lists" >&2; exit 1; }
	echo "$k612a"
fi
