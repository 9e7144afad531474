# Set-up and everyday commands. Each target creates .venv on first use.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test bench golden mutation clean

build: $(STAMP)
	$(BIN)/luaugen build

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m luaugen.bench --output BENCHMARKS.md

golden: $(STAMP)
	$(BIN)/python -m tests.golden.update

# Slow (minutes): every mutant in mutation/catalogue.yaml against its tests; not part of `make test`.
mutation: $(STAMP)
	$(BIN)/python -m mutation.run --output MUTATION.md

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || { py=$$(sh .ci/find-python) && $$py -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info
