"""Tagging a whole document at once: crfsuite's scores and Viterbi, with numpy, per word type.

crfsuite spends most of its time turning each token's feature strings into attribute ids
(a hash lookup a string) before it sums their weights; a word type's features are the same
everywhere, and those it lends its neighbours too. Here the weights are read once off the
model file, and each word type keeps the sum of its own features' weights (a vector over the
labels) and the attribute ids of the eight features it lends (``tagger.Featurizer`` builds
both). A document's state scores are then a few array operations, and Viterbi runs over all
its sentences at once, one step a token position.

The result is crfsuite's to the bit: every state score adds the same weights in the same
order (its own features first, then its neighbours' in Featurizer's order; an absent
feature adds 0.0, which changes nothing), and each Viterbi step computes prev[i] +
trans[i][j], keeps the first maximum, and adds the state score, as crf1dc_viterbi does.
tests/test_analyze.py compares both on the treebanks' sentences.
"""

from __future__ import annotations

import ctypes
import struct
import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np

from timeline.analyze.model import cqdb_strings
from timeline.analyze.tagger import Featurizer

_LIMIT = 200_000  # word types kept between calls (a memo: results do not depend on it)


def weights(crf: bytes) -> tuple[list[str], dict[bytes, int], Any, Any]:
    """(labels, attribute id of each UTF-8 name, state weights (attributes + 1 zero row,
    labels), transition weights (from, to)) of a crfsuite CRF1d model file.

    The file (crf1dm.c): a header of uint32 offsets; the features chunk ("FEAT", size,
    count) holds 20-byte records: type (0 state, 1 transition), source (attribute or
    label), destination label, weight (a little-endian double)."""
    head = struct.unpack_from("<4sI4sIIIIIIIII", crf, 0)
    if head[0] != b"lCRF":
        raise ValueError("not a crfsuite model")
    off_features, off_labels, off_attrs = head[7], head[8], head[9]
    labels = [b.decode("utf-8") for b in cqdb_strings(crf, off_labels, "string")]
    attrs = cqdb_strings(crf, off_attrs, "string")
    chunk, _size, count = struct.unpack_from("<4sII", crf, off_features)
    if chunk != b"FEAT":
        raise ValueError("not a crfsuite model: no features where the header says")
    n = len(labels)
    state = np.zeros((len(attrs) + 1, n))
    trans = np.zeros((n, n))
    for kind, src, dst, w in struct.iter_unpack("<IIId", crf[off_features + 12 :
                                                          off_features + 12 + 20 * count]):
        (trans if kind else state)[src, dst] = w
    return labels, {a: i for i, a in enumerate(attrs)}, state, trans


class _Context(ctypes.Structure):
    """The head of crfsuite's crf1d_context_t (crf1d.h), as far as Viterbi reads it."""

    _fields_ = (("flag", ctypes.c_int), ("num_labels", ctypes.c_int),
                ("num_items", ctypes.c_int), ("cap_items", ctypes.c_int),
                ("log_norm", ctypes.c_double), ("state", ctypes.c_void_p),
                ("trans", ctypes.c_void_p))


class Viterbi:
    """crfsuite's Viterbi, called on state scores computed here.

    python-crfsuite's extension exports crfsuite's C functions (crf1dc_new,
    crf1dc_set_num_items, crf1dc_viterbi); its Python API only tags feature strings. The
    context's transition scores are set once; a sentence's state scores are copied in and
    its labels written where the caller says. ``OSError``/``AttributeError`` when the
    extension does not export them: the caller then tags through the Python API.
    """

    __slots__ = ("__weakref__", "_ctx", "_fn", "_head")

    def __init__(self, trans: Any) -> None:
        import pycrfsuite._pycrfsuite as ext

        lib = ctypes.CDLL(ext.__file__)
        new, resize, viterbi = lib.crf1dc_new, lib.crf1dc_set_num_items, lib.crf1dc_viterbi
        new.restype, new.argtypes = ctypes.c_void_p, (ctypes.c_int,) * 3
        resize.restype, resize.argtypes = ctypes.c_int, (ctypes.c_void_p, ctypes.c_int)
        viterbi.restype = ctypes.c_double
        viterbi.argtypes = (ctypes.c_void_p, ctypes.c_void_p)
        n = len(trans)
        ctx = new(1, n, 64)  # CTXF_VITERBI, labels, items it has room for
        if not ctx:
            raise OSError("crf1dc_new failed")
        head = _Context.from_address(ctx)
        if (head.flag, head.num_labels, head.num_items, head.cap_items) != (1, n, 0, 64):
            raise OSError("crfsuite's context is not laid out as crf1d.h says")
        lib.crf1dc_delete.argtypes = (ctypes.c_void_p,)
        weakref.finalize(self, lib.crf1dc_delete, ctx)
        rows = np.ascontiguousarray(trans, dtype=np.float64)
        ctypes.memmove(head.trans, rows.ctypes.data, rows.nbytes)
        self._ctx, self._head, self._fn = ctx, head, (resize, viterbi, 8 * n)

    def __call__(self, state: int, items: int, labels: int) -> None:
        """Labels (C ints at address ``labels``) of ``items`` positions whose state scores
        (C doubles, positions x labels) are at address ``state``."""
        resize, viterbi, row = self._fn
        head = self._head
        if items > head.cap_items:
            resize(self._ctx, items)
        head.num_items = items
        ctypes.memmove(head.state, state, items * row)
        viterbi(self._ctx, labels)


