"""Hostile inputs shared by the security tests.

``code_payloads(marker)`` are expressions that would create the file ``marker``
if any reader evaluated them as Python; ``LEAKS`` are TeX forms that would put
``/etc/passwd`` into a PDF if any user text reached TeX unescaped.
"""
from __future__ import annotations

from pathlib import Path


def code_payloads(marker: Path) -> list[str]:
    cmd = f"touch {marker}"
    return [
        f"__import__('os').system('{cmd}')",
        f"sympify.__globals__['__builtins__']['__import__']('os').system('{cmd}')",
        f"exec(\"import os; os.system('{cmd}')\")",
        f"eval(\"__import__('os').system('{cmd}')\")",
        f"open('{marker}', 'w')",
        f"Symbol(open('{marker}', 'w').name)",
        f"(lambda: __import__('os').system('{cmd}'))()",
        f"[c for c in ().__class__.__base__.__subclasses__()]",
        f"x.__class__.__init__.__globals__",
        f"Symbol.__call__",
        f"getattr(x, 'evalf')",
        f"Function('f')(open('{marker}', 'w'))",
        f"S('__import__(\"os\").system(\"{cmd}\")')",
        f"sympify('__import__(\"os\").system(\"{cmd}\")')",
        f"parse_expr('__import__(\"os\").system(\"{cmd}\")')",
        f"Lambda(x, x)(open('{marker}', 'w'))",
        f"x if open('{marker}', 'w') else x",
        f"{{open('{marker}', 'w')}}",
        f"f'{{open(\"{marker}\", \"w\")}}'",
        f"(y := open('{marker}', 'w'))",
        f"Matrix([[open('{marker}', 'w')]])",
        f"Sum(open('{marker}', 'w'), (k, 1, 2))",
        f"sqrt(open('{marker}', 'w'))",
        f"Symbol('x').subs(x, open('{marker}', 'w'))",
        f"Indexed(open('{marker}', 'w'), 1)",
    ]


LEAKS = [
    r"Symbol('\input{/etc/passwd}')",
    r"Symbol('\csname input\endcsname{/etc/passwd}')",
    r"Symbol('^^5cinput{/etc/passwd}')",
    r"Indexed('\input{/etc/passwd}', 1)",
    r"MatrixSymbol('\input{/etc/passwd}', 2, 2)",
    r"Symbol('x}\input{/etc/passwd}\text{')",
]

#: A line of /etc/passwd on every Linux machine.
PASSWD_LINE = "root:x:0:0"
