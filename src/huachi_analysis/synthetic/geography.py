"""The synthetic county's geography: the plan's townships and villages, plus generated names
for the administrative villages the plan does not name."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from huachi_analysis import paths
from huachi_analysis.errors import InputFileError, ParameterError
from huachi_analysis.messages import both
from huachi_analysis.synthetic.ids import village_name
from huachi_analysis.values import bool_of


def load_geography(raw: Path | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Read the plan geography through the plan package: (villages, townships).

    Args:
        raw: Folder of raw inputs (``data/raw`` when ``None``); the plan lives in ``raw/plan``.

    Raises:
        InputFileError: the plan's village or township list cannot be read.
    """
    from huachi_analysis import plan

    try:
        villages = plan.villages(raw)
        townships = list(plan.townships(raw)["township"])
    except FileNotFoundError as exc:
        raise InputFileError(exc.filename or (raw or paths.RAW),
                             both("synth_plan_lists_missing")) from None
    return villages, townships


def split_villages(villages: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(poor villages with exit year, other villages the plan names)."""
    for col in ("township", "village", "is_poor_village", "exit_year"):
        if col not in villages.columns:
            raise ParameterError(both("synth_village_column_missing", column=col))
    flag = villages["is_poor_village"].map(bool_of).eq(True)
    poor = villages.loc[flag, ["township", "village", "exit_year"]].copy()
    poor["exit_year"] = pd.to_numeric(poor["exit_year"]).astype(int)
    named = villages.loc[~flag, ["township", "village"]].copy()
    return poor.reset_index(drop=True), named.reset_index(drop=True)


def generated_villages(poor: pd.DataFrame, named: pd.DataFrame, townships: Sequence[str],
                       total_villages: int, rng: np.random.Generator) -> pd.DataFrame:
    """Non-poor villages with generated names, spread so that every township has some; with
    the plan's poor villages and the non-poor ones it names, they make up ``total_villages``
    (the county's administrative villages)."""
    n_extra = total_villages - len(poor) - len(named)
    if n_extra < 0:
        raise ParameterError(both("synth_too_many_villages", named=len(poor) + len(named),
                                  total=total_villages))
    n_poor = pd.concat([poor, named]).groupby("township").size()
    weights = np.array([max(9 - int(n_poor.get(t, 0)), 2) for t in townships], dtype=float)
    quota = weights / weights.sum() * n_extra
    counts = np.floor(quota).astype(int)
    for i in np.argsort(-(quota - counts), kind="stable")[: n_extra - counts.sum()]:
        counts[i] += 1
    taken = set(poor["village"]) | set(named["village"])
    rows = []
    for t, k in zip(townships, counts, strict=True):
        made = 0
        while made < k:
            name = village_name(rng)
            if name in taken:
                continue
            taken.add(name)
            rows.append((t, name))
            made += 1
    return pd.DataFrame(rows, columns=["township", "village"])


def village_table(villages: pd.DataFrame, townships: Sequence[str], total_villages: int,
                  rng: np.random.Generator) -> pd.DataFrame:
    """Every village of the synthetic county, one row each, ordered by township (in the order
    of ``townships``), poor villages first, then by name.

    Columns: ``township, village, exit_year, is_poor_village, is_generated, t`` (township
    position, 0-based), ``v_in_t`` (village position in its township, 1-based).

    Raises:
        ParameterError: a village lies in a township not in ``townships``.
    """
    poor, named = split_villages(villages)
    unknown = sorted((set(poor["township"]) | set(named["township"])) - set(townships))
    if unknown:
        raise ParameterError(both("synth_unknown_townships", unknown=unknown,
                                  townships=list(townships)))
    extra = generated_villages(poor, named, townships, total_villages, rng)
    vinfo = pd.concat([
        poor.assign(is_poor_village=True, is_generated=False),
        named.assign(is_poor_village=False, exit_year=pd.NA, is_generated=False),
        extra.assign(is_poor_village=False, exit_year=pd.NA, is_generated=True),
    ], ignore_index=True)
    vinfo["t"] = vinfo["township"].map({t: i for i, t in enumerate(townships)})
    vinfo = vinfo.sort_values(["t", "is_poor_village", "village"], ascending=[True, False, True],
                              kind="stable").reset_index(drop=True)
    vinfo["v_in_t"] = vinfo.groupby("t").cumcount() + 1
    return vinfo
