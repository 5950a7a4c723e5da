"""The LaTeX-math reader of ``derive check``.

``tokens`` walks a side with pylatexenc's ``LatexWalker`` and normalises it by
the macro rule table in ``rules``; ``names`` makes written names into symbol
keys; ``atoms`` cuts out opaque atoms; ``build`` runs latex2sympy2_extended on
the normalised text; ``matrices`` builds declared matrices directly.  The public
entry is ``derive.check.parse``.
"""
