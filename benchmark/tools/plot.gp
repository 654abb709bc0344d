# gnuplot script for benchmark/run.sh --plot (Debian's gnuplot-nox):
#   gnuplot -e "datafile='plot.dat'; outfile='performance.png'" benchmark/tools/plot.gp
# plot.dat (written by dynantic_bench_report): op dynantic_ops wrk_ops dynantic_cpu_us wrk_cpu_us in_process_cpu_us
if (!exists("datafile")) datafile = 'plot.dat'
if (!exists("outfile")) outfile = 'performance.png'
set terminal pngcairo size 1400,600 font 'DejaVu Sans,12'
set output outfile
set multiplot layout 1,2 title "dynantic over loopback beside the floor (wrk -t1 -c1, fixed-response nginx)" font ',14'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set grid ytics mytics
set key below horizontal
set xtics nomirror
set ytics nomirror

set title "Requests per second, one connection (higher is better)"
set ylabel "operations / s"
set yrange [10:*]
# Clustered bars of two series are centred at x -/+ 1/6; of three at x - 1/4, x, x + 1/4.
plot datafile using 3:xtic(1) title "wrk (floor)" lc rgb '#9e9e9e', \
     '' using 2 title "dynantic" lc rgb '#1f77b4', \
     '' using ($0-1.0/6):3:(sprintf("%.0f", $3)) with labels offset 0,0.7 font ',9' notitle, \
     '' using ($0+1.0/6):2:(sprintf("%.0f", $2)) with labels offset 0,0.7 font ',9' notitle

set title "CPU time per operation, client side (lower is better)"
set ylabel "microseconds"
set yrange [1:*]
plot datafile using 5:xtic(1) title "wrk per request (floor)" lc rgb '#9e9e9e', \
     '' using 4 title "dynantic, loopback" lc rgb '#1f77b4', \
     '' using 6 title "dynantic, in process" lc rgb '#ff7f0e', \
     '' using ($0-0.25):5:(sprintf("%.0f", $5)) with labels offset 0,0.7 font ',9' notitle, \
     '' using 0:4:(sprintf("%.0f", $4)) with labels offset 0,0.7 font ',9' notitle, \
     '' using ($0+0.25):6:($6 < 100 ? sprintf("%.1f", $6) : sprintf("%.0f", $6)) with labels offset 0,0.7 font ',9' notitle
unset multiplot
