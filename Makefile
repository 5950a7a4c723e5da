# derive: set up, test, build sheets, benchmark.
PYTHON ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := texlive-latex-base texlive-latex-recommended texlive-latex-extra \
	texlive-pictures texlive-fonts-recommended texlive-science lmodern latexmk poppler-utils
NPROC := $(shell nproc 2>/dev/null || echo 2)
MAKEFLAGS += -j$(NPROC)
SPECS := $(wildcard proofs/*.toml)
SOURCES := $(shell find derive -name '*.py' -o -name '*.j2' -o -name '*.sty')

.PHONY: setup test pdf bench snippets report clean mutation mutation-full

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
# produced are).  `make mutation` runs a seeded, stratified random SAMPLE of the mutants
# (MUTATION_PER_PACKAGE per package, shared among its modules by size; 26 minutes on 2 idle
# cores in session 6, 48 to 102 minutes with other work beside it: about 14 minutes of that is
# fixed, sampling, mutmut's one-core stats pass and the clean run) and reports each package's
# kill rate with its 95% confidence interval;
# `make mutation-full` runs every mutant (3 to 5 hours).  MUTANTS selects modules for the
# full run, e.g. make mutation-full MUTANTS='derive.verify.tight*'.  Both write
# benchmarks/mutation.json and print the table.
MUTANTS ?=
# 150 per package (300 mutants): a 90% rate is then known to 84% to 94% (Wilson 95%); 250 would
# narrow that to 86% to 93% at 5/3 of the time (364 mutants took 40 min at load 10 to 13).
MUTATION_PER_PACKAGE ?= 150
MUTATION_SEED ?= 19
MUTMUT = DERIVE_INPROCESS_WORKERS=1 nice -n 5 $(PYTHON) -m mutmut run --max-children $(NPROC)
mutation:
	$(PYTHON) -m pip install -q 'mutmut>=3.8'
	rm -rf mutants
	start=$$(date +%s); \
	$(PYTHON) benchmarks/mutation_sample.py --per-package $(MUTATION_PER_PACKAGE) --seed $(MUTATION_SEED) && \
	{ $(MUTMUT) $$(cat mutants/mutation-sample.txt) || true; } && \
	$(PYTHON) benchmarks/mutation_summary.py --sample mutants/mutation-sample.json \
		--seconds $$(( $$(date +%s) - start )) --note "make mutation (sample of $(MUTATION_PER_PACKAGE) per package, seed $(MUTATION_SEED))"

mutation-full:
	$(PYTHON) -m pip install -q 'mutmut>=3.8'
	rm -rf mutants
	start=$$(date +%s); \
	$(MUTMUT) $(MUTANTS) || true; \
	$(PYTHON) benchmarks/mutation_summary.py --seconds $$(( $$(date +%s) - start )) --note "make mutation-full $(MUTANTS)"

# One LaTeX fragment per pipeline and style, for \input in your own documents.
snippets:
	$(PYTHON) -m derive snippet --all -o build/snippets

# The example report: an ordinary article that inputs snippets (build/report.pdf).
report: snippets
	$(PYTHON) -m derive snippet --compile examples/report/report.tex -o build

clean:
	rm -rf build
