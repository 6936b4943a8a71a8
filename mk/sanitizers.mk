# The unit and end-to-end tests under AddressSanitizer and ThreadSanitizer (docs/fuzzing.md,
# "Sanitizers"). Included by the top-level Makefile; not part of `make test` (each build is
# the whole package again, instrumented, in a scratch directory of its own).
#
#   make check-sanitizers     check-asan, then check-tsan
#   make check-asan           every test that `make test` runs, limberd and limber built with ASan
#   make check-tsan           the same under TSan, but for the suites in TSAN_SKIP
#
# The end-to-end tests start the limberd and limber built beside the tests, so the daemon
# and the client run instrumented too.

limber_sanitizers_saved_goal := $(.DEFAULT_GOAL)

ASAN_SCRATCH ?= .build-asan
TSAN_SCRATCH ?= .build-tsan
LIMBER_SANITIZER_SUPPRESSIONS := $(abspath mk/sanitizers)
# Reports go to stderr and fail the process (exit code 86 / 66), so a finding in limberd
# fails the end-to-end test that started it. LeakSanitizer runs with ASan.
LIMBER_ASAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86 \
	LSAN_OPTIONS=suppressions=$(LIMBER_SANITIZER_SUPPRESSIONS)/lsan.supp:print_suppressions=0
LIMBER_TSAN_ENV := TSAN_OPTIONS=exitcode=66:halt_on_error=0:suppressions=$(LIMBER_SANITIZER_SUPPRESSIONS)/tsan.supp
# What a listener hears, measured to the millisecond at real sound servers: under TSan the
# daemon runs several times slower, so these judge the instrumentation, not the code.
TSAN_SKIP ?= HeardTimingTests

.PHONY: check-sanitizers check-asan check-tsan

check-sanitizers: check-asan check-tsan

check-asan: setup-test
	$(SWIFT) build --build-tests --scratch-path "$(ASAN_SCRATCH)" --sanitize=address
	$(LIMBER_ASAN_ENV) $(SWIFT) test --skip-build --scratch-path "$(ASAN_SCRATCH)" --sanitize=address --skip HeardTimingTests
	$(LIMBER_ASAN_ENV) $(SWIFT) test --skip-build --scratch-path "$(ASAN_SCRATCH)" --sanitize=address --filter HeardTimingTests

check-tsan: setup-test
	$(SWIFT) build --build-tests --scratch-path "$(TSAN_SCRATCH)" --sanitize=thread
	$(LIMBER_TSAN_ENV) $(SWIFT) test --skip-build --scratch-path "$(TSAN_SCRATCH)" --sanitize=thread \
		$(foreach suite,$(TSAN_SKIP),--skip $(suite))

.DEFAULT_GOAL := $(limber_sanitizers_saved_goal)
