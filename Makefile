# Set-up and everyday commands. Each target creates .venv on first use.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# StyLua (pinned) from npm into .tools/ where npm exists; the StyLua test skips where it does not.
STYLUA_VERSION := 2.5.2
STYLUA := .tools/node_modules/.bin/stylua

.PHONY: build test bench golden mutation format stylua clean

build: $(STAMP)
	$(BIN)/luaugen build

test: $(STAMP) stylua
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m luaugen.bench --output BENCHMARKS.md

golden: $(STAMP)
	$(BIN)/python -m tests.golden.update

# Formats the static runtime with the repository's stylua.toml (the generated modules come out formatted).
format: stylua
	@test -x $(STYLUA) || { echo "format needs StyLua: install npm, then run make stylua" >&2; exit 2; }
	$(STYLUA) runtime/

# Quiet, bounded and idempotent: skipped without npm, a no-op once the pinned version is installed.
stylua:
	@if [ -x $(STYLUA) ] && $(STYLUA) --version 2>/dev/null | grep -qx 'stylua $(STYLUA_VERSION)'; then :; \
	elif command -v npm >/dev/null 2>&1; then \
		npm install --no-save --fetch-timeout=60000 --fetch-retries=1 --no-audit --no-fund --loglevel=error --prefix .tools \
			@johnnymorganz/stylua-bin@$(STYLUA_VERSION) </dev/null >/dev/null \
			|| echo "StyLua install failed; the StyLua test will skip" >&2; \
	fi

# Slow (minutes): every mutant in mutation/catalogue.yaml against its tests; not part of `make test`.
mutation: $(STAMP)
	$(BIN)/python -m mutation.run --output MUTATION.md

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || { py=$$(sh .ci/find-python) && $$py -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) .tools build dist *.egg-info
