"""The two topic engines behind :class:`~framing.topics.TopicModel`: tomotopy and gensim.

An engine trains a native model on documents that are already pruned and never empty, reads
the topic-word matrix back in framing's vocabulary order, infers topic shares for new documents
deterministically, and saves and loads its native file. Everything else (keys, pruning, empty
documents, metadata) is :class:`TopicModel`'s business.

tomotopy's ``infer`` takes no seed but draws from a generator seeded inside the engine for each
document, so it repeats exactly, and a document's shares do not depend on the other rows.
gensim's ``inference`` draws its start from the model's ``random_state``; it is reset to the
model's seed before every document for the same two properties.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from framing.corpus import BundleError
from framing.topics._inputs import split_covariates

logger = logging.getLogger(__name__)

#: Native model file inside a bundle, per engine (gensim adds companion files beside it).
MODEL_FILES = {"tomotopy": "model.tomotopy", "gensim": "model.gensim"}
_DMR_METADATA = "_"  # DMR's single metadata slot; the covariates go in multi_metadata
#: Gibbs sweeps between two updates of the progress bar.
SWEEPS_PER_UPDATE = 10


def import_tomotopy() -> Any:
    """``import tomotopy``, hiding the DeprecationWarning its C extension raises on import.

    tomotopy 0.14's extension types lack ``__module__``; Python warns while importing it, and
    under ``-W error`` (our tests) the warning becomes an error that tomotopy reports as "No
    module named any of '_tomotopy_avx512', ...". Only that one warning is filtered, only here.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"builtin type .* has no __module__",
                                category=DeprecationWarning)
        import tomotopy
    return tomotopy


def engine_version(engine: str) -> str:
    """The installed version of ``engine``, or raise BundleError when it is missing."""
    try:
        if engine == "tomotopy":
            return str(import_tomotopy().__version__)
        import gensim
        return str(gensim.__version__)
    except ImportError as exc:
        raise BundleError(f"the {engine!r} topic engine is not installed "
                          f"(pip install {engine})") from exc


