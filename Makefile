# Makefile: builds vertelpunt, its tests, fuzzers and benchmarks. See README.md.
# `make run` and `make test` are the two entry points; both install what is
# missing through scripts/setup.sh first.

BUILD    ?= build
SAN      ?=
CC       ?= cc
PKGS     := libmicrohttpd sqlite3 jansson libsodium liboath libqrencode vips gsl libcurl libical xlsxwriter libutf8proc libpq
VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
GITREV   := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

WARN     := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wstrict-prototypes -Wno-unused-parameter
HARDEN   := -fstack-protector-strong -fPIE -D_FORTIFY_SOURCE=2
ifeq ($(SAN),1)
  OPT    := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
  HARDEN := -fstack-protector-strong -fPIE
else ifeq ($(SAN),fuzz)
  # The library for libFuzzer targets (tests/fuzz/run.sh, with CC=clang):
  # coverage-instrumented without libFuzzer's main; clang's warnings are
  # shown, not fatal (the gcc build above is the one that gates).
  OPT    := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=all
  WARN   := -Wall -Wextra -Wno-unused-parameter
  HARDEN := -fPIE
else
  OPT    := -O2 -g
endif
CFLAGS   += -MMD -MP -std=c17 -D_GNU_SOURCE $(OPT) $(WARN) $(HARDEN) -pthread -Isrc -I$(BUILD) \
            -DVP_VERSION='"$(VERSION)"' -DVP_GITREV='"$(GITREV)"' \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDFLAGS  += -pie -Wl,-z,relro,-z,now -pthread $(filter -fsanitize%,$(OPT))
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lroaring -lstemmer -lm

