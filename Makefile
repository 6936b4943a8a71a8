# Limber: `make run` builds and runs limberd with built-in defaults; `make test` runs the tests.
SWIFT ?= swift
export PATH := /opt/swift/usr/bin:$(PATH)

# Debian packages: to build (ALSA headers, SQLite) and to run the tests (PulseAudio and
# PipeWire servers with null sinks, ALSA's pulse plugin, a D-Bus daemon, systemd-analyze,
# Chromium for the report). Not pipewire-alsa: it conflicts with pulseaudio.
BUILD_PACKAGES := libasound2-dev libsqlite3-dev pkg-config libespeak-ng-dev espeak-ng-data libsoxr-dev libsystemd-dev
TEST_PACKAGES := pulseaudio pulseaudio-utils libasound2-plugins pipewire wireplumber pipewire-pulse dbus-daemon \
	systemd chromium zlib1g-dev libsystemd-dev python3-dbusmock

# Where `make run` puts the socket when XDG_RUNTIME_DIR is not set (e.g. a root shell).
RUN_RUNTIME_DIR := $(or $(XDG_RUNTIME_DIR),/tmp/limber-runtime-$(shell id -u))

.DEFAULT_GOAL := run
.PHONY: setup setup-test build run test bench clean

setup:
	@sh mk/setup.sh $(BUILD_PACKAGES)

setup-test: setup
	@sh mk/setup.sh $(TEST_PACKAGES)

build: setup
	$(SWIFT) build --product limberd
	$(SWIFT) build --product limber
	$(SWIFT) build --product limber-tools

run: build
	@mkdir -p -m 0700 "$(RUN_RUNTIME_DIR)"
	@echo "limberd: socket $(RUN_RUNTIME_DIR)/limber/control.sock; in another terminal:"
	@echo "  export XDG_RUNTIME_DIR=$(RUN_RUNTIME_DIR)   # only if it was not set"
	@echo "  $$($(SWIFT) build --show-bin-path)/limber start desk-reset && $$($(SWIFT) build --show-bin-path)/limber watch"
	XDG_RUNTIME_DIR="$(RUN_RUNTIME_DIR)" "$$($(SWIFT) build --show-bin-path)/limberd" --sessions Sessions

# At most this many tests at once. Swift Testing otherwise starts every test together, and on
# a small, busy machine the end-to-end tests' daemons then wait for CPU long enough to run
# over their time limits, which count from each test's start (409 tests pass in 101 s at 6
# on two cores with a fuzzer on one; they take 86 s all at once on a quiet machine).
TEST_WIDTH ?= 6
export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH = $(TEST_WIDTH)

test: setup-test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip HeardTimingTests
	@# What a listener hears at real sound servers, run alone so that "quiet" is quiet.
	$(SWIFT) test --skip-build --filter HeardTimingTests
	sh tests/systemd-verify.sh
	CONFIG=debug sh tests/install-roundtrip.sh

bench: setup
	sh bench/run.sh

clean:
	rm -rf .build

include mk/install.mk
include mk/fuzz.mk
include mk/sanitizers.mk
