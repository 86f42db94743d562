# Two entry points for a fresh machine (see README):
#   make demo   install kg, build the graph from examples/ into .kg/, write exports/
#   make test   install kg with its test tools, Chromium and Virtuoso, run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test install browser triplestores clean

$(BIN)/kg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(BIN)/kg

demo: install
	$(BIN)/kg build examples/
	$(BIN)/kg stats
	$(BIN)/kg export --format turtle --output exports/kg.ttl
	$(BIN)/kg export --format jsonl --output exports/kg.jsonl
	$(BIN)/kg export --format graphml --output exports/kg.graphml
	$(BIN)/kg viz method GRPO --output exports/viz-method-grpo.html
	$(BIN)/kg viz coauthors "Wei Zhang" --output exports/viz-coauthors-wei-zhang.html

browser:
	bash scripts/ensure-chromium.sh

triplestores:
	bash scripts/ensure-virtuoso.sh

test: install browser triplestores
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .kg .pytest_cache
