# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# axe-core for the accessibility checks; without npm (or its registry) those checks skip with a reason.
NPM_STAMP := node_modules/.svcq-installed
OUT    ?= out

.PHONY: demo test lab bench lint docs clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

$(NPM_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --silent && touch $@ \
	  || echo "npm ci 失敗：無障礙（axe）檢查將註明原因後略過"; \
	else echo "找不到 npm：無障礙（axe）檢查將註明原因後略過"; fi

demo: $(STAMP)
	$(BIN)/svcq demo -o $(OUT)

test: $(STAMP) $(NPM_STAMP)
	$(BIN)/ruff check toolkit tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check toolkit tests bench
	$(BIN)/mypy

lab: $(STAMP)  # at the project root (samples/ and out/ visible), opening on notebooks/
	$(BIN)/pip install -q -c constraints.txt -e '.[test,lab]'
	$(BIN)/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks

bench: $(STAMP)
	$(BIN)/python -m bench

docs: $(STAMP)
	$(BIN)/python -m toolkit.cli.docs > docs/cli.md
	$(BIN)/python -m toolkit.catalogue > docs/errors.md

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache node_modules
