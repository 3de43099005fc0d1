#!/usr/bin/env bash
# Prints the figures of one bench/run.sh run as Markdown tables.
#
#   bench/tables.sh bench/target/run-<time>
set -euo pipefail

out=${1:?usage: bench/tables.sh RESULTS_DIR}
threads=$(ls "$out" | sed -n 's/^thrpt-redis-t\([0-9]*\)\.csv$/\1/p' | sort -n | tr '\n' ' ')

# csv_row FILE SUFFIX: the fields of the JMH row whose benchmark name ends in SUFFIX, unquoted, space-separated.
csv_row() {
  awk -F, -v suffix="$2" '{ gsub(/"/, "") } $1 ~ suffix"$" { print $5, $6; exit }' "$1"
}

# cpu FILE KEY: a cpu-busy figure from a log.
cpu() {
  sed -n 's/.*cpu-busy.*\<'"$2"'=\([-0-9.]*\).*/\1/p' "$1" | tail -1
}

# load FILE: the one-minute load average when the run ended, or ? for runs that did not record it.
load() {
  sed -n 's/^load-after \([0-9.]*\).*/\1/p' "$1" | tail -1 | grep . || echo "?"
}

throughput_row() {
  local label=$1 name=$2 count=$3 score
  [[ -f $out/$name-t$count.csv ]] || return 0
  score=$(csv_row "$out/$name-t$count.csv" "claimThenComplete")
  awk -v label="$label" -v n="$count" -v s="$score" -v jvm="$(cpu "$out/$name-t$count.log" jvm)" \
    -v lettuce="$(cpu "$out/$name-t$count.log" lettuce)" -v workers="$(cpu "$out/$name-t$count.log" workers)" \
    -v redis="$(cpu "$out/$name-t$count.log" redis)" -v ld="$(load "$out/$name-t$count.log")" 'BEGIN {
      split(s, f, " ")
      printf "| %s | %d | %.0f ± %.0f | %.0f | JVM %s (Lettuce %s, threads %s) | %s | %s |\n",
        label, n, f[1], f[2], 2 * f[1], jvm, lettuce, workers, redis, ld }'
}

# rb_summary FILE: mean and sd of requests/s, and the means of avg, p50, p95, p99 and max latency in µs.
rb_summary() {
  awk -F, '{ gsub(/"/, "") } NF >= 8 && $2 + 0 > 0 {
      n++; r = $2; sum += r; sq += r * r
      for (i = 3; i <= 8; i++) lat[i] += $i * 1000 }
    END { mean = sum / n; sd = n > 1 ? sqrt((sq - n * mean * mean) / (n - 1)) : 0
      printf "%.0f %.0f %.0f %.0f %.0f %.0f %.0f %d\n", mean, sd, lat[3] / n, lat[5] / n, lat[6] / n, lat[7] / n,
        lat[8] / n, n }' "$1"
}

rb_throughput_row() {
  local label=$1 name=$2 count=$3 summary cpu_line
  [[ -f $out/rb-$name-c$count.csv ]] || return 0
  summary=$(rb_summary "$out/rb-$name-c$count.csv")
  cpu_line=$(head -1 "$out/rb-$name-c$count.cpu")
  awk -v label="$label" -v n="$count" -v s="$summary" -v c="$cpu_line" -v ld="$(load "$out/rb-$name-c$count.cpu")" '
    BEGIN {
      split(s, f, " "); split(c, g, /[ =]/)
      printf "| %s | %d | %.0f ± %.0f (sd of %d) | %.0f | redis-benchmark %s | %s | %s |\n",
        label, n, f[1], f[2], f[8], f[1], g[3], g[5], ld }'
}

latency_row() {
  local label=$1 name=$2 count=$3 file
  file=$out/$name-t$count.csv
  [[ -f $file ]] || return 0
  awk -F, -v label="$label" -v n="$count" '{ gsub(/"/, "") }
    $1 ~ /\.claim$/ { mean = $5; err = $6 }
    $1 ~ /:p0\.50$/ { p50 = $5 } $1 ~ /:p0\.95$/ { p95 = $5 } $1 ~ /:p0\.99$/ { p99 = $5 } $1 ~ /:p1\.00$/ { max = $5 }
    END { printf "| %s | %d | %.1f ± %.1f | %.1f | %.1f | %.1f | %.0f | %.0f |\n",
      label, n, mean, err, p50, p95, p99, max, n / mean * 1e6 }' "$file"
}

rb_latency_row() {
  local label=$1 name=$2 count=$3 summary
  [[ -f $out/rb-$name-c$count.csv ]] || return 0
  summary=$(rb_summary "$out/rb-$name-c$count.csv")
  awk -v label="$label" -v n="$count" -v s="$summary" 'BEGIN {
      split(s, f, " ")
      printf "| %s | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |\n", label, n, f[3], f[4], f[5], f[6], f[7], f[1] }'
}

# rows ROW_FUNCTION LABEL NAME: one row per thread count.
rows() {
  local count
  for count in $threads; do
    "$1" "$2" "$3" "$count"
  done
}

echo "### Throughput: claim + complete per second (JMH, ± 99.9% interval) beside redis-benchmark (± sd of runs)"
echo
echo "| client | threads / connections | operations/s | round trips/s | client cores busy | redis-server cores" \
  "| load after |"
echo "|---|---:|---:|---:|---|---:|---:|"
rows throughput_row "RedisClaimStore claim + complete, 2 s retention" thrpt-redis
rows rb_throughput_row "redis-benchmark SET NX PX" set-nx-px
rows rb_throughput_row "redis-benchmark EVALSHA claim script" claim-script
rows throughput_row "InMemoryClaimStore claim + complete, 2 s retention" thrpt-memory
rows throughput_row "InMemoryClaimStore claim + complete, 200 ms retention" thrpt-memory200
echo
echo "Round trips/s counts two store calls per claim + complete, one per redis-benchmark request. Cores busy are"
echo "CPU seconds per second: for JMH over the measured iterations, for redis-benchmark over its runs. Load after is"
echo "the machine's one-minute load average when the run ended."
echo
echo "### Latency of one call, µs (JMH SampleTime: one claim; redis-benchmark: one request, mean of runs)"
echo
echo "| client | threads / connections | mean | p50 | p95 | p99 | max | threads ÷ mean, calls/s |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
rows latency_row "RedisClaimStore claim, 2 s lease" latency-redis
rows rb_latency_row "redis-benchmark SET NX PX" set-nx-px
rows rb_latency_row "redis-benchmark EVALSHA claim script" claim-script
rows latency_row "InMemoryClaimStore claim, 200 ms lease" latency-memory200
echo
echo "For redis-benchmark the last column is its measured requests/s."
echo
if [[ -f $out/memory.md ]]; then
  echo "### Memory in Redis"
  echo
  cat "$out/memory.md"
  echo
fi
echo "### Environment"
echo
sed 's/^/    /' "$out/environment.txt"
