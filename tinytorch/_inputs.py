"""Input checking shared by the models: one place that says what a batch must look like."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from tinytorch.tensor import Tensor


def as_feature_batch(X: ArrayLike | Tensor, n_features: int) -> np.ndarray:
    """Return ``X`` as a float32 array of shape ``(batch, n_features)``.

    A float32 ndarray (or a `Tensor` holding one) is returned as is, without a copy; anything
    else is converted. Raises ``ValueError`` naming the expected shape when ``X`` is not 2-D with
    ``n_features`` columns, or is not numeric.
    """
    data = X.data if isinstance(X, Tensor) else X
    if not (isinstance(data, np.ndarray) and data.dtype == np.float32):
        try:
            data = np.asarray(data, dtype=np.float32)
        except (TypeError, ValueError) as error:
            raise ValueError(
                f"expected a numeric array of shape (batch, {n_features}); could not convert input: {error}"
            ) from None
    if data.ndim != 2 or data.shape[1] != n_features:
        hint = " (for one sample use X[None, :] or X[i:i+1])" if data.shape == (n_features,) else ""
        raise ValueError(f"expected input of shape (batch, {n_features}), got shape {data.shape}{hint}")
    return data
