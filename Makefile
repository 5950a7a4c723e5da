# derive: set up, test, build sheets, benchmark.
PYTHON ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := texlive-latex-base texlive-latex-recommended texlive-latex-extra \
	texlive-pictures texlive-fonts-recommended texlive-science lmodern latexmk poppler-utils
NPROC := $(shell nproc 2>/dev/null || echo 2)
MAKEFLAGS += -j$(NPROC)
SPECS := $(wildcard proofs/*.toml)
SOURCES := $(shell find derive -name '*.py' -o -name '*.j2' -o -name '*.sty')

.PHONY: setup test pdf bench snippets report clean mutation

setup:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(APT_PACKAGES)
	$(PYTHON) -m pip install -q -e '.[test]'

test:
	$(PYTHON) -m pytest -q

BUILD ?= build
PDFS := $(patsubst proofs/%.toml,$(BUILD)/%.pdf,$(SPECS))
PROBLEM_PDFS := $(patsubst proofs/%.toml,$(BUILD)/%-problems.pdf,$(SPECS))

# Every sheet twice: NAME.pdf (solutions) and NAME-problems.pdf (statements).  One derive run
# builds them all (one verifier pool, PDFs compiled in parallel) and skips current sheets.
pdf: $(PDFS) $(PROBLEM_PDFS)

$(PDFS) $(PROBLEM_PDFS) &: $(SPECS) $(SOURCES)
	$(PYTHON) -m derive sheet $(SPECS) -o $(BUILD)

bench:
	$(PYTHON) benchmarks/run.py

# Mutation testing of the verifier and the checker with mutmut (not part of CI; the tests it
# produced are).  MUTANTS selects modules, e.g. make mutation MUTANTS='derive.verify.tight*'
# (default: every module of derive/verify and derive/check).  Writes benchmarks/mutation.json.
MUTANTS ?=
mutation:
	$(PYTHON) -m pip install -q 'mutmut>=3.8'
	rm -rf mutants
	start=$$(date +%s); \
	DERIVE_INPROCESS_WORKERS=1 $(PYTHON) -m mutmut run --max-children $(NPROC) $(MUTANTS) || true; \
	$(PYTHON) benchmarks/mutation_summary.py --seconds $$(( $$(date +%s) - start )) --note "make mutation $(MUTANTS)"

# One LaTeX fragment per pipeline and style, for \input in your own documents.
snippets:
	$(PYTHON) -m derive snippet --all -o build/snippets

# The example report: an ordinary article that inputs snippets (build/report.pdf).
report: snippets
	$(PYTHON) -m derive snippet --compile examples/report/report.tex -o build

clean:
	rm -rf build
