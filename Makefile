# firedrill: the two commands are `make play` and `make test`. Every target sets up what is
# missing first (Debian packages, a Docker daemon, the base image, the scenario images), so
# both work on a fresh Debian machine as root.

SWIFT  ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
BIN    := .build/debug/firedrill
LEVEL  ?=
SEED   ?=
export FIREDRILL_ROOT := $(CURDIR)

.PHONY: play test unit e2e setup browser postgres docker build images lint doctor bench stop help

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 10

play: images ## play a level in the console (LEVEL=id, else a random one; SEED=n)
	$(BIN) play $(LEVEL) $(if $(SEED),--seed $(SEED))

test: images browser postgres ## unit tests, then every level proven end to end on the real Docker engine
	$(BIN) lint
	$(SWIFT) test --no-parallel

unit: postgres ## unit tests only (seconds, no Docker; the store's on a throwaway PostgreSQL)
	$(SWIFT) test --filter 'FiredrillEngineTests|FiredrillRulesTests|FiredrillConsoleTests|FiredrillStoreTests|FiredrillCLITests'

e2e: images browser ## end-to-end tests only
	$(SWIFT) test --no-parallel --filter EndToEndTests

setup: ## install the Debian packages, start Docker, make debian:bookworm-slim
	scripts/setup.sh

browser: ## install Chromium and chromedriver for the browser tests (Debian packages)
	scripts/setup.sh browser

postgres: ## install the PostgreSQL server the store tests start a cluster of (Debian package)
	scripts/setup.sh postgres

docker: ## start a Docker daemon if none answers
	scripts/setup.sh docker

build: ## build the firedrill binary
	$(SWIFT) build

images: setup build ## build the scenario images (cached)
	$(BIN) build

lint: build ## validate every level and compose file
	$(BIN) lint

doctor: build ## check this machine can run firedrill
	$(BIN) doctor

bench: images postgres ## boot (cold, warm, bare), fix-to-green, stop, image-build, console, run-footprint and class-database figures (docs/benchmarks.md)
	scripts/bench.sh boot fix stop build console footprint class

stop: build ## stop every run of this data directory
	$(BIN) stop --all
