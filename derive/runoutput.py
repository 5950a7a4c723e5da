"""What ``derive run`` prints: the text summary and the documented JSON shape."""
from __future__ import annotations

import json
from typing import Any


def derivation_json(vd: Any) -> dict[str, Any]:
    """The documented JSON shape of a verified derivation."""
    from .domains import domain_of
    from .printer import tex
    from .verify import _elementary

    d = vd.derivation
    assumptions = [domain_of(s, d.domains).describe(s.name) for s in sorted(d.domains, key=lambda s: s.name)]
    steps = []
    for part, checked in vd.checked_parts():
        for cs in checked:
            s, v = cs.step, cs.verdict
            steps.append({"part": part.label, "relation": s.rel.value,
                          "latex": f"{tex(s.lhs)} {s.rel.latex} {tex(s.rhs)}",
                          "justification": f"{s.why.rule}: {s.why.text}" if s.why.text else s.why.rule,
                          "verdict": v.status, "method": v.method})

    def sympy_str(value: Any) -> Any:
        import sympy as sp

        if isinstance(value, (list, tuple)):
            return [sympy_str(v) for v in value]
        if isinstance(value, dict):
            return {str(k): sympy_str(v) for k, v in value.items()}
        if isinstance(value, sp.MatrixBase):
            return [[sympy_str(x) for x in row] for row in value.tolist()]
        if isinstance(value, str):
            return value
        return _json_str(_elementary(value))

    def latex_of(value: Any) -> Any:
        from .render import tex_value

        if isinstance(value, dict):
            return {str(k): latex_of(v) for k, v in value.items()}
        return str(tex_value(value))

    return {
        "pipeline": d.pipeline, "title": d.title,
        "params": {k: _param_str(v) for k, v in d.params.items()},
        "assumptions": assumptions, "steps": steps,
        "results": {k: {"sympy": sympy_str(v), "latex": latex_of(v)} for k, v in d.results.items()},
    }


def _json_str(expr: Any) -> str:
    """``str`` that ``sympify`` reads back.

    ``yhat[i, c]`` is written ``Indexed('yhat', i, c)``, and a symbol whose name
    ``sympify`` would read as a SymPy object (``N``, ``S``, ``beta``) as ``Symbol('N')``.
    """
    import sympy as sp
    from sympy.printing.str import StrPrinter

    class JsonStrPrinter(StrPrinter):
        def _print(self, e: Any, **kwargs: Any) -> str:
            # Indexed has its own _sympystr, which would win over a _print_Indexed method.
            if isinstance(e, sp.Indexed):
                args = ", ".join([repr(str(e.base.label)), *(self._print(i) for i in e.indices)])
                return f"Indexed({args})"
            if isinstance(e, sp.Symbol) and hasattr(sp, e.name):
                return f"Symbol({e.name!r})"
            return super()._print(e, **kwargs)

    return JsonStrPrinter().doprint(expr)


def _param_str(v: Any) -> str:
    return v if isinstance(v, str) else (json.dumps(v) if isinstance(v, (list, dict)) else str(v))


def derivation_text(vd: Any) -> str:
    lines = [vd.derivation.title, "=" * len(vd.derivation.title)]
    for part, checked in vd.checked_parts():
        lines.append(f"({part.label}) {part.heading}" if part.label else part.heading)
        for cs in checked:
            s, v = cs.step, cs.verdict
            lines.append(f"  [{v.status:>7}] {s.lhs} {s.rel.value} {s.rhs}    # {s.why.rule}")
        for r in part.results:
            lines.append(f"  => {r.label} = {r.value}")
    summary = vd.summary()
    lines.append(f"{sum(summary.values())} steps: {summary.get('proved', 0)} proved, "
                 f"{summary.get('numeric', 0)} numeric")
    return "\n".join(lines)
