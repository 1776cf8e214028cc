"""Synthetic identifiers and names: resident IDs, phone numbers, household and person numbers,
personal names and the names of generated villages.

None of them can belong to a real person: resident IDs use a region code no county has, phone
numbers a prefix no subscriber has.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

#: Region code of every synthetic resident ID. GB/T 2260 province codes run 11-82 (71 Taiwan,
#: 81/82 Hong Kong/Macau); 99 is assigned to no province, so 990000 is no real county and a
#: synthetic ID can never be mistaken for, or collide with, a real person's ID.
FAKE_REGION_CODE = "990000"
#: Phone prefix of synthetic numbers: Chinese mobile numbers start 13-19 and landlines with 0;
#: 100 is a service-number prefix, never a subscriber's number.
FAKE_PHONE_PREFIX = "100"

SURNAMES = tuple("张王李刘杨马高白郭赵冯贾曹陈孙胡朱何罗徐吴周黄石薛任乔田贺路慕雷")
GIVEN_MALE = tuple("军强伟刚明亮平东海林峰宏志勇建国华文斌兵辉成忠全福贵生春荣治学")
GIVEN_FEMALE = tuple("芳娟霞丽梅英兰花琴秀艳红燕玲萍珍凤云小桂翠彩娥莉婷慧")
_VILLAGE_HEADS = tuple("高马杨刘王李白石柳杏枣红黑东西南大小上下新老张赵郭冯贾曹")
_VILLAGE_TAILS = ("家湾", "家沟", "家塬", "家岔", "家庄", "塬", "湾", "岔", "庄", "川", "台", "咀",
                  "畔", "掌", "砭", "洼", "峁", "梁", "沟门", "河")
_GROUP_NUMERALS = "一二三四五六七八"

# --- resident IDs (GB 11643) --------------------------------------------------------------
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_character(first17: str) -> str:
    """GB 11643 check character of the first 17 digits of a resident ID.

    Example: ``11010519491231002`` → ``X`` (the standard's own example ID 11010519491231002X).
    """
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def is_valid_resident_id(value: str) -> bool:
    """True when ``value`` is 18 characters, 17 digits plus the right GB 11643 check character."""
    return (isinstance(value, str) and len(value) == 18 and value[:17].isdigit()
            and value[17] == id_check_character(value[:17]))


def resident_ids(birth: np.ndarray, male: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Unique synthetic IDs: fake region, birth date, sequence (odd male, even female), check."""
    dates = pd.to_datetime(birth).strftime("%Y%m%d").to_numpy()
    frame = pd.DataFrame({"d": dates, "m": male})
    groups = frame.groupby(["d", "m"], sort=False)
    rank = groups.cumcount().to_numpy()
    gid = groups.ngroup().to_numpy()
    start = rng.integers(0, 200, size=gid.max() + 1)  # sequences do not all start at 000
    seq = (start[gid] + rank) * 2 + np.where(male, 1, 0)  # odd: male, even: female
    if seq.max() >= 1000:
        raise ValueError("more than 400 synthetic people share a birth date and sex")
    first17 = [f"{FAKE_REGION_CODE}{d}{s:03d}" for d, s in zip(dates, seq, strict=True)]
    return np.array([f + id_check_character(f) for f in first17], dtype=object)


# --- names --------------------------------------------------------------------------------
def person_names(n: int, surnames: np.ndarray, male: np.ndarray,
                 rng: np.random.Generator) -> np.ndarray:
    """Names of ``n`` people: the given surname plus one or two given-name characters (70 % two)
    drawn from the pool of their sex."""
    g1 = np.where(male, rng.integers(len(GIVEN_MALE), size=n),
                  rng.integers(len(GIVEN_FEMALE), size=n))
    g2 = np.where(male, rng.integers(len(GIVEN_MALE), size=n),
                  rng.integers(len(GIVEN_FEMALE), size=n))
    two = rng.random(n) < 0.7
    out = []
    for s, m, a, b, t in zip(surnames, male, g1, g2, two, strict=True):
        pool = GIVEN_MALE if m else GIVEN_FEMALE
        out.append(s + pool[a] + (pool[b] if t else ""))
    return np.array(out, dtype=object)


def village_name(rng: np.random.Generator) -> str:
    """A plausible administrative-village name (e.g. 高家湾村); callers skip names taken."""
    return (_VILLAGE_HEADS[rng.integers(len(_VILLAGE_HEADS))]
            + _VILLAGE_TAILS[rng.integers(len(_VILLAGE_TAILS))] + "村")


def natural_village_names(n: int, rng: np.random.Generator) -> list[str]:
    """Natural-village (村民小组) names of ``n`` households: 一组 … 八组."""
    return [_GROUP_NUMERALS[i] + "组" for i in rng.integers(0, 8, n)]


# --- numbers ------------------------------------------------------------------------------
def household_ids(township_no: Sequence[int], village_no: Sequence[int],
                  seq: Sequence[int]) -> list[str]:
    """12-digit household numbers ``00`` + township (2) + village in township (3) + household in
    village (5), with their leading zeros (the export writes them as text)."""
    return [f"00{a:02d}{b:03d}{c:05d}" for a, b, c in zip(township_no, village_no, seq,
                                                           strict=True)]


def person_ids(household: Sequence[str], member_no: Sequence[int]) -> list[str]:
    """Person numbers: the household number and the member's 0-based position + 1 (2 digits)."""
    return [f"{i}{k + 1:02d}" for i, k in zip(household, member_no, strict=True)]


def phone_numbers(n: int, rng: np.random.Generator) -> list[str]:
    """``n`` synthetic 11-digit phone numbers starting with :data:`FAKE_PHONE_PREFIX`."""
    return [FAKE_PHONE_PREFIX + f"{x:08d}" for x in rng.integers(0, 10**8, n)]
