# SPDX-License-Identifier: MIT
# GTKWave Tcl script (gtkwave -S): screenshot the loaded waveform to a PNG.
# Run by testbench/scripts/render-waves.sh under xvfb-run, with a screen as
# large as the window the save file asks for ([size], [pos] 0 0), so the
# root window is exactly the GTKWave window.
#
# Environment: HDM_WAVES_PNG  output file (required)
#              HDM_WAVES_IMPORT  ImageMagick import (default /usr/bin/import)
# Prints "hdm-waves: N signals" on stdout; exits 3 if nothing is shown.
set out $::env(HDM_WAVES_PNG)
set import /usr/bin/import
if {[info exists ::env(HDM_WAVES_IMPORT)]} {
    set import $::env(HDM_WAVES_IMPORT)
}
set sigs [gtkwave::getDisplayedSignals]
puts "hdm-waves: [llength $sigs] signals"
if {[llength $sigs] == 0} {
    puts stderr "hdm-waves: no signals displayed (save file not applied?)"
    exit 3
}
# Fit the whole dump into the window. Each menu command redraws the wave
# and signal panes synchronously; the no-ops give GTK a few more turns of
# its main loop before the X server is read back.
gtkwave::/Time/Zoom/Zoom_Best_Fit
gtkwave::setWindowStartTime 0
for {set i 0} {$i < 5} {incr i} {
    gtkwave::nop
}
if {[catch {exec $import -window root $out} err]} {
    puts stderr "hdm-waves: $import failed: $err"
    exit 4
}
gtkwave::/File/Quit
