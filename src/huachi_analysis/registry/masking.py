"""Masking of the values ingest shows (findings, file names, console lines), vectorised over a
column: :func:`huachi_analysis.masking.mask_text` once per distinct value, told which personal
values of the ingested files (any value of a 姓名, 证件号码 or 联系电话 column) each one
contains.

Which personal values a shown value contains is found without a Python set of every name:

1. values that *are* a personal value (an ID shown in ``invalid_id_number``) are found with one
   Arrow ``is_in`` pass over the personal columns and masked whole;
2. in the others, the substrings of the shown part that have the length of a personal value
   holding letters (names; digits are the digit rule's) are looked up the same way, in one
   pass. Only text holding letters is searched, and at most :data:`SUBSTRING_LIMIT` distinct
   values: beyond (a file whose findings are hundreds of thousands of distinct texts) every run
   of letters is masked instead — more than needed, never less.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from huachi_analysis.masking import MAX_SHOWN, MIN_PERSONAL, compact, mask_personal, mask_text
from huachi_analysis.registry.headers import PERSONAL_FIELDS
from huachi_analysis.registry.normalise import broadcast, factorize

#: Personal values longer than this are looked for by their first characters only.
MAX_PERSONAL = 32
#: Distinct shown values searched for names inside them; beyond, letters are masked wholesale.
SUBSTRING_LIMIT = 20_000
_LETTER = re.compile(r"[^\W\d_]")
_LETTER_RUN = re.compile(r"[^\W\d_]{2,}")


class Masker:
    """The masking of one ingest: knows the personal columns of every file read."""

    def __init__(self, frames: list[pd.DataFrame]):
        self.columns = [f[c] for f in frames for c in PERSONAL_FIELDS
                        if c in f and f[c].notna().any()]
        self._arrays: list | None = None
        self._lengths: list[int] | None = None

    def _arrow_columns(self) -> list:
        if self._arrays is None:
            import pyarrow as pa

            self._arrays = []
            for c in self.columns:
                arr = getattr(c.array, "_pa_array", None)
                if arr is None:
                    arr = pa.array(c.astype(object).where(c.notna(), None).tolist(),
                                   pa.large_string())
                self._arrays.append(arr.cast(pa.large_string()) if arr.type !=
                                    pa.large_string() else arr)
        return self._arrays

    def _name_lengths(self) -> list[int]:
        """Lengths of the personal values that hold letters (names), longest first."""
        if self._lengths is None:
            import pyarrow.compute as pc

            found: set[int] = set()
            for arr in self._arrow_columns():
                named = pc.filter(arr, pc.fill_null(pc.match_substring_regex(arr, r"\pL"),
                                                    False))
                if len(named):
                    found.update(pc.unique(pc.utf8_length(named)).to_pylist())
            self._lengths = sorted((n for n in found if n and MIN_PERSONAL <= n <= MAX_PERSONAL),
                                   reverse=True)
        return self._lengths

    def _lookup(self, candidates: set[str]) -> set[str]:
        """Which ``candidates`` are a personal value: one hashed pass over each personal
        column (Arrow ``is_in`` against the candidates; no Python object per row)."""
        if not candidates or not self.columns:
            return set()
        import pyarrow as pa
        import pyarrow.compute as pc

        value_set = pa.array(list(candidates), pa.large_string())
        found: set[str] = set()
        for arr in self._arrow_columns():
            hit = pc.filter(arr, pc.is_in(arr, value_set=value_set))
            if len(hit):
                found.update(pc.unique(hit).to_pylist())
        return found

    def is_personal(self, texts: list[str]) -> set[str]:
        """Those of ``texts`` that are, exactly, a personal value of the files."""
        return self._lookup({t for t in texts if t and len(t) >= MIN_PERSONAL})

    def texts(self, texts: list[str], *, cut: bool = True) -> list[str]:
        """:func:`mask_text` of each text, with the personal values it contains (``cut``:
        long text cut as findings show it; else the whole text is searched, for file
        names)."""
        if not self.columns:
            return [mask_text(t, cut=cut) for t in texts]
        exact = self.is_personal(texts)
        lengths = self._name_lengths()
        reach = MAX_SHOWN + (lengths[0] if lengths else 0)
        todo = [i for i, t in enumerate(texts) if t not in exact and lengths
                and len(_LETTER.findall(t[:reach] if cut else t)) >= MIN_PERSONAL]
        own: dict[int, list[str]] = {}
        if len(todo) <= SUBSTRING_LIMIT:
            cands: set[str] = set()
            for i in todo:
                part = texts[i][:reach] if cut else texts[i]
                mine = []
                for v in {part, compact(part)}:
                    for n in lengths:
                        mine += [v[k:k + n] for k in range(len(v) - n + 1)]
                own[i] = mine
                cands.update(mine)
            found = self._lookup(cands)
            own = {i: [c for c in set(m) if c in found] for i, m in own.items()}
        else:  # too many to search: mask every run of letters
            for i in todo:
                texts[i] = _LETTER_RUN.sub(lambda m: mask_personal(m.group(0)), texts[i])
        out = []
        for i, t in enumerate(texts):
            if t in exact:
                out.append(mask_text(mask_personal(t), cut=cut))
            else:
                out.append(mask_text(t, own.get(i, ()), cut=cut))
        return out

    def mask(self, values: pd.Series | np.ndarray | list) -> pd.Series:
        """Masked text of a column (computed once per distinct value; null stays null)."""
        s = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
        codes, uniques = factorize(s)
        return broadcast(codes, self.texts([str(u) for u in uniques]), "str", s.index)
