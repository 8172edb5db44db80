# Two entry points: `make publish` (the whole job, no broker) and `make test` (the whole suite).
# Installs come from requirements.lock (exact versions and hashes); `make lock` refreshes it on purpose.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
UV     := uv==0.13.9
# Quiet set-up: -qq keeps pip's errors and hides its progress and notices.
PIP    := $(BIN)/python -m pip -qq --disable-pip-version-check

.PHONY: publish test setup lock clean

$(STAMP): requirements.lock pyproject.toml setup.py $(wildcard workflow/*/*.c)
	@echo "setting up $(VENV) from requirements.lock (first run only, about a minute)..."
	@$(PYTHON) -m venv $(VENV)
	@$(PIP) install --require-hashes --no-deps -r requirements.lock
	@$(PIP) install --no-deps --no-build-isolation -e .
	@# bytecode written once: machines that set PYTHONDONTWRITEBYTECODE compiled the package again in every
	@# process (~80 ms each, six in the cold job); a stale .pyc is ignored by Python (source mtime and size)
	@$(BIN)/python -m compileall -q workflow
	@touch $(STAMP)

setup: $(STAMP)

# extract's and stats' exit 1 is a problem in some guides (named at their lines; their templates and catalogs
# left as they were): publish refuses those guides alone, so the job goes on; any other failure stops it.
publish: $(STAMP)
	@$(BIN)/workflow extract || [ $$? -eq 1 ]
	@$(BIN)/workflow check || true
	@$(BIN)/workflow stats || [ $$? -eq 1 ]
	@$(BIN)/workflow publish

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Re-resolve every dependency within pyproject.toml's ranges, then prove the new lock with the whole suite.
lock:
	@$(PYTHON) -m venv .lock-venv && .lock-venv/bin/python -m pip -qq install $(UV)
	.lock-venv/bin/uv pip compile -q --upgrade --generate-hashes --python-version 3.11 --extra test \
	  --custom-compile-command "make lock" -o requirements.lock pyproject.toml requirements.in
	@rm -rf .lock-venv
	$(MAKE) test

clean:
	rm -rf $(VENV) .cache dist
