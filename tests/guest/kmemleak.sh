# kmemleak on the debug guest kernel (scripts/debug-kernel.sh; the guest has
# VMAINFO_DEBUG_KERNEL=1): did vmainfo leave unreferenced objects behind?
# There, KASAN's quarantine keeps freed objects in Slab for a while, so the
# Slab/MemFree bounds of the other kernels say nothing; kmemleak decides.
#
#   kml_begin          report and forget every suspect so far (boot, earlier
#                      tests): only what is allocated from now on can count
#   kml_check NAME     after the load/unload cycles: scan, and fail on any
#                      suspect whose allocation backtrace is in vmainfo
KML=/sys/kernel/debug/kmemleak

kml_begin() {
	# A scan marks the current suspects reported; clear paints them grey
	# (never reported again).
	t "kmemleak is active (scan, clear)" sh -c "echo scan > $KML && echo clear > $KML"
}

# A suspect is vmainfo's when a frame of its allocation backtrace is in the
# module ("... [vmainfo]") or, the module being unloaded by now, is a bare
# address in the module area (x86-64: 0xffffffffc0000000 up; only vmainfo is
# loaded and unloaded by the cycles).
kml_ours() {
	awk '/^unreferenced object/ { if (bad) printf "%s", blk; blk = ""; bad = 0 }
	     { blk = blk $0 "\n" }
	     /\[vmainfo\]/ || /^ +0xffffffffc[0-9a-f]+$/ { bad = 1 }
	     END { if (bad) printf "%s", blk }' "$1"
}

kml_check() {
	# kmemleak reports an object only once it is 5 s old and unchanged
	# between two scans.
	sleep 6
	if ! { echo scan > $KML && echo scan > $KML && cat $KML > /tmp/kmemleak.txt; }; then
		not_ok "kmemleak: scan after $1"
		return
	fi
	kml_ours /tmp/kmemleak.txt > /tmp/kmemleak-vmainfo.txt
	echo "# kmemleak after $1: $(grep -c '^unreferenced object' /tmp/kmemleak.txt) new suspect(s), $(grep -c '^unreferenced object' /tmp/kmemleak-vmainfo.txt) from vmainfo"
	if [ -s /tmp/kmemleak-vmainfo.txt ]; then
		not_ok "kmemleak: no leak from vmainfo after $1"
		DIAG_LINES=80 diag < /tmp/kmemleak-vmainfo.txt
	else
		ok "kmemleak: no leak from vmainfo after $1"
		# other suspects (the kernel's own) are shown, not judged
		head -n 20 /tmp/kmemleak.txt | diag
	fi
}
