"""Student's t computed exactly (no SciPy) and the paired mean change with its
confidence interval."""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import chain, repeat

# --- Student's t, exactly ---------------------------------------------------------------


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    tiny, epsilon = 1e-300, 1e-16
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        for numerator in (
            m * (b - m) * x / ((a - 1.0 + 2 * m) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 1.0 + 2 * m)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            step = c * d
            h *= step
        if abs(step - 1.0) < epsilon:
            break
    return h


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def t_cdf(value: float, df: int) -> float:
    """P(T <= value) for Student's t with `df` degrees of freedom."""
    tail = 0.5 * _incomplete_beta(df / 2.0, 0.5, df / (df + value * value))
    return 1.0 - tail if value > 0 else tail


@cache
def t_quantile(probability: float, df: int) -> float:
    """The value t with P(T <= t) = probability (0.5 < probability < 1), by bisection on
    the exact distribution function: to about 1e-12."""
    if not 0.5 < probability < 1 or df < 1:
        raise ValueError("t_quantile needs 0.5 < probability < 1 and df >= 1")
    low, high = 0.0, 2.0
    while t_cdf(high, df) < probability:
        low, high = high, high * 2
    for _ in range(200):
        middle = (low + high) / 2
        if t_cdf(middle, df) < probability:
            low = middle
        else:
            high = middle
        if high - low < 1e-13:
            break
    return (low + high) / 2


@dataclass(frozen=True)
class MeanChange:
    mean: float
    low: float  # the 95% confidence interval (equal to the mean when n is 1)
    high: float
    n: int


def paired_mean_ci(differences: Iterable[float], confidence: float = 0.95) -> MeanChange:
    """The mean of paired differences and its confidence interval:
    mean ± t(1 - α/2, n - 1) × s / √n."""
    values = [float(v) for v in differences]
    n = len(values)
    if n == 0:
        raise ValueError("no differences")
    mean = math.fsum(values) / n
    if n == 1:
        return MeanChange(mean, mean, mean, 1)
    variance = math.fsum((v - mean) ** 2 for v in values) / (n - 1)
    half = t_quantile(1 - (1 - confidence) / 2, n - 1) * math.sqrt(variance / n)
    return MeanChange(mean, mean - half, mean + half, n)


def paired_mean_ci_counted(
    counted: Iterable[tuple[float, int]], confidence: float = 0.95
) -> MeanChange:
    """`paired_mean_ci` of each value repeated `count` times, to the last bit (the same
    terms summed by `math.fsum`, which is exact whatever their order), without a Python
    list of one value a person: the repeats are fed to fsum from C."""
    terms = [(float(v), count) for v, count in counted if count]
    n = sum(count for _, count in terms)
    if n == 0:
        raise ValueError("no differences")
    mean = math.fsum(chain.from_iterable(repeat(v, count) for v, count in terms)) / n
    if n == 1:
        return MeanChange(mean, mean, mean, 1)
    squares = chain.from_iterable(repeat((v - mean) ** 2, count) for v, count in terms)
    variance = math.fsum(squares) / (n - 1)
    half = t_quantile(1 - (1 - confidence) / 2, n - 1) * math.sqrt(variance / n)
    return MeanChange(mean, mean - half, mean + half, n)
