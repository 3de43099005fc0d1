#!/usr/bin/env bash
# Benchmarks the claim stores alone, beside redis-benchmark on the same redis-server in the same run, measures
# the memory of a claim, and prints the figures as Markdown tables. The redis-server is the script's own, on a
# free loopback port, and is stopped at the end; the shared server on 6379 is never touched.
#
#   bench/run.sh                       about 6 minutes on 2 cores
#
# Needs a JDK 17+, Maven, redis-server, redis-cli and redis-benchmark (Redis 7). Settings, by environment:
#   BENCH_THREADS      consumer threads and redis-benchmark connections   (default "1 4 16")
#   BENCH_JMH          JMH options for every benchmark                    (default "-f 1 -wi 3 -w 2s -i 5 -r 2s")
#   BENCH_RB_REQUESTS  requests per redis-benchmark run                   (default 50000)
#   BENCH_RB_RUNS      redis-benchmark runs per setting, for the spread   (default 5)
#   BENCH_CLAIMS       completed claims written for the memory figures    (default 100000)
#   BENCH_OUT          where results go                   (default bench/target/run-<time>)
#   BENCH_SKIP_BUILD   set to 1 to reuse bench/target/benchmarks.jar
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
threads=${BENCH_THREADS:-"1 4 16"}
jmh_options=${BENCH_JMH:-"-f 1 -wi 3 -w 2s -i 5 -r 2s"}
rb_requests=${BENCH_RB_REQUESTS:-50000}
rb_runs=${BENCH_RB_RUNS:-5}
claims=${BENCH_CLAIMS:-100000}
out=${BENCH_OUT:-$root/bench/target/run-$(date -u +%Y%m%dT%H%M%SZ)}
jar=$root/bench/target/benchmarks.jar
scripts=io/github/listenerdedup/store/redis
token=benchOwnerToken0000000
port=
redis_pid=

stop_redis() {
  if [[ -n $redis_pid ]]; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
}
trap stop_redis EXIT

start_redis() {
  mkdir -p "$out/redis"
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + RANDOM % 30000))
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      continue
    fi
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$out/redis" \
      >"$out/redis/redis.log" 2>&1 &
    redis_pid=$!
    for _ in $(seq 50); do
      if redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then
        return 0
      fi
      kill -0 "$redis_pid" 2>/dev/null || break
      sleep 0.1
    done
    stop_redis
    redis_pid=
  done
  echo "Could not start redis-server on a free port; see $out/redis/redis.log" >&2
  exit 1
}

rcli() {
  redis-cli -p "$port" "$@"
}

# CPU seconds the server has used, user and system.
redis_cpu() {
  rcli info cpu | tr -d '\r' | awk -F: '/^used_cpu_(user|sys):/ { s += $2 } END { printf "%.3f", s }'
}

record_environment() {
  {
    echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "uptime at start: $(uptime)"
    echo "cores: $(nproc)"
    echo "java: $(java -version 2>&1 | head -2 | tail -1)"
    echo "redis: $(redis-server --version)"
    echo "redis-benchmark: $(redis-benchmark --version 2>/dev/null || echo unknown)"
    echo "JMH options: $jmh_options; threads: $threads"
    echo "redis-benchmark: $rb_requests requests x $rb_runs runs per setting"
  } | tee "$out/environment.txt"
}

# jmh NAME BENCHMARK STORE EXPIRY_MS THREADS: one JMH run, its CSV and log under NAME.
jmh() {
  local name=$1 benchmark=$2 store=$3 expiry=$4 count=$5
  rcli flushall >/dev/null
  echo "JMH $benchmark store=$store expiryMillis=$expiry threads=$count ($(uptime | sed 's/.*load/load/'))"
  # shellcheck disable=SC2086
  java -jar "$jar" "$benchmark" -p store="$store" -p expiryMillis="$expiry" -t "$count" $jmh_options \
    -jvmArgsAppend "-Dbench.redis.uri=redis://127.0.0.1:$port" -rf csv -rff "$out/$name.csv" >"$out/$name.log" 2>&1
  echo "load-after $(uptime | sed 's/.*load average: //; s/,.*//')" >>"$out/$name.log"
}

run_jmh() {
  local count
  for count in $threads; do
    jmh "thrpt-redis-t$count" ClaimThenCompleteBenchmark REDIS 2000 "$count"
    jmh "thrpt-memory-t$count" ClaimThenCompleteBenchmark IN_MEMORY 2000 "$count"
    jmh "thrpt-memory200-t$count" ClaimThenCompleteBenchmark IN_MEMORY 200 "$count"
    jmh "latency-redis-t$count" ClaimLatencyBenchmark REDIS 2000 "$count"
    jmh "latency-memory200-t$count" ClaimLatencyBenchmark IN_MEMORY 200 "$count"
  done
}

# redis_bench NAME CLIENTS COMMAND...: BENCH_RB_RUNS runs, their CSV rows, then the CPU used.
redis_bench() {
  local name=$1 clients=$2 cpu_before start end timing
  shift 2
  rcli flushall >/dev/null
  echo "redis-benchmark $name -c $clients ($(uptime | sed 's/.*load/load/'))"
  : >"$out/rb-$name-c$clients.csv"
  cpu_before=$(redis_cpu)
  start=$(date +%s.%N)
  timing=$( { TIMEFORMAT='%U %S'; time for _ in $(seq "$rb_runs"); do
      redis-benchmark -p "$port" -c "$clients" -n "$rb_requests" -r 100000000 --csv "$@" | tail -n +2
    done >>"$out/rb-$name-c$clients.csv" 2>>"$out/rb-errors.log"; } 2>&1 )
  end=$(date +%s.%N)
  awk -v cpu0="$cpu_before" -v cpu1="$(redis_cpu)" -v t0="$start" -v t1="$end" -v timing="$timing" 'BEGIN {
    split(timing, t, " "); wall = t1 - t0
    printf "cpu-busy client=%.2f redis=%.2f\n", (t[1] + t[2]) / wall, (cpu1 - cpu0) / wall }' \
    >"$out/rb-$name-c$clients.cpu"
  echo "load-after $(uptime | sed 's/.*load average: //; s/,.*//')" >>"$out/rb-$name-c$clients.cpu"
}

run_redis_benchmark() {
  local source sha count
  source="$(unzip -p "$jar" "$scripts/claim-value.lua"; unzip -p "$jar" "$scripts/claim.lua")"
  sha=$(rcli script load "$source")
  for count in $threads; do
    redis_bench set-nx-px "$count" SET 'dedup:rb:__rand_int__' v NX PX 60000
    redis_bench claim-script "$count" EVALSHA "$sha" 1 'dedup:rbc:__rand_int__' "$token" 2000 ''
  done
}

run_memory() {
  rcli flushall >/dev/null
  echo "memory: $claims completed claims"
  java -cp "$jar" io.github.listenerdedup.bench.MemoryFootprint "redis://127.0.0.1:$port" "$claims" \
    >"$out/memory.md"
}

main() {
  mkdir -p "$out"
  if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
    (cd "$root" && mvn -B -q -Pbench -pl bench -am package -DskipTests)
  fi
  start_redis
  record_environment
  run_jmh
  run_redis_benchmark
  run_memory
  echo "uptime at end: $(uptime)" | tee -a "$out/environment.txt"
  "$root/bench/tables.sh" "$out" | tee "$out/tables.md"
}

main "$@"
