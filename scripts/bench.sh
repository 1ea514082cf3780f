#!/usr/bin/env bash
# Benchmarks, printed as a Markdown table of medians and ratios against a peer measured in the
# same run:
#   boot     per level, side by side in rounds: the bare stack (`docker-compose up -d` until the
#            API first answers 200), a cold start (`firedrill start LEVEL --no-warm` until the
#            fault is live, images built) and a warm start (`firedrill warm LEVEL` untimed, then
#            `firedrill start LEVEL` timed; "n/a" where `firedrill warm` does not exist)
#   fix      fix-to-green in the console for payload-too-large and cors: from the Enter of the
#            fix typed in the Shell pane to every objective green on screen (scripts/fix_to_green.py,
#            RUNS_FIX=10 fresh runs each), median and worst
#   stop     `firedrill stop` of a live run (four instances), RUNS_STOP=10 times, against
#            `docker-compose down` of the bare stack
#   build    `firedrill build` of the scenario images from scratch, against `docker build` of
#            the same contexts in a loop
#   console  `firedrill play` idle at 160x45 in tmux with a shell open, against htop in the same
#            tmux, alternately: CPU (share of one core over SECONDS_IDLE=30 s) and RSS; and
#            key-to-echo latency in the Shell pane: a key written to the console's terminal until
#            its echo is drawn (30 keys)
#   footprint what one run takes once its fault is live, per level, against the bare stack:
#            the CPU its containers used to get there (cgroups), then memory and CPU (docker stats, SETTLE=10 s after start, then
#            RUNS=3 samples 5 s apart), their writable layers, the limits its compose file sets
#            and the host ports it publishes (docs/scaling.md)
#   class    the class database under a room's load: TRAINEES=30 trainees writing events at
#            RATE=5 a second each (ten times real play) for SECONDS_CLASS=60 s, with an
#            instructor's dashboard listening: write latency, dashboard delay, events lost or
#            doubled, against pgbench's plain INSERTs at the same rate (Benchmarks/ClassBench)
# Usage: scripts/bench.sh [boot|fix|stop|build|console|footprint|class]... (default: boot, fix and
# stop). RUNS=n sets the samples (default 3 for boot, build and console). Results belong in
# docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/debug/firedrill}
export FIREDRILL_ROOT=$PWD
export FIREDRILL_HOME=${FIREDRILL_HOME:-$(mktemp -d /tmp/firedrill-bench.XXXXXX)}
SCENARIO=Scenarios/billing
COMPOSE=$(command -v docker-compose >/dev/null && echo docker-compose || echo "docker compose")

now() { date +%s.%N; }
median() { python3 -c 'import statistics,sys; print(f"{statistics.median(float(x) for x in sys.argv[1:]):.2f}")' "$@"; }
ratio() { python3 -c 'import sys; print(f"{float(sys.argv[1])/float(sys.argv[2]):.2f}")' "$1" "$2"; }
row() { printf '| %s | %s s | %s | %s s | %s |\n' "$1" "$2" "$3" "$4" "$5"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The bare stack: the scenario's compose file as it is, no firedrill, in a workspace of its own
# (its .env gives it free ports). Prints the workspace.
bare_workspace() {
  local ws app api
  ws=$(mktemp -d /tmp/firedrill-bare.XXXXXX)
  (cd "$SCENARIO" && tar --exclude=images --exclude=scenario.yaml -cf - .) | tar -C "$ws" -xf -
  app=$(free_port); api=$(free_port)
  printf 'FD_APP_PORT=%s\nFD_API_PORT=%s\nFD_APP_ORIGIN=http://127.0.0.1:%s\nFD_API_URL=http://127.0.0.1:%s\n' "$app" "$api" "$app" "$api" > "$ws/.env"
  echo "$ws"
}

# Seconds from `docker-compose up -d` of the bare stack to its API's first 200; with "down", the
# seconds `docker-compose down` then takes instead.
bare_boot() {
  local ws api start up
  ws=$(bare_workspace)
  api=$(sed -n 's/^FD_API_PORT=//p' "$ws/.env")
  start=$(now)
  $COMPOSE -p "fdbench$$" -f "$ws/compose.yaml" up -d >/dev/null 2>&1
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$api/api/health")" = 200 ]; do sleep 0.1; done
  up=$(elapsed "$start")
  start=$(now)
  $COMPOSE -p "fdbench$$" -f "$ws/compose.yaml" down -v -t 3 >/dev/null 2>&1
  if [ "${1:-}" = down ]; then elapsed "$start"; else echo "$up"; fi
  rm -rf "$ws"
}

