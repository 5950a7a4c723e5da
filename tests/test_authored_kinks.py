"""Authored sheet steps at kinks, jumps and poles (#8, A3/A4/A13): the sheet goes through the same
reader and verifier as ``derive check``, so ``|x|'(0) = 0``, a two-sided limit at a jump and an
integral across a pole built as proved.  Each now stops the build with the step named; the true
neighbours build with every step proved."""
from __future__ import annotations

from pathlib import Path

import pytest

from derive import sheet as sh
from derive.errors import InvalidStepError
from derive.verify import Verifier

JUMP = r"\begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases}"


def spec(steps: str, define: str = "") -> str:
    extra = f"define = ['{define}']\n" if define else ""
    return f"title = \"K\"\n\n[[problem]]\nid = \"K\"\ntitle = \"kinks\"\n{extra}steps = '''\n{steps}\n'''\n"


def build(path: Path, verifier: Verifier) -> list[str]:
    (pr,) = sh.verify_problems(sh.derive_problems(sh.load_spec(path)), verifier)
    return [v.status for vs in pr.derivation.verdicts for v in vs]


WRONG = [
    (r"D &= \left.\frac{d}{dx}|x|\right|_{x=0}" "\n" r"  &= \boxed{0}  % result: d", "",
     "is unknown", "(not differentiable at x = 0: one-sided derivatives -1 and 1)"),
    (r"D &= \left.\frac{d}{dx}\max(x, 0)\right|_{x=0}" "\n" r"  &= \boxed{\frac12}  % result: d", "",
     "is unknown", "(not differentiable at x = 0: one-sided derivatives 0 and 1)"),
    (r"L &= \lim_{x \to 0} f(x)" "\n" r"  &= \boxed{0}  % result: l", f"f(x) = {JUMP}",
     "is failed", "(the limit at x = 0 does not exist: the one-sided limits are 0 (left) and 1 (right))"),
    (r"I &= \int_{-2}^{2} \frac{x}{x^2-1}\,dx" "\n" r"  &= \boxed{0}  % result: i", "",
     "is failed", "(both sides are undefined (an integral or series that does not converge))"),
]


@pytest.mark.parametrize("steps, define, status, why", WRONG)
def test_a_step_at_a_kink_stops_the_build(tmp_path: Path, verifier: Verifier, steps: str, define: str,
                                          status: str, why: str) -> None:
    path = tmp_path / "k.toml"
    path.write_text(spec(steps, define))
    with pytest.raises(InvalidStepError) as info:
        build(path, verifier)
    message = str(info.value)
    assert message.startswith(f"problem K: {path}, line ") and f"step 1 '{steps.splitlines()[0]}' {status}: " in message
    assert message.endswith(why), message


RIGHT = [
    (r"D &= \left.\frac{d}{dx}|x|\right|_{x=1}" "\n" r"  &= \boxed{1}  % result: d", ""),
    (r"L &= \lim_{x \to 0^+} f(x)" "\n" r"  &= \boxed{1}  % result: l", f"f(x) = {JUMP}"),
    (r"I &= \int_{-1/2}^{1/2} \frac{x}{x^2-1}\,dx" "\n" r"  &= \boxed{0}  % result: i", ""),
]


@pytest.mark.parametrize("steps, define", RIGHT)
def test_the_true_neighbours_build_proved(tmp_path: Path, verifier: Verifier, steps: str, define: str) -> None:
    path = tmp_path / "ok.toml"
    path.write_text(spec(steps, define))
    assert build(path, verifier) == ["proved", "proved"]
