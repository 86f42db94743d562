"""Kleinberg's burst detection over batches (J. Kleinberg, "Bursty and Hierarchical Structure in
Streams", KDD 2002, section 4: enumerating bursts), with two states.

Each period t has ``d[t]`` papers, ``r[t]`` of them carrying the thing. The base state emits at
the overall share p0 = Σr / Σd, the burst state at s·p0; a period costs −log of the binomial
probability of ``r[t]`` in ``d[t]`` under its state's share, and entering the burst state costs
γ·ln(T) for T periods. The cheapest state sequence (Viterbi) marks the bursts; a burst's weight
is how much cheaper the burst state made its periods, Σ cost₀ − cost₁.

Why this rather than a z-score over windows: digests differ in size by an order of magnitude
(30 papers one day, 500 the next), and Kleinberg's model compares a thing's *share* of each
period's papers with its usual share, so a large digest is not mistaken for a trend; and it needs
no long history to estimate a variance, where a z-score over the handful of windows a young store
has (often two or three) is noise or undefined.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

S = 2.0  # the burst state's share is S times the base share
GAMMA = 1.0  # cost of entering a burst, in units of ln(periods)


@dataclass(frozen=True)
class Burst:
    """Periods ``start``..``end`` (inclusive indices) in the burst state, and the burst's weight."""

    start: int
    end: int
    weight: float


def bursts(r: Sequence[int], d: Sequence[int], *, s: float = S, gamma: float = GAMMA) -> list[Burst]:
    """The bursts of counts ``r`` among totals ``d`` (one pair per period), oldest first.

    >>> bursts([1, 1, 1, 9, 8], [50, 50, 50, 50, 50])
    [Burst(start=3, end=4, weight=4.233)]
    >>> bursts([2, 2, 2, 40, 4], [100, 100, 100, 100, 1000])  # 4 of 1,000 is a small share
    [Burst(start=3, end=3, weight=25.461)]
    >>> bursts([5, 5, 5], [50, 50, 50])  # a steady share is no burst
    []
    """
    total_r, total_d = sum(r), sum(d)
    if not total_r or total_r >= total_d or len(r) < 2:
        return []
    p0 = total_r / total_d
    p1 = min(s * p0, 1 - 1e-9)
    enter = gamma * math.log(len(r))
    # a period's cost in each state: −log of its binomial probability, less log C(d, r), which both share
    a0, b0, a1, b1 = -math.log(p0), -math.log1p(-p0), -math.log(p1), -math.log1p(-p1)
    cost0 = [x * a0 + (n - x) * b0 for x, n in zip(r, d)]
    cost1 = [x * a1 + (n - x) * b1 for x, n in zip(r, d)]
    cheapest0, cheapest1 = 0.0, math.inf  # cheapest sequence ending in each state; it starts in the base state
    back: list[tuple[int, int]] = []  # for each period, the state before it on each state's best path
    for c0, c1 in zip(cost0, cost1):
        from0 = 0 if cheapest0 <= cheapest1 else 1
        from1 = 1 if cheapest1 <= cheapest0 + enter else 0
        cheapest0, cheapest1 = min(cheapest0, cheapest1) + c0, (cheapest1 if from1 else cheapest0 + enter) + c1
        back.append((from0, from1))
    state = 0 if cheapest0 <= cheapest1 else 1
    states = []
    for t in range(len(r) - 1, -1, -1):
        states.append(state)
        state = back[t][state]
    states.reverse()
    out, start = [], None
    for t, st in enumerate([*states, 0]):
        if st and start is None:
            start = t
        elif not st and start is not None:
            weight = sum(cost0[u] - cost1[u] for u in range(start, t))
            out.append(Burst(start, t - 1, round(weight, 3)))
            start = None
    return out
