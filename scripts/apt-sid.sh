#!/bin/bash
# Run an apt tool against Debian sid without touching the host's apt sources:
#   scripts/apt-sid.sh apt-get update | apt-cache ARGS | apt-get download PKG ...
#   scripts/apt-sid.sh --config    prints the apt.conf path (APT_CONFIG=...)
# Its sources list is scripts/apt-sid/sources.list; lists and caches live under
# $VMAINFO_CACHE/apt-sid.  sid's Release may be expired: Check-Valid-Until off.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${VMAINFO_CACHE:-/var/cache/vmainfo}/apt-sid
mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/sources.list.d"
[ -f "$dir/status" ] || : > "$dir/status"
conf=$dir/apt.conf
cat > "$conf.tmp" <<CONF
Dir::Etc::sourcelist "$top/scripts/apt-sid/sources.list";
Dir::Etc::sourceparts "$dir/sources.list.d";
Dir::State::Lists "$dir/lists";
Dir::Cache "$dir/cache";
Dir::State::status "$dir/status";
Acquire::Check-Valid-Until "false";
Acquire::Languages "none";
APT::Sandbox::User "root";
CONF
mv "$conf.tmp" "$conf"
if [ "${1:-}" = --config ]; then
	echo "$conf"
	exit 0
fi
APT_CONFIG=$conf exec "$@"
