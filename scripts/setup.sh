#!/usr/bin/env bash
# Sets up what firedrill needs on this machine, and only what is missing:
#   packages    build and runtime Debian packages (Debian, as root)
#   docker      a Docker daemon that answers (started by hand when none runs)
#   base-image  debian:bookworm-slim, made locally with debootstrap when it cannot be pulled
#   browser     Chromium and its WebDriver (chromium, chromium-driver), for the end-to-end tests
#               that open the web app in a real browser; `make test` runs this step, play does not
#   postgres    the PostgreSQL server, for the tests of the class store (they start a throwaway
#               cluster of their own); `make test` and `make unit` run this step
# With no argument, the first three in that order. Each step is quick when already done.
set -euo pipefail

say() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

BUILD_PACKAGES="libncurses-dev libsqlite3-dev libvterm-dev libpq-dev pkg-config"
RUNTIME_PACKAGES="docker.io docker-compose debootstrap tmux curl"
TEST_PACKAGES="chromium chromium-driver"
POSTGRES_PACKAGES="postgresql"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root to run: $*"; fi
}

# Installs the Debian packages named as arguments that are not installed yet.
packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null; then
    die "this is not a Debian-like system; install: ${missing[*]} (and a Docker engine with compose)"
  fi
  say "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # docker.io would replace a docker client installed outside apt; keep the existing client.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confold "${missing[@]}" >/dev/null
}

docker_answers() { timeout 10 docker info >/dev/null 2>&1; }

docker_daemon() {
  docker_answers && return 0
  command -v dockerd >/dev/null || die "no Docker daemon answers and dockerd is not installed (run: $0 packages)"
  say "starting dockerd (log: /var/log/firedrill-dockerd.log)"
  if command -v systemctl >/dev/null && systemctl is-system-running >/dev/null 2>&1; then
    as_root systemctl start docker || true
  fi
  if ! docker_answers; then
    as_root sh -c 'setsid dockerd >/var/log/firedrill-dockerd.log 2>&1 < /dev/null &'
  fi
  for _ in $(seq 1 60); do docker_answers && return 0; sleep 1; done
  tail -20 /var/log/firedrill-dockerd.log >&2 || true
  die "dockerd did not answer within 60 s"
}

apt_mirror() {
  # The mirror this machine's apt uses, read from its sources.
  local uri
  uri=$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
        | grep -v security | head -1 | awk '{print ($1=="URIs:") ? $2 : $2}')
  [ -n "$uri" ] || uri="http://deb.debian.org/debian"
  printf '%s\n' "$uri"
}

base_image() {
  docker image inspect debian:bookworm-slim >/dev/null 2>&1 && return 0
  if timeout 60 docker pull -q debian:bookworm-slim >/dev/null 2>&1; then return 0; fi
  local dir mirror
  dir=$(mktemp -d /tmp/firedrill-rootfs.XXXXXX)
  mirror=$(apt_mirror)
  say "no registry: building debian:bookworm-slim with debootstrap from $mirror"
  as_root debootstrap --variant=minbase bookworm "$dir" "$mirror" >/tmp/firedrill-debootstrap.log 2>&1 \
    || { tail -20 /tmp/firedrill-debootstrap.log >&2; die "debootstrap failed"; }
  as_root rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
  as_root tar -C "$dir" -c . | docker import - debian:bookworm-slim >/dev/null
  as_root rm -rf "$dir"
}

steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(packages docker base-image)
for s in "${steps[@]}"; do
  case "$s" in
    packages) packages $BUILD_PACKAGES $RUNTIME_PACKAGES ;;
    browser) packages $TEST_PACKAGES ;;
    postgres) packages $POSTGRES_PACKAGES ;;
    docker) docker_daemon ;;
    base-image) base_image ;;
    *) die "unknown step '$s' (packages, docker, base-image, browser, postgres)" ;;
  esac
done
