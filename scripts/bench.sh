#!/usr/bin/env bash
# Benchmarks, printed as a Markdown table of medians and ratios against a peer measured in the
# same run:
#   boot     `firedrill start LEVEL` until the fault is live (images built), per level,
#            against the bare stack: `docker-compose up -d` until the API first answers 200
#   build    `firedrill build` of the scenario images from scratch, against `docker build` of
#            the same contexts in a loop
#   console  `firedrill play` idle at 160x45 in tmux with a shell open, against htop in the same
#            tmux: CPU (share of one core over 30 s) and RSS; and key-to-echo latency in the Shell
#            pane: a key written to the console's terminal until its echo is drawn (30 keys)
# Usage: scripts/bench.sh [boot|build|console]... (default: boot and build). RUNS=n sets the samples (default 5
# for boot, 3 for build). Results belong in docs/benchmarks.md.
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

# The bare stack: the scenario's compose file as it is, no firedrill.
bare_boot() {
  local ws app api start
  ws=$(mktemp -d /tmp/firedrill-bare.XXXXXX)
  (cd "$SCENARIO" && tar --exclude=images --exclude=scenario.yaml -cf - .) | tar -C "$ws" -xf -
  app=$(free_port); api=$(free_port)
  printf 'FD_APP_PORT=%s\nFD_API_PORT=%s\nFD_APP_ORIGIN=http://127.0.0.1:%s\nFD_API_URL=http://127.0.0.1:%s\n' "$app" "$api" "$app" "$api" > "$ws/.env"
  start=$(now)
  $COMPOSE -p "fdbench$$" -f "$ws/compose.yaml" up -d >/dev/null 2>&1
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$api/api/health")" = 200 ]; do sleep 0.1; done
  python3 -c "print($(now) - $start)"
  $COMPOSE -p "fdbench$$" -f "$ws/compose.yaml" down -v -t 3 >/dev/null 2>&1
  rm -rf "$ws"
}

firedrill_boot() {
  local start out run
  start=$(now)
  out=$($BIN start "$1" --json)
  python3 -c "print($(now) - $start)"
  run=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["run"])')
  $BIN stop --run "$run" >/dev/null
}

bench_boot() {
  local runs=${RUNS:-5} bare=() times level m peer
  for _ in $(seq "$runs"); do bare+=("$(bare_boot)"); done
  peer=$(median "${bare[@]}")
  echo
  echo "Boot to fault live, median of $runs ($(nproc) cores, $(date -u +%Y-%m-%d)):"
  echo
  echo "| level | firedrill start | vs bare stack | bare stack up to 200 | samples |"
  echo "|---|---|---|---|---|"
  for level in $($BIN levels --json | python3 -c 'import json,sys; print(" ".join(l["id"] for l in json.load(sys.stdin)))'); do
    times=()
    for _ in $(seq "$runs"); do times+=("$(firedrill_boot "$level")"); done
    m=$(median "${times[@]}")
    row "$level" "$m" "$(ratio "$m" "$peer")×" "$peer" "${times[*]}"
  done
}

remove_images() {
  local tags
  tags=$(python3 -c 'import re; print(" ".join(re.findall(r"tag:\s*(\S+)", open("'"$SCENARIO"'/scenario.yaml").read())))')
  # shellcheck disable=SC2086
  docker rmi -f $tags >/dev/null 2>&1 || true
  docker image prune -f >/dev/null 2>&1 || true
  echo "$tags"
}

bench_build() {
  local runs=${RUNS:-3} ours=() peers=() start tags m peer
  for _ in $(seq "$runs"); do
    remove_images >/dev/null
    start=$(now); $BIN build billing >/dev/null; ours+=("$(python3 -c "print($(now) - $start)")")
    tags=$(remove_images)
    start=$(now)
    for tag in $tags; do
      name=${tag##*-}
      docker build -q -t "$tag" "$SCENARIO/images/$name" >/dev/null
    done
    peers+=("$(python3 -c "print($(now) - $start)")")
  done
  # Leave the images as firedrill builds them (with their content labels).
  $BIN build billing >/dev/null
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

# Idle CPU (% of one core) and RSS of the first child of a tmux pane, over $2 seconds.
idle_figures() {
  local pid=$1 seconds=$2 hz a b
  hz=$(getconf CLK_TCK)
  read -r a ac < <(proc_ticks "$pid")
  sleep "$seconds"
  read -r b bc < <(proc_ticks "$pid")
  python3 -c "print(f'{($b-$a)/$hz/$seconds*100:.2f} {($bc-$ac)/$hz/$seconds*100:.2f}')"
  proc_rss_mb "$pid"; echo
}

pane_child() { tmux display -p -t "$1" '#{pane_pid}'; }  # sh -c execs the one command

bench_console() {
  local out run seconds=${SECONDS_IDLE:-30} ours peer latency
  command -v htop >/dev/null || apt-get install -y htop >/dev/null
  BIN=$(realpath "$BIN")
  out=$($BIN start payload-too-large --json)
  run=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["run"])')
  tmux kill-session -t fdbench 2>/dev/null || true
  tmux new-session -d -s fdbench -x 160 -y 45 "env TERM=tmux-256color LANG=C.UTF-8 FIREDRILL_HOME=$FIREDRILL_HOME FIREDRILL_ROOT=$FIREDRILL_ROOT $BIN play --run $run --shell workspace"
  sleep 8
  ours=$(idle_figures "$(pane_child fdbench)" "$seconds")
  tmux kill-session -t fdbench
  tmux new-session -d -s fdbench -x 160 -y 45 "env TERM=tmux-256color htop"
  sleep 3
  peer=$(idle_figures "$(pane_child fdbench)" "$seconds")
  tmux kill-session -t fdbench
  latency=$(BIN=$BIN RUN=$run python3 scripts/console_latency.py)
  $BIN stop --run "$run" >/dev/null
  read -r our_cpu our_all our_rss <<<"$(echo $ours)"
  read -r peer_cpu _ peer_rss <<<"$(echo $peer)"
  echo
  echo "Console idle at 160x45 in tmux, shell open, $seconds s ($(nproc) cores, $(date -u +%Y-%m-%d), $BIN):"
  echo
  echo "| figure | firedrill play | htop | goal |"
  echo "|---|---|---|---|"
  echo "| CPU, own (% of a core) | $our_cpu | $peer_cpu | ≤ htop, < 1 |"
  echo "| CPU with its checks' processes | $our_all | – | – |"
  echo "| RSS (MB) | $our_rss | $peer_rss | < 50 |"
  echo "| key to echo in the Shell pane (median / p95 / max ms, 30 keys) | $latency | – | < 20 |"
}

steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(boot build)
for step in "${steps[@]}"; do
  case "$step" in
    boot) bench_boot ;;
    build) bench_build ;;
    console) bench_console ;;
    *) echo "unknown benchmark '$step' (boot, build, console)" >&2; exit 2 ;;
  esac
done
