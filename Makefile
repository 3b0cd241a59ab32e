# Two commands do all the set-up on a fresh machine:
#   make run    start Melodify at http://127.0.0.1:8000 (embedded engines, SQLite, a worker inside)
#   make test   the whole test suite
VENV   ?= .venv
PYTHON ?= python3
PY      = $(VENV)/bin/python
PIP     = $(PY) -m pip

.PHONY: run test demo system-deps test-deps bench audit clean

run: system-deps $(VENV)/.installed
	$(VENV)/bin/melodify serve

# Compose one track from a photo the project makes, and say where it is.
demo: system-deps $(VENV)/.installed
	@mkdir -p out
	$(VENV)/bin/melodify sample sunny-beach -o out/sunny-beach.jpg
	$(VENV)/bin/melodify compose out/sunny-beach.jpg -o out/sunny-beach.mp3 --midi out/sunny-beach.mid

# Everything on SQLite, then the web tests again on PostgreSQL (the many-machines database); the tests
# that start their own servers choose their database themselves and run once.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test

# The system packages come first: without the rights to install them, this stops in its first seconds.
test: test-deps $(VENV)/.installed-test
	$(PY) -m pytest
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest tests/web \
		--ignore-glob='tests/web/test_browser*.py' --deselect tests/web/test_scale_out.py \
		--deselect tests/web/test_faults_celery.py --deselect tests/web/test_faults_embedded.py

bench: test-deps $(VENV)/.installed-test
	$(PY) bench/bench_engine.py
	$(PY) bench/bench_web.py

# Known vulnerabilities in the installed packages. pip-audit asks PyPI's vulnerability service, so this
# needs the internet (the CI machines have none: there `make test` runs bandit, not this).
audit: $(VENV)/.installed-test
	$(PIP) install -q pip-audit
	$(VENV)/bin/pip-audit --skip-editable

# The sampler (libfluidsynth) and a General MIDI SoundFont come from the operating system; the tests
# also need Chromium, ffmpeg, gettext and Korean fonts.
system-deps:
	@bash scripts/system-deps.sh

# axe-core (the browser tests' accessibility checks) from the npm registry, pinned by its lock file.
test-deps:
	@bash scripts/system-deps.sh --test
	npm ci --prefix tests/web/axe --no-audit --no-fund --silent

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e .
	touch $@

# torch first, pinned: that spec takes the CPU wheel (any other pulls gigabytes of CUDA); the model
# engines' tests need the ml and api extras.
$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[test,ml,api]'
	touch $@

clean:
	rm -rf $(VENV) var out test-artifacts .pytest_cache