LIB_SRC  := $(sort $(wildcard src/core/*.c src/db/*.c src/model/*.c src/analysis/*.c \
                              src/http/*.c src/web/*.c src/io/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/embedded.o
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
PG_SRC   := $(sort $(wildcard tests/pg/test_*.c))
PG_BIN   := $(PG_SRC:tests/pg/%.c=$(BUILD)/tests/pg/%)
HTTP_SRC := $(sort $(wildcard tests/http/test_*.c))
HTTP_BIN := $(HTTP_SRC:tests/http/%.c=$(BUILD)/tests/%)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))

# Embedded files: the CSS bundle (component library + theme tokens + ours),
# our scripts, the migrations, the compiled message catalogs and the script
# library (templates/scripts).
NPM_CSS  := node_modules/@utrecht/component-library-css/dist/index.css \
            node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css
ASSETS   := $(sort $(wildcard assets/*.css assets/*.js assets/*.json assets/*.svg assets/*.txt assets/*.ico))
MIGRATIONS := $(sort $(wildcard src/db/schema/*.sql))
TEMPLATES := $(sort $(wildcard templates/scripts/*.json)) templates/voorbeeldkaart.png templates/demo/wmo-vertelpunt-demo.json
LANGS    := nl en
CATALOGS := $(LANGS:%=$(BUILD)/locale/%.mo)

.PHONY: all run test unit unit-pg http http-pg cli cli-pg durability durability-pg migrate-data-pg asan fuzz browser check-injection i18n-check bench format \
        format-check format-check-count clean setup demo

all: $(BUILD)/vertelpunt

setup: $(BUILD)/.setup-done
$(BUILD)/.setup-done: scripts/setup.sh package.json package-lock.json
	@mkdir -p $(BUILD)
	bash scripts/setup.sh
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

CLI_SRC  := src/main.c $(sort $(wildcard src/cli/*.c))
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)

$(BUILD)/vertelpunt: $(CLI_OBJ) $(BUILD)/libvp.a | $(BUILD)/.injection-ok
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The build fails on SQL or HTML assembled with printf (DESIGN rules 4, 5).
$(BUILD)/.injection-ok: scripts/check-injection.sh $(LIB_SRC) $(CLI_SRC) $(wildcard src/*/*.h)
	@mkdir -p $(BUILD)
	@bash scripts/check-injection.sh src
	@touch $@

$(BUILD)/libvp.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c | $(BUILD)/gen/embedded.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/gen/embedded.o: $(BUILD)/gen/embedded.c src/gen/embedded.h
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/embed: tools/embed.c
	@mkdir -p $(BUILD)
	$(CC) -O2 -o $@ $<

$(BUILD)/assets/vertelpunt.css: $(NPM_CSS) node_modules/.package-lock.json
	@mkdir -p $(dir $@)
	cat $(NPM_CSS) > $@

$(BUILD)/locale/%.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

$(BUILD)/gen/embedded.c: $(BUILD)/embed $(ASSETS) $(MIGRATIONS) $(TEMPLATES) $(CATALOGS) $(BUILD)/assets/vertelpunt.css
	@mkdir -p $(dir $@)
	$(BUILD)/embed $@ @assets vertelpunt.css=$(BUILD)/assets/vertelpunt.css \
	  $(foreach f,$(ASSETS),$(notdir $(f))=$(f)) \
	  @migrations $(foreach f,$(MIGRATIONS),$(notdir $(f))=$(f)) \
	  @catalogs $(foreach l,$(LANGS),$(l)=$(BUILD)/locale/$(l).mo) \
	  @templates $(foreach f,$(TEMPLATES),$(notdir $(f))=$(f))

# ---- tests --------------------------------------------------------------

$(BUILD)/tests/test_%: tests/unit/test_%.c tests/unit/testutil.h tests/unit/testdb.h $(BUILD)/libvp.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -o $@ $< $(BUILD)/libvp.a $(LDFLAGS) $(LDLIBS) -lcmocka

$(BUILD)/tests/test_%: tests/http/test_%.c tests/http/httpclient.h tests/http/fixture.h tests/http/webtest.h tests/unit/testdb.h $(BUILD)/libvp.a $(BUILD)/vertelpunt
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -o $@ $< $(BUILD)/libvp.a $(LDFLAGS) $(LDLIBS) -lcmocka

unit: $(UNIT_BIN)
	@bash tests/run-cmocka.sh $(UNIT_BIN)

# The PostgreSQL driver's tests and the unit tests again on PostgreSQL, in a
# throw-away cluster that tests/pg/run.sh starts and stops (docs/testing.md).
$(BUILD)/tests/pg/test_%: tests/pg/test_%.c tests/unit/testutil.h tests/unit/testdb.h $(BUILD)/libvp.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -o $@ $< $(BUILD)/libvp.a $(LDFLAGS) $(LDLIBS) -lcmocka

unit-pg: $(PG_BIN) $(UNIT_BIN)
	@bash tests/pg/run.sh $(PG_BIN) $(UNIT_BIN)

# Two `vertelpunt serve` instances on one PostgreSQL database behave as one
# (scheduled work once, sessions, lockout, the index); skipped when
# PostgreSQL is not installed (tests/pg/test_instances.py).
.PHONY: instances
instances: $(BUILD)/vertelpunt
	python3 tests/pg/test_instances.py $(BUILD)/vertelpunt

http: $(HTTP_BIN)
	@bash tests/run-cmocka.sh $(HTTP_BIN)

# The HTTP tests again on PostgreSQL: each binary's server on a fresh schema
# of the throw-away cluster (tests/http/fixture.h with VP_TEST_DB).
http-pg: $(HTTP_BIN)
	@bash tests/pg/run.sh $(HTTP_BIN)

cli: $(BUILD)/vertelpunt
	bash tests/cli/test_cli.sh $(BUILD)/vertelpunt
	bash tests/cli/test_privacy.sh $(BUILD)/vertelpunt
	bash tests/cli/test_backup.sh $(BUILD)/vertelpunt
	bash tests/cli/test_script.sh $(BUILD)/vertelpunt
	bash tests/cli/test_collection.sh $(BUILD)/vertelpunt
	bash tests/cli/test_import.sh $(BUILD)/vertelpunt
	bash tests/cli/test_analyse.sh $(BUILD)/vertelpunt
	bash tests/cli/test_demo.sh $(BUILD)/vertelpunt
	bash tests/cli/test_mail.sh $(BUILD)/vertelpunt
	bash tests/cli/test_method.sh $(BUILD)/vertelpunt
	bash tests/cli/test_search.sh $(BUILD)/vertelpunt
	bash tests/cli/test_keyness.sh $(BUILD)/vertelpunt
	bash tests/cli/test_themes.sh $(BUILD)/vertelpunt
	bash tests/cli/test_themes_rising.sh $(BUILD)/vertelpunt

# The command-line tests again on PostgreSQL (tests/pg/cli.sh): each script's
# databases are schemas of a throw-away cluster; SQLite-only scripts left out there.
cli-pg: $(BUILD)/vertelpunt
	bash tests/pg/cli.sh $(BUILD)/vertelpunt

durability: $(BUILD)/vertelpunt
	python3 tests/durability/test_kill.py $(BUILD)/vertelpunt 4

# Two instances on one PostgreSQL database while it crashes and comes back
# (its own throw-away cluster; skipped when PostgreSQL is not installed).
.PHONY: outage
outage: $(BUILD)/vertelpunt
	python3 tests/pg/test_outage.py $(BUILD)/vertelpunt 3

# On PostgreSQL, each with a throw-away cluster of its own (scripts/pg-cluster.sh):
# the durability test, and `vertelpunt migrate-data` moving a demo installation.
durability-pg: $(BUILD)/vertelpunt
	bash tests/durability/run_pg.sh $(BUILD)/vertelpunt 4

migrate-data-pg: $(BUILD)/vertelpunt
	bash tests/cli/test_migrate_data.sh $(BUILD)/vertelpunt

asan:
	$(MAKE) BUILD=build/asan SAN=1 unit http

fuzz:
	bash tests/fuzz/run.sh $(FUZZ_SECONDS)

browser: $(BUILD)/vertelpunt node_modules/.package-lock.json
	VP_BIN=$(BUILD)/vertelpunt node --test --test-concurrency=$(or $(JOBS),2) tests/browser/

check-injection:
	bash scripts/check-injection.sh src
	bash tests/check-injection-selftest.sh

i18n-check: $(BUILD)/vertelpunt
	bash scripts/i18n-check.sh

test: setup
	bash tests/run-all.sh

# A fresh make after setup: the compiler flags come from pkg-config, which
# only knows the libraries once setup has installed them.
run: setup
	$(MAKE) $(BUILD)/vertelpunt
	bash scripts/run-demo.sh $(BUILD)/vertelpunt

bench: setup
	$(MAKE) $(BUILD)/vertelpunt
	bash bench/run.sh
	bash bench/stories.sh
	$(MAKE) $(BUILD)/bench_analysis
	BUILD=$(BUILD) bash bench/analysis.sh
	BUILD=$(BUILD) bash bench/explorer.sh
	BUILD=$(BUILD) bash bench/search.sh
	BUILD=$(BUILD) bash bench/keyness.sh
	BUILD=$(BUILD) bash bench/themes.sh
	bash bench/pg_submit.sh
	bash bench/pg_index.sh

# The pattern engine's benchmark (bench/analysis.sh), linked like the unit tests.
$(BUILD)/bench_analysis: bench/bench_analysis.c $(BUILD)/libvp.a
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libvp.a $(LDFLAGS) $(LDLIBS)

# Full-text search on the demo database (bench/search.sh).
$(BUILD)/bench_search: bench/bench_search.c $(BUILD)/libvp.a
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libvp.a $(LDFLAGS) $(LDLIBS)

# Keyness on the demo database (bench/keyness.sh).
$(BUILD)/bench_keyness: bench/bench_keyness.c $(BUILD)/libvp.a
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libvp.a $(LDFLAGS) $(LDLIBS)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

# The same, with a count line for tests/run-all.sh.
format-check-count:
	@n=0; bad=0; for f in $$(git ls-files '*.c' '*.h'); do n=$$((n+1)); \
	  clang-format --dry-run --Werror "$$f" >/dev/null 2>&1 || { bad=$$((bad+1)); echo "not formatted: $$f"; }; \
	done; echo "format: $$((n-bad)) passed, $$bad failed"; [ $$bad -eq 0 ]

clean:
	rm -rf build
-include $(shell find $(BUILD) -name "*.d" 2>/dev/null)
