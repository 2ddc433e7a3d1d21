"""framing's NotFittedError: scikit-learn's, so code written for scikit-learn catches it.

A module of its own because it imports scikit-learn, which the rest of the error tree
(``_errors.py``) does not need: the command line reads its errors without loading it.
"""

from __future__ import annotations

from sklearn.exceptions import NotFittedError as _SklearnNotFittedError

from framing.corpus._errors import FramingError


class NotFittedError(FramingError, _SklearnNotFittedError):
    """An estimator was used before ``fit``.

    A subclass of scikit-learn's ``NotFittedError``, so code written for scikit-learn
    estimators (``except sklearn.exceptions.NotFittedError``) catches framing's too.
    """
