# Fuzzing: libFuzzer targets in Fuzz/ (a package of its own; docs/fuzzing.md). Included by
# the top-level Makefile; not part of `make test`.
#
#   make fuzz                 builds the targets, runs each for RUNS inputs (default 10^6)
#   make fuzz RUNS=100000     fewer inputs
#   make fuzz FUZZ_TIME=20    each for 20 s instead
#   make fuzz FUZZ_CONFIG=debug   a debug build: quicker to compile, slower to run (not
#                             tried yet: CI and the figures in docs/fuzzing.md use release)
#   make fuzz FUZZ_TARGETS="session config"
#
# A crash fails the run and leaves the input in .build-fuzz/artifacts/<target>/.

limber_fuzz_saved_goal := $(.DEFAULT_GOAL)

RUNS ?= 1000000
FUZZ_TIME ?=
FUZZ_TARGETS ?= session config program control
FUZZ_SCRATCH ?= .build-fuzz
# Release by default, as fuzzing wants speed; the targets' own checks do not depend on asserts.
FUZZ_CONFIG ?= release
# Every module is compiled with libFuzzer's coverage and AddressSanitizer.
LIMBER_FUZZ_SWIFT = $(SWIFT) build -c $(FUZZ_CONFIG) --package-path Fuzz --scratch-path "$(FUZZ_SCRATCH)" \
	-Xswiftc -sanitize=fuzzer,address

.PHONY: fuzz fuzz-build

fuzz-build: setup
	$(LIMBER_FUZZ_SWIFT)

fuzz: fuzz-build
	SCRATCH="$(FUZZ_SCRATCH)" CONFIG="$(FUZZ_CONFIG)" RUNS="$(RUNS)" TIME="$(FUZZ_TIME)" TARGETS="$(FUZZ_TARGETS)" sh Fuzz/run.sh

.DEFAULT_GOAL := $(limber_fuzz_saved_goal)
