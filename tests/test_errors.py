import pytest

from derive.errors import suggest


@pytest.mark.parametrize("word, choices, expected", [
    ("shet", ["list", "run", "sheet", "snippet", "check"], " (did you mean 'sheet'?)"),
    ("statment", ["id", "title", "pipeline", "statement", "params"], " (did you mean 'statement'?)"),
    ("gausian_kl", ["gaussian_kl", "gd_step"], " (did you mean 'gaussian_kl'?)"),
    ("sigma", ["mu1", "sigma1", "mu2", "sigma2"], " (did you mean 'sigma1'?)"),
    ("zzz", ["list", "run", "sheet"], ""),
    ("x", [], ""),
])
def test_suggest(word, choices, expected):
    assert suggest(word, choices) == expected


def test_suggest_several():
    assert suggest("sigma", ["mu1", "sigma1", "sigma2"], n=2) == " (did you mean 'sigma1' or 'sigma2'?)"