elapsed() { python3 -c "print(f'{$(now) - $1:.2f}')"; }
run_of() { python3 -c 'import json,sys; print(json.load(sys.stdin)["run"])'; }
levels() { $BIN levels --json | python3 -c 'import json,sys; print(" ".join(l["id"] for l in json.load(sys.stdin)))'; }
# Whether this firedrill prepares warm runs (without `warm`, its --help is the whole program's).
has_warm() { $BIN warm --help 2>&1 | grep -q "USAGE: firedrill warm"; }

# Seconds from `firedrill start` (ARGS...) to the fault live, or "failed", or "cold" for a start
# asked to be warm that was not; the run is stopped after.
firedrill_boot() {
  local start out run seconds
  start=$(now)
  if ! out=$($BIN start "$@" --json 2>/dev/null); then echo failed; return; fi
  seconds=$(elapsed "$start")
  run=$(printf '%s' "$out" | run_of)
  $BIN stop --run "$run" >/dev/null
  if [ -n "${WANT_WARM:-}" ] && ! printf '%s' "$out" | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin).get("warm") else 1)'; then
    echo cold; return
  fi
  echo "$seconds"
}

# The median of samples, or "failed" when one failed.
median_of() { if [[ " $* " == *" failed "* || " $* " == *" cold "* ]]; then echo failed; else median "$@"; fi; }
secs() { case $1 in failed|n/a) echo "$1" ;; *) echo "$1 s" ;; esac; }
goal() { python3 -c "import sys; print('✔' if sys.argv[1] != 'failed' and float(sys.argv[1]) <= float(sys.argv[2]) else '✘')" "$1" "$2"; }
ratio_of() { if [ "$1" = failed ] || [ "$1" = n/a ]; then echo –; else echo "$(ratio "$1" "$2")×"; fi; }

bench_boot() {
  local runs=${RUNS:-3} level bare cold warm b c w warm_ok=1 load
  has_warm || warm_ok=
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  echo
  echo "Boot to fault live per level, rounds of bare stack, cold start, warm start; medians of $runs ($(nproc) cores, load $load at the start, $(date -u +%Y-%m-%d), $(git rev-parse --short HEAD)):"
  echo
  echo "| level | cold start | warm start | bare stack up to 200 | cold vs bare | warm vs bare | cold ≤ 5 s | warm ≤ 1 s | samples (cold / warm / bare) |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for level in ${LEVELS:-$(levels)}; do
    bare=(); cold=(); warm=()
    for _ in $(seq "$runs"); do
      bare+=("$(bare_boot)")
      if [ -n "$warm_ok" ]; then cold+=("$(firedrill_boot "$level" --no-warm)"); else cold+=("$(firedrill_boot "$level")"); fi
      if [ -n "$warm_ok" ]; then
        if $BIN warm "$level" >/dev/null 2>&1; then warm+=("$(WANT_WARM=1 firedrill_boot "$level")"); else warm+=(failed); fi
      fi
    done
    b=$(median "${bare[@]}"); c=$(median_of "${cold[@]}")
    if [ -n "$warm_ok" ]; then w=$(median_of "${warm[@]}"); else w=n/a; warm=(n/a); fi
    printf '| %s | %s | %s | %s s | %s | %s | %s | %s | %s / %s / %s |\n' "$level" "$(secs "$c")" "$(secs "$w")" "$b" \
      "$(ratio_of "$c" "$b")" "$(ratio_of "$w" "$b")" "$(goal "$c" 5)" "$( [ "$w" = n/a ] && echo – || goal "$w" 1)" "${cold[*]}" "${warm[*]}" "${bare[*]}"
  done
}

