# Two entry points (see README): `make demo` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test check lint venv clean train-claims

$(STAMP): pyproject.toml requirements/model.txt
	@command -v $(PY) >/dev/null 2>&1 || { echo "need $(PY) on PATH (or run: make PY=python3 ...)"; exit 2; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --require-hashes --no-deps -r requirements/model.txt
	$(BIN)/pip install -q -e .
	touch $(STAMP)

# The test tools plus the optional engines, so their tests run rather than skip.
$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install -q -e '.[test,ray,postgres]'
	touch $(TEST_STAMP)

venv: $(STAMP)

demo: $(STAMP)
	rm -f demo.db
	$(BIN)/eventledger ingest examples/articles --db demo.db
	$(BIN)/eventledger summary --db demo.db
	$(BIN)/eventledger serve --db demo.db --host 127.0.0.1 --port 8000

# PostgreSQL tests run when EVENTLEDGER_TEST_PG_URL names a server
# (.ci/run starts one with scripts/start_postgres.sh); they skip otherwise.
test: $(TEST_STAMP)
	$(BIN)/python -m pytest -q

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

check: lint test

# Trained models (docs/models.md): each is rebuilt by one command from the
# shared datasets (DATA), deterministically, on 2 CPU cores.
DATA ?= ../shared/data

# The attribution span tagger (claims.model.v1), from PolNeAR's train split,
# epochs picked on dev; about 15 minutes, most of it spaCy parsing the corpus.
train-claims: $(STAMP)
	$(BIN)/python -m eventledger.stages.claims.training --data $(DATA)

clean:
	rm -rf $(VENV) demo.db .pytest_cache
