"""The numpy fast path: one vectorised check of a long array of positions.

Uploaded AOIs have 10⁵ vertices and more; checking each position in Python takes seconds. This
module answers one question, for one array of positions: are they all in range, and if so what
is their numpy form (which orientation, closure and the shapely geometry are then computed
from without Python loops)? Any doubt sends the array back to the slow path, which finds and
names the exact position at fault, so the fast path never has to explain anything.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

#: Shorter arrays are cheaper to check position by position than to convert.
FAST_PATH_MIN = 32

_NUMBER_TYPES = {int, float}
_LON_LAT_LIMITS = np.array([180.0, 90.0])


def checked_positions(coords: list | tuple) -> tuple[list[Any], np.ndarray] | None:
    """The positions as a list of lists and as an ``(n, 2 or 3)`` float array, when every
    position is a pair or triple of finite numbers within ±180° / ±90°; None otherwise (and for
    arrays shorter than ``FAST_PATH_MIN``), which leaves the verdict to the slow path."""
    if len(coords) < FAST_PATH_MIN:
        return None
    try:
        return _vectorised(coords)
    except TypeError:  # a position that is not a sequence
        return None


def _vectorised(coords: list | tuple) -> tuple[list[Any], np.ndarray] | None:
    # numpy would turn strings, booleans and None into numbers or NaN: refuse them first
    if not set(map(type, itertools.chain.from_iterable(coords))) <= _NUMBER_TYPES:
        return None
    dims = set(map(len, coords))
    dim = dims.pop() if len(dims) == 1 else 0
    if dim not in (2, 3):
        return None
    # fromiter over the flat values: a third of the time of asarray over nested lists
    flat = itertools.chain.from_iterable(coords)
    arr = np.fromiter(flat, dtype=np.float64, count=len(coords) * dim).reshape(-1, dim)
    # one comparison decides ranges and finiteness (NaN compares false, inf is out of range)
    if not (np.abs(arr[:, :2]) <= _LON_LAT_LIMITS).all():
        return None
    if dim == 3 and not np.isfinite(arr[:, 2]).all():
        return None
    positions = list(coords) if set(map(type, coords)) == {list} else list(map(list, coords))
    return positions, arr