class Decoder:
    """The tags of a document's sentences, as the crfsuite model would give them."""

    __slots__ = ("_aid", "_featurizer", "_fm", "_ids", "_in_dict", "_labels", "_lent",
                 "_native", "_own", "_state", "_zero")

    def __init__(self, crf: bytes, featurizer: Featurizer) -> None:
        labels, self._aid, self._state, trans = weights(crf)
        self._labels = labels
        self._native = Viterbi(trans)
        self._zero = len(self._aid)  # the state row of a feature the model does not know
        self._featurizer = featurizer
        m, f = (self._aid.get(b"M", self._zero), self._aid.get(b"F", self._zero))
        self._fm = self._state[[m, f]]  # row 1: a sentence's first word
        self._reset()

    def _reset(self) -> None:
        n = len(self._labels)
        self._ids: dict[str, int] = {}
        self._own = np.zeros((1024, n))
        self._lent = np.full((1024, 8), self._zero, dtype=np.intp)
        self._in_dict = np.zeros(1024, dtype=bool)
        bos, eos = self._featurizer.ends()
        self._put(0, bos)
        self._put(1, eos)

    def _put(self, i: int, entry: tuple[list[bytes], bool, tuple[bytes | None, ...]]) -> None:
        own, in_dict, lent = entry
        aid, zero, state = self._aid, self._zero, self._state
        if i >= len(self._in_dict):
            grow = len(self._in_dict)
            self._own = np.concatenate([self._own, np.zeros_like(self._own)])
            self._lent = np.concatenate([self._lent, np.full((grow, 8), zero, np.intp)])
            self._in_dict = np.concatenate([self._in_dict, np.zeros(grow, dtype=bool)])
        row = self._own[i]
        for f in own:  # summed one by one from zero, in order, as crfsuite does
            row += state[aid[f]]
        self._lent[i] = [aid[f] if f is not None else zero for f in lent]
        self._in_dict[i] = in_dict

    def _id(self, w: str) -> int:
        if len(self._ids) > _LIMIT:
            self._reset()
        i = self._ids[w] = len(self._ids) + 2
        self._put(i, self._featurizer.entry(w))
        return i

    def __call__(self, words: Sequence[str], bounds: Sequence[tuple[int, int]]) -> list[str]:
        """The tags of ``words``, whose sentences are the (first, end) pairs ``bounds``."""
        if not words:
            return []
        get, new = self._ids.get, self._id
        ids: list[int | None] = list(map(get, words))  # in C; the new words then, in order
        if None in ids:
            for k, i in enumerate(ids):
                if i is None:
                    ids[k] = get(words[k]) or new(words[k])  # a word new twice: one id
        padded: list[int] = []
        for a, b in bounds:
            padded += (0, 0, *ids[a:b], 1, 1)
        pad = np.array(padded, dtype=np.intp)
        pos = np.flatnonzero(pad > 1)
        state = self._own[pad[pos]]
        ctx = np.flatnonzero(~self._in_dict[pad[pos]])
        if len(ctx):
            cpos = pos[ctx]
            lent, w = self._lent, self._state
            s = state[ctx]
            # Featurizer's order: previous, next, two before, two after, next's ending,
            # previous's ending, previous's shape, next's shape, then F or M
            for shift, role in ((-1, 0), (1, 1), (-2, 2), (2, 3), (1, 4), (-1, 5), (-1, 6),
                                (1, 7)):
                s += w[lent[pad[cpos + shift], role]]
            s += self._fm[(pad[cpos - 1] == 0).astype(np.intp)]
            state[ctx] = s
        return self._viterbi(state, bounds)

    def _viterbi(self, state: Any, bounds: Sequence[tuple[int, int]]) -> list[str]:
        """crfsuite's own Viterbi (crf1dc_viterbi) over each sentence's state scores."""
        native = self._native
        state = np.ascontiguousarray(state)
        out = np.empty(len(state), dtype=np.intc)
        size = state.itemsize * state.shape[1]
        base, labels = state.ctypes.data, out.ctypes.data
        for a, b in bounds:
            native(base + a * size, b - a, labels + a * 4)
        names = self._labels
        return [names[k] for k in out.tolist()]
