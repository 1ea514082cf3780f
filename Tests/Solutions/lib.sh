# Sourced by solution scripts (source "$(dirname "$0")/../lib.sh"): the steps many of them take,
# written once. Sourced, not run; any scenario.

# Runs a command on an instance of the run, as a trainee does with firedrill shell.
on() {
  local instance=$1
  shift
  firedrill shell "$instance" --run "$FIREDRILL_RUN" -- "$@"
}

# Sends a request (curl's arguments) until its status is WANT, or with WANT as !CODE until it is
# anything but CODE, as a person retries after a reload or a restart: at most TRIES times (40),
# EVERY seconds apart (0.25). Leaves the last status in $status; fails when it never came.
wait_for_status() {
  local want=$1 try
  shift
  for try in $(seq 1 "${TRIES:-40}"); do
    status=$(curl -s -o /dev/null -w '%{http_code}' "$@" || true)
    case "$want" in
      "!"*) [ "$status" != "${want#!}" ] && return 0 ;;
      *) [ "$status" = "$want" ] && return 0 ;;
    esac
    [ "$try" = "${TRIES:-40}" ] || sleep "${EVERY:-0.25}"
  done
  return 1
}