# Fix-to-green in the console, per level: RUNS_FIX fresh runs (scripts/fix_to_green.py).
bench_fix() {
  local runs=${RUNS_FIX:-10} level samples
  command -v tmux >/dev/null || apt-get install -y tmux >/dev/null
  echo
  echo "Fix-to-green in the console at 160x45 in tmux, $runs fresh runs per level ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%d), $(git rev-parse --short HEAD)):"
  echo
  echo "| level | fix-to-green median | worst | ≤ 2 s | the command itself (prompt back) | fix in effect to green, median / worst | samples (green prompt in-effect) |"
  echo "|---|---|---|---|---|---|---|"
  for level in payload-too-large cors; do
    samples=$(BIN=$(realpath "$BIN") python3 scripts/fix_to_green.py "$level" "$runs")
    SAMPLES=$samples python3 - "$level" <<'PY'
import os, statistics, sys
level = sys.argv[1]
lines = [line for line in os.environ["SAMPLES"].splitlines() if line.strip()]
num = lambda x: None if x == "-" else float(x)
# "green prompt in-effect", "timeout - prompt in-effect" or "failed" (no console).
rows = [[num(x) for x in line.split()] for line in lines if line.split()[0] not in ("timeout", "failed")]
failed = len(lines) - len(rows)
green = [r[0] for r in rows]
prompt = [r[1] for r in rows if r[1] is not None]
# From the fix in effect (the preflight watcher's time for cors, else the prompt back) to green.
effect = [r[0] - (r[2] if r[2] is not None else r[1]) for r in rows if r[2] is not None or r[1] is not None]
f = lambda x: f"{x:.2f} s"
med = lambda xs: f(statistics.median(xs)) if xs else "–"
worst = f"{failed} failed" if failed else f(max(green))
ok = "✔" if not failed and max(green) <= 2 else "✘"
print(f"| {level} | {med(green)} | {worst} | {ok} | {med(prompt)} | {med(effect)} / {f(max(effect)) if effect else '–'} | {' · '.join(lines)} |")
PY
  done
}

# `firedrill stop` of a live payload-too-large run (four instances), against the bare stack's
# `docker-compose down`, RUNS_STOP rounds.
bench_stop() {
  local runs=${RUNS_STOP:-10} ours=() peers=() out run start m peer
  for _ in $(seq "$runs"); do
    out=$($BIN start payload-too-large --json 2>/dev/null) || { ours+=(failed); continue; }
    run=$(printf '%s' "$out" | run_of)
    start=$(now); $BIN stop --run "$run" >/dev/null; ours+=("$(elapsed "$start")")
    peers+=("$(bare_boot down)")
  done
  m=$(median_of "${ours[@]}"); peer=$(median "${peers[@]}")
  echo
  echo "Stop of a live run (four instances), median of $runs ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%d), $(git rev-parse --short HEAD)):"
  echo
  echo "| what | firedrill stop | vs bare stack | docker-compose down of the bare stack | < 2 s | samples (firedrill / bare) |"
  echo "|---|---|---|---|---|---|"
  echo "| payload-too-large | $m s | $(ratio_of "$m" "$peer") | $peer s | $(python3 -c "print('✔' if '$m' != 'failed' and float('$m') < 2 else '✘')") | ${ours[*]} / ${peers[*]} |"
}

# From scratch means without Docker's layer cache (--no-cache): images in use by runs stay.
bench_build() {
  local runs=${RUNS:-3} ours=() peers=() start tags m peer
  tags=$(python3 -c 'import re; print(" ".join(re.findall(r"tag:\s*(\S+)", open("'"$SCENARIO"'/scenario.yaml").read())))')
  for _ in $(seq "$runs"); do
    start=$(now); $BIN build --force billing >/dev/null; ours+=("$(python3 -c "print(f'{$(now) - $start:.1f}')")")
    start=$(now)
    for tag in $tags; do
      docker build -q --no-cache -t "$tag" "$SCENARIO/images/${tag##*-}" >/dev/null 2>&1
    done
    peers+=("$(python3 -c "print(f'{$(now) - $start:.1f}')")")
  done
  # Leave the images as firedrill builds them, with their content labels (cached: quick).
  $BIN build billing >/dev/null
  docker image prune -f >/dev/null 2>&1 || true
  m=$(median "${ours[@]}"); peer=$(median "${peers[@]}")
  echo
  echo "Scenario images from scratch, median of $runs:"
  echo
  echo "| what | firedrill build | vs docker build | docker build | samples |"
  echo "|---|---|---|---|---|"
  row "billing (5 images)" "$m" "$(ratio "$m" "$peer")×" "$peer" "${ours[*]} / ${peers[*]}"
}

# CPU ticks (own, and own + reaped children) and RSS of a process.
proc_ticks() { awk '{print $14+$15, $14+$15+$16+$17}' "/proc/$1/stat"; }
proc_rss_mb() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }

