# The unit and end-to-end tests under AddressSanitizer and ThreadSanitizer (docs/fuzzing.md,
# "Sanitizers"). Included by the top-level Makefile; not part of `make test` (each build is
# the whole package again, instrumented, in a scratch directory of its own).
#
#   make check-sanitizers     check-asan, then check-tsan
#   make check-asan           every test that `make test` runs, built with ASan (and LeakSanitizer)
#   make check-tsan           the unit tests and the end-to-end suites (TSAN_END_TO_END), built
#                             with TSan
#
# The end-to-end tests start the limberd and limber built beside them, so the daemon and the
# client run instrumented too. Every report, from any process, is written to
# <scratch>/sanitizer-reports/ (the daemons' stderr goes to logs the tests delete), and any
# report there fails the target after the tests, which also fail on the exit code a report
# sets (86 for ASan and LeakSanitizer, 66 for TSan).

limber_sanitizers_saved_goal := $(.DEFAULT_GOAL)

ASAN_SCRATCH ?= .build-asan
TSAN_SCRATCH ?= .build-tsan
LIMBER_SANITIZER_SUPPRESSIONS := $(abspath mk/sanitizers)
LIMBER_ASAN_REPORTS = $(abspath $(ASAN_SCRATCH))/sanitizer-reports
LIMBER_TSAN_REPORTS = $(abspath $(TSAN_SCRATCH))/sanitizer-reports
LIMBER_ASAN_ENV = ASAN_OPTIONS=detect_leaks=1:exitcode=86:log_path=$(LIMBER_ASAN_REPORTS)/asan \
	LSAN_OPTIONS=suppressions=$(LIMBER_SANITIZER_SUPPRESSIONS)/lsan.supp:print_suppressions=0
LIMBER_TSAN_ENV = TSAN_OPTIONS=exitcode=66:halt_on_error=0:log_path=$(LIMBER_TSAN_REPORTS)/tsan:suppressions=$(LIMBER_SANITIZER_SUPPRESSIONS)/tsan.supp
# The end-to-end suites after the unit tests, one `swift test` per entry. Every suite by
# default: with at most 3 tests at once they pass within their time limits under TSan
# (85 tests in 219 s here). Name suites to run fewer, e.g.
# TSAN_END_TO_END="EndToEndTests.SessionControlTests EndToEndTests.HostileInputTests".
TSAN_END_TO_END ?= EndToEndTests
LIMBER_UNIT_TESTS := LimberCoreTests LimberAudioTests LimberSpawnTests LimberSpeechTests LimberProtocolTests \
	LimberDaemonTests LimberHistoryTests LimberReportTests LimberProgramTests
LIMBER_SANITIZER_VERDICT = sh mk/sanitizers/verdict.sh

.PHONY: check-sanitizers check-asan check-tsan

# Instrumented binaries run several times slower: fewer tests at once than `make test`.
SANITIZER_TEST_WIDTH ?= 3
check-asan check-tsan: export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH = $(SANITIZER_TEST_WIDTH)

check-sanitizers: check-asan check-tsan

check-asan: setup-test
	$(SWIFT) build --build-tests --scratch-path "$(ASAN_SCRATCH)" --sanitize=address
	@rm -rf "$(LIMBER_ASAN_REPORTS)" && mkdir -p "$(LIMBER_ASAN_REPORTS)"
	status=0; \
	$(LIMBER_ASAN_ENV) $(SWIFT) test --skip-build --scratch-path "$(ASAN_SCRATCH)" --sanitize=address \
		--skip HeardTimingTests || status=1; \
	$(LIMBER_ASAN_ENV) $(SWIFT) test --skip-build --scratch-path "$(ASAN_SCRATCH)" --sanitize=address \
		--filter HeardTimingTests || status=1; \
	$(LIMBER_SANITIZER_VERDICT) "$(LIMBER_ASAN_REPORTS)" $$status

check-tsan: setup-test
	$(SWIFT) build --build-tests --scratch-path "$(TSAN_SCRATCH)" --sanitize=thread
	@rm -rf "$(LIMBER_TSAN_REPORTS)" && mkdir -p "$(LIMBER_TSAN_REPORTS)"
	status=0; \
	$(LIMBER_TSAN_ENV) $(SWIFT) test --skip-build --scratch-path "$(TSAN_SCRATCH)" --sanitize=thread \
		$(foreach target,$(LIMBER_UNIT_TESTS),--filter '^$(target)\.') || status=1; \
	for suite in $(TSAN_END_TO_END); do \
		$(LIMBER_TSAN_ENV) $(SWIFT) test --skip-build --scratch-path "$(TSAN_SCRATCH)" --sanitize=thread \
			--skip HeardTimingTests --filter "$$suite" || status=1; \
	done; \
	$(LIMBER_SANITIZER_VERDICT) "$(LIMBER_TSAN_REPORTS)" $$status

.DEFAULT_GOAL := $(limber_sanitizers_saved_goal)
