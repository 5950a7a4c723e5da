"""The step verifier: numeric filter, symbolic proof, high-precision fallback.

A package along its layers:

- ``job``: what is compared (``prepare``: facts applied) and the job a worker runs;
- ``sampling``: points over the declared domains;
- ``numeric``: evaluation at points, undefined values, the numeric verdicts;
- ``symbolic``: proving a difference zero or a sign;
- ``relations``: inequalities between relations and implications;
- ``matrices``: matrix sides;
- ``layers``: the layers in order;
- ``pool``: killable worker processes;
- ``cache``: the verdict cache interface and ``step_key``;
- ``facts``: which facts a step may cite;
- ``verifier``: ``Verifier``, the one entry point.

Everything other modules import is re-exported here, so
``from derive.verify import Verifier, VerdictCache, step_key, prepare`` works.
"""
from __future__ import annotations

from .cache import VERSION, VerdictCache, step_key
from .facts import PREMISE_RULES, _instance_of, _unify
from .job import Domains, _elementary, _free_symbols, _Job, prepare
from .layers import _run_filter_and_proof, _run_numeric, _symbolic_layer
from .numeric import _close, _finite, _holds_at, _numeric, _numeric_layer, _relational_holds, _short
from .pool import WorkerPool, _context, _guarded
from .sampling import _counterexample, _sample
from .verifier import Verifier

__all__ = [
    "VERSION", "VerdictCache", "step_key", "PREMISE_RULES", "Domains", "prepare", "Verifier", "WorkerPool",
    "_instance_of", "_unify", "_elementary", "_free_symbols", "_Job", "_run_filter_and_proof",
    "_symbolic_layer", "_close", "_finite", "_holds_at", "_numeric", "_numeric_layer", "_relational_holds",
    "_run_numeric", "_short", "_context", "_guarded", "_counterexample", "_sample",
]
