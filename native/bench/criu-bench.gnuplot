# Plots criu-bench.csv: dump, frozen and restore time (median of the runs is what the table
# shows; here every run is a point) against the JVM heap. Call with -e "csv='...'; png='...'".
set terminal pngcairo size 900,560 font ",11"
set output png
set termoption noenhanced
set datafile separator ","
set title "CRIU checkpoint/restore of a JVM (every run; images on tmpfs)"
set xlabel "JVM heap (MiB, -Xms = -Xmx, pre-touched)"
set ylabel "milliseconds"
set logscale x 2
set logscale y 10
set key top left
set grid
plot csv using 1:5 skip 1 with points pt 7 ps 1.3 title "dump (wall)", \
     csv using 1:4 skip 1 with points pt 5 ps 1.1 title "frozen (CRIU)", \
     csv using 1:6 skip 1 with points pt 9 ps 1.3 title "restore (wall)"
