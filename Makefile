# Two entry points (see README): `make demo` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

TRAIN_STAMP := $(VENV)/.installed-train
# Where the shared data sets live (each with its SOURCE.md).
DATA ?= ../shared/data

.PHONY: demo test check lint venv clean train-healthcare train-acled_subtype train-geo-ranker train-claims train-claims-v4 train-roles bench

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

# The training tools (scikit-learn); prediction needs only numpy.
$(TRAIN_STAMP): $(STAMP)
	$(BIN)/pip install -q -e '.[train]'
	touch $(TRAIN_STAMP)

# Trained models (docs/models.md): one command each, deterministic, 2 CPU cores.
# train-healthcare also runs the pipeline once on the dev sample, where its
# thresholds are picked (3 to 6 minutes in all; docs/models.md).
train-healthcare: $(TRAIN_STAMP)
	$(BIN)/python scripts/train_healthcare.py --data $(DATA)

train-acled_subtype: $(TRAIN_STAMP)
	$(BIN)/python scripts/train_acled_subtype.py --data $(DATA)

# The event-argument model (events.roles_model.v1) from MUC-4's training
# documents, cuts picked on MUC-4 dev (about 4 minutes on 2 cores).
train-roles: $(TRAIN_STAMP)
	$(BIN)/python scripts/train_roles.py --data $(DATA)

# What the accuracy benchmarks need beyond the core (MUC-4 restores the
# case of its lower-case texts with spacy-lookups-data's word table).
bench: $(STAMP)
	$(BIN)/pip install -q -e '.[bench,train]'

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

# Trained models (docs/models.md), each rebuilt from the shared gold data by
# one command; the result is the model file committed under
# src/eventledger/data/models/.
train-geo-ranker: $(STAMP)
	$(BIN)/python scripts/train_geo_ranker.py --data $(DATA)

# The attribution span tagger (claims.model.v2 and v3), from PolNeAR's train split,
# epochs picked on dev, cue words learned from train; numpy only, one process,
# deterministic (CPU time in docs/models.md).
train-claims: $(STAMP)
	$(BIN)/python -m eventledger.stages.claims.training --data $(DATA)

# PyTorch (the `ml` extra, a CPU wheel), for training only: the models predict with numpy.
ML_STAMP := $(VENV)/.installed-ml
$(ML_STAMP): $(STAMP)
	$(BIN)/pip install -q -e '.[ml]'
	touch $(ML_STAMP)

# The BiLSTM attribution tagger (claims.model.v4), from PolNeAR's train split, epoch
# picked on dev; one thread for torch and for numpy's BLAS (deterministic, and the
# small matrices of an LSTM step run slower when BLAS splits them over cores).
train-claims-v4: $(ML_STAMP)
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(BIN)/python -m eventledger.stages.claims.lstm_training --data $(DATA)

clean:
	rm -rf $(VENV) demo.db .pytest_cache
