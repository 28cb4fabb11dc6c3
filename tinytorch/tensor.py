"""`Tensor`: a thin named wrapper around a numpy array.

TinyTorch keeps the arithmetic in numpy; a `Tensor` is what a model exposes as a parameter so that
code like ``sum(p.data.size for p in model.parameters())`` reads the same as in the slides.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, DTypeLike


class Tensor:
    """An n-dimensional array of numbers held in ``.data`` (a ``numpy.ndarray``).

    ``Tensor(x)`` wraps ``x`` without copying when ``x`` already is an ndarray of the requested
    dtype (or ``dtype`` is None); otherwise it converts ``x`` with ``numpy.asarray``. Wrapping a
    `Tensor` wraps its array.
    """

    __slots__ = ("data",)

    def __init__(self, data: ArrayLike | Tensor, dtype: DTypeLike | None = None) -> None:
        if isinstance(data, Tensor):
            data = data.data
        self.data: np.ndarray = np.asarray(data, dtype=dtype)

    @property
    def shape(self) -> tuple[int, ...]:
        """The size of each dimension."""
        return self.data.shape

    @property
    def size(self) -> int:
        """The number of elements (the product of `shape`)."""
        return int(self.data.size)

    @property
    def dtype(self) -> np.dtype:
        """The numpy element type, e.g. ``float32`` or ``int8``."""
        return self.data.dtype

    @property
    def nbytes(self) -> int:
        """Bytes taken by the elements: ``size * dtype.itemsize``."""
        return int(self.data.nbytes)

    def __array__(self, dtype: DTypeLike | None = None, copy: bool | None = None) -> np.ndarray:
        # Lets numpy functions accept a Tensor wherever they accept an array.
        if dtype is None and not copy:
            return self.data
        return np.array(self.data, dtype=dtype, copy=True if copy else None)

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        return f"Tensor(shape={self.shape}, dtype={self.dtype})"