def sampling_schedule(n_iterations: int, burn_in: int, n_states: int) -> tuple[int, int]:
    """Sweeps between saved Gibbs states, and how many: spread evenly after the burn-in.

    The states are thinned over the sweeps after ``burn_in`` (the ones a sampler counts as
    draws from the posterior), the last state being the final one, so saving them costs no
    sweep. With fewer sweeps after the burn-in than states, the last ``n_states`` sweeps.

    >>> sampling_schedule(100, 50, 10), sampling_schedule(50, 25, 10), sampling_schedule(5, 5, 10)
    ((5, 10), (2, 10), (1, 5))
    """
    n_states = min(n_states, n_iterations)
    if n_states <= 0:
        return 1, 0
    return max(1, (n_iterations - burn_in) // n_states), n_states


def _normalize(matrix: Any) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.ndim == 1:
        return matrix / matrix.sum()
    return matrix / matrix.sum(axis=1, keepdims=True)


class TomotopyEngine:
    """LDA and DMR by collapsed Gibbs sampling (``tomotopy.LDAModel``, ``DMRModel``)."""

    name = "tomotopy"

    @staticmethod
    def fit(documents: Sequence[list[str]], covariates: Sequence[list[str]],
            vocabulary: Sequence[str], params: dict[str, Any],
            samples: list[np.ndarray] | None = None, progress: bool = False) -> Any:
        """Train; with ``samples``, append the saved Gibbs states' topic counts to it;
        ``progress`` shows a bar of sweeps."""
        tp = import_tomotopy()

        # bundles written before term weighting existed have no "term_weight": plain counts
        weight = getattr(tp.TermWeight, params.get("term_weight", "one").upper())
        common = {"k": params["n_topics"], "alpha": float(params["alpha"]),
                  "eta": float(params["eta"]), "seed": params["random_state"], "tw": weight}
        numeric = params.get("numeric_covariates") or []
        if params["kind"] == "dmr" and numeric:
            # g-DMR: each numeric covariate enters the topic prior as Legendre polynomials of
            # degree ``degree`` over its training range (a smooth, as stm's s(day))
            model = tp.GDMRModel(degrees=[params["degree"]] * len(numeric), **common)
            for tokens, labels in zip(documents, covariates, strict=True):
                categorical, numbers = split_covariates(labels)
                model.add_doc(tokens, numeric_metadata=numbers, metadata=_DMR_METADATA,
                              multi_metadata=categorical)
        elif params["kind"] == "dmr":
            model = tp.DMRModel(**common)
            for tokens, labels in zip(documents, covariates, strict=True):
                model.add_doc(tokens, metadata=_DMR_METADATA, multi_metadata=labels)
        else:
            model = tp.LDAModel(**common)
            for tokens in documents:
                model.add_doc(tokens)
        model.burn_in = params["burn_in"]
        model.optim_interval = 10 if params["optimize_alpha"] else 0
        n_states = params.get("posterior_samples", 0) if samples is not None else 0
        spacing, n_states = sampling_schedule(params["n_iterations"], params["burn_in"],
                                              n_states)
        before = params["n_iterations"] - spacing * n_states
        # The sweeps before the first saved state, then one chunk per state. tomotopy's
        # callback only reads the step count, so the sampled model is the same with a bar.
        chunks = ([(before, False)] if before else []) + [(spacing, True)] * n_states
        with tqdm(total=params["n_iterations"], unit="sweep", desc="topics fit",
                  disable=not progress) as bar:
            for sweeps, is_state in chunks:
                start = bar.n

                def advance(_model: Any, done: int, _total: int, start: int = start) -> None:
                    bar.update(start + done - bar.n)

                model.train(sweeps, workers=params["n_jobs"],
                            callback_interval=SWEEPS_PER_UPDATE,
                            callback=advance if progress else None)
                bar.update(start + sweeps - bar.n)
                if is_state:
                    samples.append(np.array([np.bincount(document.topics, minlength=model.k)
                                             for document in model.docs], dtype=np.int32))
        return model

    @staticmethod
    def topic_word(model: Any, vocabulary: Sequence[str]) -> np.ndarray:
        position = {word: i for i, word in enumerate(model.used_vocabs)}
        missing = [word for word in vocabulary if word not in position]
        if missing or len(position) != len(vocabulary):
            raise BundleError(f"the tomotopy model's vocabulary does not match framing's "
                              f"(e.g. {missing[:3]!r})")
        rows = np.array([model.get_topic_word_dist(k) for k in range(model.k)])
        return _normalize(rows[:, [position[word] for word in vocabulary]])

    @staticmethod
    def train_doc_topic(model: Any, documents: Sequence[list[str]],
                        covariates: Sequence[list[str]], params: dict[str, Any]) -> np.ndarray:
        """The shares sampled in training (``documents`` are the ones the model holds)."""
        return _normalize([document.get_topic_dist() for document in model.docs])

    @staticmethod
    def infer(model: Any, documents: Sequence[list[str]], covariates: Sequence[list[str]],
              params: dict[str, Any]) -> np.ndarray:
        if not documents:
            return np.zeros((0, model.k))
        if params["kind"] == "dmr":
            known = set(model.multi_metadata_dict)
            unseen = {label for labels in covariates
                      for label in split_covariates(labels)[0]} - known
            if unseen:  # tomotopy aborts the process on an unknown value: drop it
                logger.info("covariate values not seen in training (the baseline prior is "
                            "used for them): %s", sorted(unseen)[:10])
            made = [TomotopyEngine._make_doc(model, tokens, labels, params)
                    for tokens, labels in zip(documents, covariates, strict=True)]
        else:
            made = [model.make_doc(tokens) for tokens in documents]
        shares, _ = model.infer(made, iterations=params["n_infer_iterations"],
                                workers=params["n_jobs"], together=False)
        return _normalize(shares)

    @staticmethod
    def _make_doc(model: Any, tokens: list[str], labels: list[str],
                  params: dict[str, Any]) -> Any:
        known = set(model.multi_metadata_dict)
        categorical, numbers = split_covariates(labels)
        categorical = [x for x in categorical if x in known]
        if params.get("numeric_covariates"):
            return model.make_doc(tokens, numeric_metadata=numbers, metadata=_DMR_METADATA,
                                  multi_metadata=categorical)
        return model.make_doc(tokens, metadata=_DMR_METADATA, multi_metadata=categorical)

    @staticmethod
    def _gdmr_prior(model: Any, labels: list[str]) -> np.ndarray:
        """A document's Dirichlet prior under g-DMR: exp of the topic distribution function."""
        known = set(model.multi_metadata_dict)
        categorical, numbers = split_covariates(labels)
        return np.exp(np.asarray(model.tdf(numbers, _DMR_METADATA,
                                           [x for x in categorical if x in known],
                                           normalize=False), dtype=np.float64))

    @staticmethod
    def alpha(model: Any, covariates: Sequence[list[str]], params: dict[str, Any]) -> np.ndarray:
        """The learned Dirichlet prior (DMR: the mean over the documents' priors)."""
        if params["kind"] == "dmr" and params.get("numeric_covariates"):
            return np.mean([TomotopyEngine._gdmr_prior(model, labels) for labels in covariates],
                           axis=0)
        if params["kind"] == "dmr":
            known = set(model.multi_metadata_dict)
            combos: dict[tuple[str, ...], int] = {}
            for labels in covariates:
                combo = tuple(x for x in labels if x in known)
                combos[combo] = combos.get(combo, 0) + 1
            total = sum(combos.values())
            return sum(np.asarray(model.get_topic_prior(_DMR_METADATA, list(combo)),
                                  dtype=np.float64) * n for combo, n in combos.items()) / total
        return np.asarray(model.alpha, dtype=np.float64)

    @staticmethod
    def prior(model: Any, labels: list[str], params: dict[str, Any]) -> np.ndarray:
        if params["kind"] == "dmr" and params.get("numeric_covariates"):
            return _normalize(TomotopyEngine._gdmr_prior(model, labels))
        if params["kind"] == "dmr":
            known = set(model.multi_metadata_dict)
            return _normalize(model.get_topic_prior(
                _DMR_METADATA, [x for x in labels if x in known]))
        return _normalize(model.alpha)

    @staticmethod
    def metrics(model: Any, documents: Sequence[list[str]],
                params: dict[str, Any]) -> dict[str, float]:
        return {"log_likelihood_per_word": float(model.ll_per_word),
                "perplexity": float(model.perplexity)}

    @staticmethod
    def save(model: Any, folder: Path) -> None:
        model.save(str(folder / MODEL_FILES["tomotopy"]), full=True)

    @staticmethod
    def load(folder: Path, params: dict[str, Any]) -> Any:
        tp = import_tomotopy()

        kind = tp.DMRModel if params["kind"] == "dmr" else tp.LDAModel
        if params["kind"] == "dmr" and params.get("numeric_covariates"):
            kind = tp.GDMRModel
        return kind.load(str(folder / MODEL_FILES["tomotopy"]))


class GensimEngine:
    """LDA by online variational Bayes (``gensim.models.LdaModel``, ``LdaMulticore``)."""

    name = "gensim"

    @staticmethod
    def _dictionary(vocabulary: Sequence[str]) -> Any:
        from gensim.corpora import Dictionary

        dictionary = Dictionary([list(vocabulary)])  # ids follow the sorted vocabulary
        if [dictionary[i] for i in range(len(dictionary))] != list(vocabulary):
            raise RuntimeError("gensim Dictionary did not keep the vocabulary order")
        return dictionary

    @staticmethod
    def fit(documents: Sequence[list[str]], covariates: Sequence[list[str]],
            vocabulary: Sequence[str], params: dict[str, Any],
            samples: list[np.ndarray] | None = None, progress: bool = False) -> Any:
        """Train (variational: no Gibbs states, ``samples`` stays empty); ``progress`` is
        accepted and ignored: gensim's passes run in one call, no bar."""
        from gensim.models import LdaModel, LdaMulticore

        dictionary = GensimEngine._dictionary(vocabulary)
        bow = [dictionary.doc2bow(tokens) for tokens in documents]
        common = {"corpus": bow, "id2word": dictionary, "num_topics": params["n_topics"],
                  "passes": params["passes"], "iterations": params["n_infer_iterations"],
                  "eta": float(params["eta"]), "random_state": params["random_state"],
                  "eval_every": None}
        if params["n_jobs"] > 1:
            return LdaMulticore(workers=params["n_jobs"], alpha=float(params["alpha"]),
                                **common)
        alpha = "auto" if params["optimize_alpha"] else float(params["alpha"])
        return LdaModel(alpha=alpha, **common)

    @staticmethod
    def topic_word(model: Any, vocabulary: Sequence[str]) -> np.ndarray:
        words = [model.id2word[i] for i in range(model.num_terms)]
        if words != list(vocabulary):
            raise BundleError("the gensim model's vocabulary does not match framing's")
        return _normalize(model.get_topics())

    @staticmethod
    def _gamma(model: Any, bows: Sequence[list[tuple[int, int]]],
               params: dict[str, Any]) -> np.ndarray:
        rows = np.zeros((len(bows), model.num_topics))
        for i, bow in enumerate(bows):
            model.random_state = np.random.RandomState(params["random_state"])
            gamma, _ = model.inference([bow])
            rows[i] = gamma[0]
        return _normalize(rows) if len(bows) else rows

    @staticmethod
    def train_doc_topic(model: Any, documents: Sequence[list[str]],
                        covariates: Sequence[list[str]], params: dict[str, Any]) -> np.ndarray:
        """gensim keeps no per-document state: the training documents are inferred."""
        return GensimEngine.infer(model, documents, covariates, params)

    @staticmethod
    def infer(model: Any, documents: Sequence[list[str]], covariates: Sequence[list[str]],
              params: dict[str, Any]) -> np.ndarray:
        model.iterations = params["n_infer_iterations"]
        bows = [model.id2word.doc2bow(tokens) for tokens in documents]
        return GensimEngine._gamma(model, bows, params)

    @staticmethod
    def alpha(model: Any, covariates: Sequence[list[str]], params: dict[str, Any]) -> np.ndarray:
        return np.asarray(model.alpha, dtype=np.float64)

    @staticmethod
    def prior(model: Any, labels: list[str], params: dict[str, Any]) -> np.ndarray:
        return _normalize(model.alpha)

    @staticmethod
    def metrics(model: Any, documents: Sequence[list[str]],
                params: dict[str, Any]) -> dict[str, float]:
        bows = [model.id2word.doc2bow(tokens) for tokens in documents]
        model.random_state = np.random.RandomState(params["random_state"])
        bound = float(model.log_perplexity(bows))  # per-word variational bound
        return {"log_likelihood_per_word": bound, "perplexity": float(np.exp(-bound))}

    @staticmethod
    def save(model: Any, folder: Path) -> None:
        model.save(str(folder / MODEL_FILES["gensim"]))

    @staticmethod
    def load(folder: Path, params: dict[str, Any]) -> Any:
        from gensim.models import LdaModel

        return LdaModel.load(str(folder / MODEL_FILES["gensim"]))


ENGINES: dict[str, type[TomotopyEngine] | type[GensimEngine]] = {
    "tomotopy": TomotopyEngine, "gensim": GensimEngine}
