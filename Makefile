# Herald — build, test, bench, demo, install.
SWIFT      ?= swift
PREFIX     ?= /usr/local
BUILD_DIR  ?= .build
HERALD_DBG  = $(BUILD_DIR)/debug/herald
HERALD_REL  = $(BUILD_DIR)/release/herald
DEMO_JOB   ?= examples/weekly-report/job.yaml

.PHONY: all build release test golden demo bench bench-smoke install uninstall clean help

all: build

help:
	@echo "make build        debug build of herald"
	@echo "make test         build, then run every test (unit, golden bytes, error corpus, sending)"
	@echo "make demo         build, then dry-run $(DEMO_JOB) (no token, no network)"
	@echo "make golden       rewrite golden files from the current build (review the diff!)"
	@echo "make bench        benchmarks (release build)"
	@echo "make install      install herald to PREFIX=$(PREFIX)"

build:
	$(SWIFT) build --product herald

release:
	$(SWIFT) build -c release --product herald

# The CLI tests run the herald binary, so build it before the tests.
test:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

golden:
	$(SWIFT) build --build-tests
	UPDATE_GOLDEN=1 $(SWIFT) test --skip-build --filter 'GoldenTests|ErrorCorpusTests' || true
	git status --short Tests/Fixtures

demo: build
	@echo "== herald plan $(DEMO_JOB)"
	@$(HERALD_DBG) plan $(DEMO_JOB)
	@echo
	@echo "== herald send --dry-run $(DEMO_JOB)   (the exact request bodies; nothing is sent)"
	@$(HERALD_DBG) send --dry-run $(DEMO_JOB)

bench:
	@bash bench/run.sh

bench-smoke:
	@bash bench/run.sh --smoke

install: release
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(HERALD_REL) $(DESTDIR)$(PREFIX)/bin/herald

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/herald

clean:
	rm -rf $(BUILD_DIR)
