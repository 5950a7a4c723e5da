"""Draw the seeded, stratified random sample of mutants that `make mutation` runs.

All ~15,000 mutants of derive/verify and derive/check take 3 to 5 hours on 2 cores
(`make mutation-full`); a sample of a few hundred per package estimates the kill rate of
each package, with a 95% confidence interval from the sample size, in about 30 minutes.

The population is every mutant mutmut generates for the modules `[tool.mutmut]` mutates.
The strata are the modules: each package (derive.verify, derive.check) gets the same
number of mutants, shared among its modules in proportion to their number of mutants
(largest remainders), so the sample of a package is self-weighting; within a module the
mutants are a uniform random sample drawn with ``random.Random(f"{seed}:{module}")`` from
the sorted names, so the same seed on the same code gives the same sample.

Writes mutants/mutation-sample.txt (one mutant name a line, for `mutmut run`) and
mutants/mutation-sample.json (seed, population and sample size of every module), which
benchmarks/mutation_summary.py reads for the intervals.  Run from the repository root.

    python3 benchmarks/mutation_sample.py [--per-package N] [--seed S] [--only GLOB ...]
"""
from __future__ import annotations

import argparse
import fnmatch
import json
import os
import random
import re
from pathlib import Path

SAMPLE_TXT = Path("mutants") / "mutation-sample.txt"
SAMPLE_JSON = Path("mutants") / "mutation-sample.json"


def module_of(mutant: str) -> str:
    """``derive.verify.numeric.x__holds_at__mutmut_3`` -> ``derive.verify.numeric``."""
    return re.split(r"\.x[_ǁ]", mutant, maxsplit=1)[0]


def package_of(module: str) -> str:
    """``derive.check.latex.fast`` -> ``derive.check``."""
    return ".".join(module.split(".")[:2])


def allocate(sizes: dict[str, int], n: int) -> dict[str, int]:
    """Share ``n`` draws among strata in proportion to ``sizes`` (largest remainders).

    >>> allocate({"a": 30, "b": 10}, 4)
    {'a': 3, 'b': 1}
    """
    total = sum(sizes.values())
    if n >= total:
        return dict(sizes)
    quotas = {k: n * v / total for k, v in sizes.items()}
    out = {k: int(q) for k, q in quotas.items()}
    by_remainder = sorted(sizes, key=lambda k: (-(quotas[k] - out[k]), k))
    for k in by_remainder[: n - sum(out.values())]:
        out[k] += 1
    return out


def draw(population: dict[str, list[str]], per_package: int, seed: int) -> dict[str, list[str]]:
    """The sampled mutant names of every module of ``population`` (module -> names)."""
    packages: dict[str, dict[str, int]] = {}
    for module, names in population.items():
        packages.setdefault(package_of(module), {})[module] = len(names)
    sample = {}
    for sizes in packages.values():
        for module, k in allocate(sizes, per_package).items():
            names = sorted(population[module])
            sample[module] = sorted(random.Random(f"{seed}:{module}").sample(names, k))
    return sample


def generate_mutants() -> None:
    """What `mutmut run` does first: copy the tree to mutants/ and write the mutants."""
    from mutmut.__main__ import (copy_also_copy_files, copy_src_dir, create_mutants, set_mutant_under_test,
                                 setup_source_paths)
    set_mutant_under_test("mutant_generation")
    os.makedirs("mutants", exist_ok=True)
    copy_src_dir()
    copy_also_copy_files()
    setup_source_paths()
    create_mutants(os.cpu_count() or 2)


def mutant_population() -> dict[str, list[str]]:
    """module -> names of its mutants, read from the .meta files mutmut wrote."""
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.utils.file_utils import walk_mutatable_files
    population: dict[str, list[str]] = {}
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        for name in data.exit_code_by_key:
            population.setdefault(module_of(name), []).append(name)
    return population


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-package", type=int, default=150, help="mutants drawn per package")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--only", nargs="*", default=[], metavar="GLOB",
                    help="draw only from these modules (e.g. 'derive.verify.*')")
    args = ap.parse_args(argv)
    generate_mutants()
    population = mutant_population()
    if args.only:
        population = {m: v for m, v in population.items() if any(fnmatch.fnmatch(m, g) for g in args.only)}
    if not population:
        raise SystemExit("mutation_sample: no mutants in the selected modules")
    sample = draw(population, args.per_package, args.seed)
    names = [n for module in sorted(sample) for n in sample[module]]
    SAMPLE_TXT.write_text("".join(n + "\n" for n in names))
    SAMPLE_JSON.write_text(json.dumps({
        "seed": args.seed, "per_package": args.per_package,
        "population": {m: len(v) for m, v in sorted(population.items())},
        "sample": {m: len(v) for m, v in sorted(sample.items())},
    }, indent=1) + "\n")
    total = sum(len(v) for v in population.values())
    print(f"mutation_sample: {len(names)} of {total} mutants (seed {args.seed}) -> {SAMPLE_TXT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
