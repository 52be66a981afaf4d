# Plots spawn-bench.csv: median latency of each creation method against the parent's touched
# memory, with p99 as error bars. Call with -e "csv='...'; png='...'".
set terminal pngcairo size 900,560 font ",11"
set output png
set termoption noenhanced
set datafile separator ","
set title "Process creation vs parent size (median, bar to p99)"
set xlabel "parent's touched memory (MiB; 0 plotted at 1)"
set ylabel "microseconds, call to child reaped"
set logscale xy
set key top left
set grid
mib(b) = b == 0 ? 1 : b / 1048576.0
m(name) = sprintf("< grep ',%s,' %s", name, csv)
plot m("fork+exec") using (mib($1)):4:4:5 with yerrorlines pt 7 title "fork+exec", \
     m("vfork+exec") using (mib($1)):4:4:5 with yerrorlines pt 5 title "vfork+exec", \
     m("posix_spawn") using (mib($1)):4:4:5 with yerrorlines pt 9 title "posix_spawn", \
     m("clone_vfork+exec") using (mib($1)):4:4:5 with yerrorlines pt 11 title "clone(CLONE_VM|CLONE_VFORK)+exec"