# Idle CPU (% of one core: own, and with its reaped children) and RSS of a process, over $2 seconds.
idle_figures() {
  local pid=$1 seconds=$2 hz a ac b bc
  hz=$(getconf CLK_TCK)
  read -r a ac < <(proc_ticks "$pid")
  sleep "$seconds"
  read -r b bc < <(proc_ticks "$pid")
  python3 -c "print(f'{($b-$a)/$hz/$seconds*100:.2f} {($bc-$ac)/$hz/$seconds*100:.2f}', end=' ')"
  proc_rss_mb "$pid"; echo
}

pane_child() { tmux display -p -t "$1" '#{pane_pid}'; }  # sh -c execs the one command

# Figures of one program idle in a tmux session of its own at 160x45: "cpu cpu+children rss".
idle_in_tmux() {
  local settle=$1 seconds=$2 command=$3 session figures
  session=fdbench-console-$$
  tmux kill-session -t "$session" 2>/dev/null || true
  tmux new-session -d -s "$session" -x 160 -y 45 "$command"
  sleep "$settle"
  figures=$(idle_figures "$(pane_child "$session")" "$seconds")
  tmux kill-session -t "$session"
  echo "$figures"
}

bench_console() {
  local out run seconds=${SECONDS_IDLE:-30} runs=${RUNS:-3} latency i
  local our_cpu=() our_all=() our_rss=() peer_cpu=() peer_rss=() cpu all rss
  command -v htop >/dev/null || apt-get install -y htop >/dev/null
  BIN=$(realpath "$BIN")
  out=$($BIN start payload-too-large --json)
  run=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["run"])')
  # Alternate the two programs, so that the machine's other load falls on both alike.
  for i in $(seq "$runs"); do
    read -r cpu all rss <<<"$(idle_in_tmux 8 "$seconds" "env TERM=tmux-256color LANG=C.UTF-8 FIREDRILL_HOME=$FIREDRILL_HOME FIREDRILL_ROOT=$FIREDRILL_ROOT $BIN play --run $run --shell workspace")"
    our_cpu+=("$cpu"); our_all+=("$all"); our_rss+=("$rss")
    read -r cpu _ rss <<<"$(idle_in_tmux 3 "$seconds" "env TERM=tmux-256color htop")"
    peer_cpu+=("$cpu"); peer_rss+=("$rss")
  done
  latency=$(BIN=$BIN RUN=$run python3 scripts/console_latency.py)
  $BIN stop --run "$run" >/dev/null
  echo
  echo "Console idle at 160x45 in tmux, shell open, medians of $runs × $seconds s ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%d), $BIN):"
  echo
  echo "| figure | firedrill play | htop | goal | samples (firedrill / htop) |"
  echo "|---|---|---|---|---|"
  echo "| CPU, own (% of a core) | $(median "${our_cpu[@]}") | $(median "${peer_cpu[@]}") | ≤ htop, < 1 | ${our_cpu[*]} / ${peer_cpu[*]} |"
  echo "| CPU with its checks' processes | $(median "${our_all[@]}") | – | – | ${our_all[*]} |"
  echo "| RSS (MB) | $(median "${our_rss[@]}") | $(median "${peer_rss[@]}") | < 50 | ${our_rss[*]} / ${peer_rss[*]} |"
  echo "| key to echo in the Shell pane (median / p95 / max ms, 30 keys) | $latency | – | < 20 | |"
}

# The sum of sizes such as 12.3kB or 4MB, one per line, in MiB.
mib_sum() {
  python3 -c '
import re, sys
units = {"B": 1 / 2**20, "kB": 1 / 1024, "KiB": 1 / 1024, "MB": 1, "MiB": 1, "GB": 1024, "GiB": 1024}
sizes = [re.match(r"([0-9.]+)(\w+)", line) for line in sys.stdin]
print("%.1f" % sum(float(m[1]) * units[m[2]] for m in sizes if m))'
}

