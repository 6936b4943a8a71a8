# Installation of limberd and limber for one user. Included by the top-level
# Makefile; every variable can be overridden on the command line, e.g.
#   make install PREFIX=/tmp/try UNITDIR=/tmp/try-units
#
# `install` records every file and every directory it creates in $(MANIFEST);
# `uninstall` removes exactly those (directories only when empty), so that
# install followed by uninstall with the same variables leaves nothing behind.

# Included wherever the top-level Makefile likes: its default goal is kept.
limber_install_saved_goal := $(.DEFAULT_GOAL)

PREFIX ?= $(HOME)/.local
BINDIR ?= $(PREFIX)/bin
# limber-tools, which the thin `limber` starts for every command that is more than a request
# to limberd (it looks in ../libexec/limber/ from its own directory).
LIBEXECDIR ?= $(PREFIX)/libexec
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
UNITDIR ?= $(or $(XDG_CONFIG_HOME),$(HOME)/.config)/systemd/user
MANIFEST ?= $(DATADIR)/limber/install-manifest
SESSIONS_SOURCE ?= Sessions
PROGRAMS_SOURCE ?= Programs
SWIFT ?= swift
# Build configuration of what is installed; the test round trip uses debug, the
# quicker to compile.
CONFIG ?= release

# Installed binaries carry the Swift runtime and Foundation (--static-swift-stdlib), so
# they run without the toolchain. They are built in a scratch directory of their own:
# SwiftPM does not recompile when only --static-swift-stdlib changes, and objects compiled
# for the shared runtime do not link statically (undefined _FoundationICU symbols), so the
# static build cannot share .build with `swift build` and the tests.
LIMBER_STATIC_BUILD ?= .build/static
LIMBER_STATIC_SWIFT = $(SWIFT) build -c $(CONFIG) --scratch-path "$(LIMBER_STATIC_BUILD)" --static-swift-stdlib
LIMBER_INSTALL_STAGE := .build/install-stage
LIMBER_MANUALS := .build/plugins/GenerateManual/outputs
LIMBER_MANIFEST_TOOL := sh mk/manifest.sh install "$(MANIFEST)"

.PHONY: install uninstall install-build install-manuals test-systemd test-install

# For `make test`: unit verification, and the install round trip on the debug build.
test-systemd:
	sh tests/systemd-verify.sh

test-install:
	CONFIG=debug sh tests/install-roundtrip.sh

install-build:
	$(LIMBER_STATIC_SWIFT) --product limberd
	$(LIMBER_STATIC_SWIFT) --product limber
	$(LIMBER_STATIC_SWIFT) --product limber-tools

# ArgumentParser's plugin builds the whole package, linked against the shared runtime,
# and writes one page per ArgumentParser executable, in a directory named after the
# executable and a file named after its command: limber-tools' page is limber-tools/limber.1
# (the thin `limber` has no parser of its own, so no page). It cannot link statically (it takes
# no such option), so it builds in .build, and in debug mode whatever CONFIG is: the
# pages do not depend on it, and the debug build is the one `make build` and `make test`
# already made.
install-manuals:
	$(SWIFT) package plugin generate-manual --configuration debug
	@for page in limber-tools/limber limberd/limberd; do \
		test -s "$(LIMBER_MANUALS)/$$page.1" || { \
			echo "install: no man page $(LIMBER_MANUALS)/$$page.1" >&2; exit 1; }; \
	done

install: install-build install-manuals
	@set -e; \
	bin=$$($(LIMBER_STATIC_SWIFT) --show-bin-path); \
	rm -rf "$(LIMBER_INSTALL_STAGE)"; mkdir -p "$(LIMBER_INSTALL_STAGE)"; \
	for program in limberd limber; do \
		$(LIMBER_MANIFEST_TOOL) 0755 "$$bin/$$program" "$(BINDIR)/$$program"; \
	done; \
	$(LIMBER_MANIFEST_TOOL) 0755 "$$bin/limber-tools" "$(LIBEXECDIR)/limber/limber-tools"; \
	for session in $(wildcard $(SESSIONS_SOURCE)/*.yaml); do \
		$(LIMBER_MANIFEST_TOOL) 0644 "$$session" "$(DATADIR)/limber/sessions/$$(basename "$$session")"; \
	done; \
	for program in $(wildcard $(PROGRAMS_SOURCE)/*.yaml); do \
		$(LIMBER_MANIFEST_TOOL) 0644 "$$program" "$(DATADIR)/limber/programs/$$(basename "$$program")"; \
	done; \
	for unit in limberd.service limberd.socket; do \
		sed 's|@BINDIR@|$(abspath $(BINDIR))|g' "systemd/$$unit" >"$(LIMBER_INSTALL_STAGE)/$$unit"; \
		if grep -q '@[A-Z_]*@' "$(LIMBER_INSTALL_STAGE)/$$unit"; then \
			echo "install: unsubstituted placeholder in systemd/$$unit" >&2; exit 1; fi; \
		$(LIMBER_MANIFEST_TOOL) 0644 "$(LIMBER_INSTALL_STAGE)/$$unit" "$(UNITDIR)/$$unit"; \
	done; \
	"$$bin/limber-tools" --generate-completion-script bash >"$(LIMBER_INSTALL_STAGE)/limber.bash"; \
	"$$bin/limber-tools" --generate-completion-script zsh >"$(LIMBER_INSTALL_STAGE)/_limber"; \
	"$$bin/limber-tools" --generate-completion-script fish >"$(LIMBER_INSTALL_STAGE)/limber.fish"; \
	$(LIMBER_MANIFEST_TOOL) 0644 "$(LIMBER_INSTALL_STAGE)/limber.bash" "$(DATADIR)/bash-completion/completions/limber"; \
	$(LIMBER_MANIFEST_TOOL) 0644 "$(LIMBER_INSTALL_STAGE)/_limber" "$(DATADIR)/zsh/site-functions/_limber"; \
	$(LIMBER_MANIFEST_TOOL) 0644 "$(LIMBER_INSTALL_STAGE)/limber.fish" "$(DATADIR)/fish/vendor_completions.d/limber.fish"; \
	for page in limber-tools/limber limberd/limberd; do \
		$(LIMBER_MANIFEST_TOOL) 0644 "$(LIMBER_MANUALS)/$$page.1" "$(MANDIR)/man1/$$(basename "$$page").1"; \
	done
	@echo "Installed limber under $(PREFIX) and its units in $(UNITDIR); manifest: $(MANIFEST)"
	@echo "Start it with: systemctl --user daemon-reload && systemctl --user enable --now limberd.socket limberd.service"

# Enabled units leave symlinks that systemctl owns, not the manifest: refuse
# rather than leave them dangling.
uninstall:
	@for link in default.target.wants/limberd.service sockets.target.wants/limberd.socket; do \
		if [ -L "$(UNITDIR)/$$link" ]; then \
			echo "uninstall: limberd is still enabled; first run:" >&2; \
			echo "  systemctl --user disable --now limberd.service limberd.socket" >&2; \
			exit 1; \
		fi; \
	done
	@sh mk/manifest.sh uninstall "$(MANIFEST)"
	@echo "Removed everything listed in $(MANIFEST). Then run: systemctl --user daemon-reload"

.DEFAULT_GOAL := $(limber_install_saved_goal)
