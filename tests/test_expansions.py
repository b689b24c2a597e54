"""verify_expansion: precision floor found and reported, order fitted over all usable points,
Puiseux and logarithmic terms, expected order read off the O() term."""

from __future__ import annotations

import pytest
import sympy as sp

import rmtsym as rs
from rmtsym.analysis.expansions import order_of, verify_expansion

Q = sp.Rational
phi = rs.parameter("phi")


@pytest.fixture(scope="module")
def eps_c_series():
    ec = rs.critical_energy()
    return ec, sp.series(ec, phi, 1, 21)          # terms through (phi - 1)^20, O((phi - 1)^21)


@pytest.mark.parametrize("direction", ["-", "+"])
def test_exact_series_to_order_twenty_passes_at_sixty_digits(eps_c_series, direction):
    """Finding 6: the error h^21 reaches the ~1e-61 cancellation floor of (1 + 8 phi)^(3/2) at
    the smallest distances; those points are found by the second precision, excluded and
    reported, and the fit over the rest gives the true order."""
    ec, ser = eps_c_series
    chk = verify_expansion(ec, ser, phi, 1, digits=60, direction=direction)
    assert chk.expected_order == 21
    assert chk.passed, chk.as_dict()
    assert abs(chk.observed_order - 21) < 0.05
    assert len(chk.excluded) >= 2 and sum(chk.usable) >= 3
    assert 1e-66 < chk.floor < 1e-55


def test_a_wrong_series_fails(eps_c_series):
    ec, ser = eps_c_series
    wrong = ser + Q(1, 10**6) * (phi - 1) ** 15
    chk = verify_expansion(ec, wrong, phi, 1, digits=60, direction="-")
    assert not chk.passed
    assert abs(chk.observed_order - 15) < 0.05


def test_puiseux_o_term_gives_the_fractional_order():
    y = sp.Symbol("y", positive=True)
    chk = verify_expansion(sp.sqrt(y * (1 + y)), sp.sqrt(y) + sp.O(y ** Q(3, 2)), y, 0)
    assert chk.passed and chk.expected_order == 1.5
    full = sp.series(sp.sqrt(y * (1 + y)) + y ** Q(7, 3), y, 0, 4)
    chk2 = verify_expansion(sp.sqrt(y * (1 + y)) + y ** Q(7, 3), full, y, 0, digits=40)
    assert chk2.passed, chk2.as_dict()


def test_logarithmic_term_in_the_o_term():
    y = sp.Symbol("y", positive=True)
    f = y + y**2 * sp.log(y) + y**3
    chk = verify_expansion(f, y + sp.O(y**2 * sp.log(y)), y, 0, digits=30)
    assert chk.log_power == 1 and chk.expected_order == 2 and chk.passed, chk.as_dict()
    # without dividing out the logarithm the fitted slope is visibly off
    plain = verify_expansion(f, y, y, 0, digits=30, next_order=2, log_power=0)
    assert not plain.passed


def test_order_of_reads_powers_and_logs():
    y = sp.Symbol("y", positive=True)
    assert order_of(sp.O(y ** Q(5, 2)), y) == (Q(5, 2), 0)
    assert order_of(y**3 * sp.log(y) ** 2, y) == (3, 2)
    assert order_of((phi - 1) ** 21, phi, 1) == (21, 0)


def test_too_few_points_above_the_floor_fails_and_says_so():
    y = sp.Symbol("y")
    # error ~ y^40 is below the 20-digit floor at every distance but the first
    chk = verify_expansion(sp.exp(y), sum(y**k / sp.factorial(k) for k in range(40)), y, 0,
                           digits=20, next_order=40)
    assert not chk.passed and sum(chk.usable) < 3


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"digits": 10}, "digits"), ({"points": 0}, "points"), ({"direction": "up"}, "direction"),
     ({"ratio": 2}, "ratio"), ({}, "next_order")],
)
def test_bad_arguments(kwargs, name):
    y = sp.Symbol("y")
    args = {"next_order": 2, **kwargs} if name != "next_order" else kwargs
    with pytest.raises(rs.ParameterError) as info:
        verify_expansion(sp.exp(y), 1 + y, y, 0, **args)
    assert info.value.name == name


def test_critical_energy_is_zero_from_phi_one_on():
    """For phi >= 1 no eps > 0 keeps the spectrum positive: eps_c = 0 (the closed form is 0 at
    phi = 1 and negative beyond)."""
    ec = rs.critical_energy()
    assert ec.subs(phi, 1) == 0 and sp.N(ec.subs(phi, 2)) < 0
    assert rs.critical_energy(1) == 0 and rs.critical_energy(Q(7, 2)) == 0
    assert rs.critical_energy(2.0) == 0
    with pytest.raises(rs.ParameterError):
        rs.critical_energy(0)