# "mem_mib cpu_pct" of a compose project's containers now (docker stats, one sample).
project_stats() {
  local ids; ids=$(docker ps -q --filter "label=com.docker.compose.project=$1")
  local sample; sample=$(docker stats --no-stream --format '{{.MemUsage}} {{.CPUPerc}}' $ids)
  printf '%s %s\n' "$(cut -d' ' -f1 <<<"$sample" | mib_sum)" "$(awk '{s += $4} END {printf "%.1f", s}' <<<"${sample//%/}")"
}

# CPU seconds a compose project's containers (and what was exec'd in them) have used so far,
# from their cgroups (v1 cpuacct, else v2 cpu.stat).
project_cpu_seconds() {
  local total=0 id usage
  for id in $(docker ps -q --no-trunc --filter "label=com.docker.compose.project=$1"); do
    if [ -r "/sys/fs/cgroup/cpuacct/docker/$id/cpuacct.usage" ]; then
      usage=$(cat "/sys/fs/cgroup/cpuacct/docker/$id/cpuacct.usage")
    else
      usage=$(awk '/usage_usec/ {print $2 * 1000}' "/sys/fs/cgroup/system.slice/docker-$id.scope/cpu.stat" 2>/dev/null || echo 0)
    fi
    total=$(python3 -c "print($total + $usage)")
  done
  python3 -c "print(f'{$total / 1e9:.1f}')"
}

# "mem cpu layers limits ports" of a live project: medians of RUNS samples, writable layers
# (MiB), the sum of its mem_limit (MiB) and the host ports it publishes.
project_footprint() {
  local project=$1 mems=() cpus=() mem cpu
  project_cpu_seconds "$project" > "$FIREDRILL_HOME/boot-cpu"
  sleep "${SETTLE:-10}"
  for i in $(seq "${RUNS:-3}"); do
    read -r mem cpu <<<"$(project_stats "$project")"; mems+=("$mem"); cpus+=("$cpu")
    [ "$i" -lt "${RUNS:-3}" ] && sleep 5
  done
  local ids; ids=$(docker ps -q --filter "label=com.docker.compose.project=$project")
  printf '%s %s %s %s %s %s\n' "$(cat "$FIREDRILL_HOME/boot-cpu")" "$(median "${mems[@]}")" "$(median "${cpus[@]}")" \
    "$(docker ps -s --format '{{.Size}}' --filter "label=com.docker.compose.project=$project" | cut -d' ' -f1 | mib_sum)" \
    "$(docker inspect --format '{{.HostConfig.Memory}}' $ids | awk '{s += $1} END {printf "%d", s / 1048576}')" \
    "$(docker inspect --format '{{range $p, $b := .NetworkSettings.Ports}}{{range $b}}{{.HostPort}} {{end}}{{end}}' $ids | wc -w)"
}

bench_footprint() {
  local ws api out run level bare
  ws=$(bare_workspace)
  api=$(sed -n 's/^FD_API_PORT=//p' "$ws/.env")
  $COMPOSE -p "fdbench$$" -f "$ws/compose.yaml" up -d >/dev/null 2>&1
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$api/api/health")" = 200 ]; do sleep 0.1; done
  bare=$(project_footprint "fdbench$$")
  $COMPOSE -p "fdbench$$" -f "$ws/compose.yaml" down -v -t 3 >/dev/null 2>&1
  rm -rf "$ws"
  echo
  echo "One run once its fault is live: medians of ${RUNS:-3} docker stats samples, ${SETTLE:-10} s after start ($(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(date -u +%Y-%m-%d)):"
  echo
  echo "| level | boot CPU (s) | memory (MiB) | vs bare stack | CPU idle (% of a core) | writable layers (MiB) | mem limits (MiB) | host ports |"
  echo "|---|---|---|---|---|---|---|---|"
  read -r boot mem cpu layers limits ports <<<"$bare"
  echo "| bare stack | $boot | $mem | 1.00× | $cpu | $layers | $limits | $ports |"
  local bare_mem=$mem
  for level in ${LEVELS:-$($BIN levels --json | python3 -c 'import json,sys; print(" ".join(l["id"] for l in json.load(sys.stdin)))')}; do
    if ! out=$($BIN start "$level" --json 2>/dev/null); then echo "| $level | failed to start | | | | | | |"; continue; fi
    run=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["run"])')
    read -r boot mem cpu layers limits ports <<<"$(project_footprint "firedrill-$run")"
    $BIN stop --run "$run" >/dev/null
    echo "| $level | $boot | $mem | $(ratio "$mem" "$bare_mem")× | $cpu | $layers | $limits | $ports |"
  done
}

steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(boot fix stop)
for step in "${steps[@]}"; do
  case "$step" in
    boot) bench_boot ;;
    fix) bench_fix ;;
    stop) bench_stop ;;
    build) bench_build ;;
    console) bench_console ;;
    footprint) bench_footprint ;;
    class) "$(command -v swift || echo /opt/swift/usr/bin/swift)" build --product ClassBench >/dev/null && .build/debug/ClassBench "${TRAINEES:-30}" "${RATE:-5}" "${SECONDS_CLASS:-60}" ;;
    *) echo "unknown benchmark '$step' (boot, fix, stop, build, console, footprint, class)" >&2; exit 2 ;;
  esac
done
