"""Masking of the values ingest shows (findings, file names, console lines), vectorised over a
column: :func:`huachi_analysis.masking.mask_text` once per distinct value, told which personal
values of the ingested files (any value of a 姓名, 证件号码 or 联系电话 column) each one
contains.

Which personal values a shown value contains is found without a set of every name: the
substrings of the (few) distinct shown values are looked up in the personal columns with one
vectorised ``isin`` per column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from huachi_analysis.masking import MAX_SHOWN, MIN_PERSONAL, compact, mask_text
from huachi_analysis.registry.headers import PERSONAL_FIELDS
from huachi_analysis.registry.validate import broadcast, factorize

#: Personal values longer than this are looked for by their first characters only.
MAX_PERSONAL = 32


class Masker:
    """The masking of one ingest: knows the personal columns of every file read."""

    def __init__(self, frames: list[pd.DataFrame]):
        self.columns = [f[c] for f in frames for c in PERSONAL_FIELDS
                        if c in f and f[c].notna().any()]
        self._longest: int | None = None
        self._arrays: list | None = None

    def _max_len(self) -> int:
        if self._longest is None:
            import pyarrow.compute as pc

            lens = [pc.max(pc.utf8_length(a)).as_py() or 0 for a in self._arrow_columns()]
            self._longest = min(max(lens, default=0), MAX_PERSONAL)
        return self._longest

    def _arrow_columns(self) -> list:
        if self._arrays is None:
            import pyarrow as pa

            self._arrays = []
            for c in self.columns:
                arr = getattr(c.array, "_pa_array", None)
                self._arrays.append(arr if arr is not None else
                                    pa.array(c.astype("str").array._pa_array))
        return self._arrays

    def _lookup(self, candidates: set[str]) -> set[str]:
        """Which ``candidates`` are a personal value: one hashed pass over each personal
        column (Arrow ``is_in`` against the few candidates; no Python object per row)."""
        if not candidates or not self.columns:
            return set()
        import pyarrow as pa
        import pyarrow.compute as pc

        value_set = pa.array(list(candidates), pa.large_string())
        found: set[str] = set()
        for arr in self._arrow_columns():
            arr = arr.cast(pa.large_string()) if arr.type != pa.large_string() else arr
            hit = pc.filter(arr, pc.is_in(arr, value_set=value_set))
            if len(hit):
                found.update(pc.unique(hit).to_pylist())
        return found

    def personal_in(self, texts: list[str]) -> set[str]:
        """The personal values that occur in any of ``texts`` (as written, or once spaces are
        removed), looking only at what is shown (the first characters)."""
        longest = self._max_len()
        if longest < MIN_PERSONAL:
            return set()
        cands: set[str] = set()
        for t in texts:
            for v in {t[:MAX_SHOWN + longest], compact(t[:MAX_SHOWN + longest])}:
                n = len(v)
                for i in range(n - MIN_PERSONAL + 1):
                    for j in range(i + MIN_PERSONAL, min(n, i + longest) + 1):
                        cands.add(v[i:j])
        return self._lookup(cands)

    def is_personal(self, texts: list[str]) -> set[str]:
        """Those of ``texts`` that are, exactly, a personal value of the files."""
        return self._lookup({t for t in texts if t and len(t) >= MIN_PERSONAL})

    def texts(self, texts: list[str], *, cut: bool = True) -> list[str]:
        """:func:`mask_text` of each text, with the personal values it contains (``cut``:
        long text cut as findings show it)."""
        found = self.personal_in(texts) if cut else self._personal_anywhere(texts)
        if not found:
            return [mask_text(t, cut=cut) for t in texts]
        out = []
        for t in texts:
            part = t[:MAX_SHOWN + MAX_PERSONAL] if cut else t
            shown, folded = part, compact(part)
            mine = [p for p in found if p in shown or compact(p) in folded]
            out.append(mask_text(t, mine, cut=cut))
        return out

    def _personal_anywhere(self, texts: list[str]) -> set[str]:
        """:meth:`personal_in` over the whole of (short) texts such as file names."""
        return self.personal_in([t[i:i + MAX_SHOWN] for t in texts
                                 for i in range(0, max(len(t), 1), MAX_SHOWN // 2)])

    def mask(self, values: pd.Series | np.ndarray | list) -> pd.Series:
        """Masked text of a column (computed once per distinct value; null stays null)."""
        s = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
        codes, uniques = factorize(s)
        return broadcast(codes, self.texts([str(u) for u in uniques]), "str", s.index)
