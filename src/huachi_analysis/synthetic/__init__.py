"""A synthetic poverty registry calibrated to the plan (县委发〔2015〕44号): the bundled default
data.

Everything here is **generated**: no row describes a real person, household or village outside
the plan's own list of poor villages. Files and frames carry that label in their names, title
rows and metadata (:mod:`.labels`).

>>> from huachi_analysis import synthetic
>>> reg = synthetic.generate_registry(2015, *synthetic.load_geography())  # doctest: +SKIP
>>> synthetic.write_exports(reg, "data/raw/registry/synthetic")  # doctest: +SKIP

Modules, in the order the generator uses them:

* :mod:`.calibration` — the plan's figures the data are drawn around, read from
  ``plan_targets`` by ``indicator_id`` and year (never typed again); years; the village exit
  threshold as a fraction;
* :mod:`.poverty_lines` — the lines the generator assumes (documented, interpolated between);
* :mod:`.geography` — the plan's townships and villages plus generated village names;
* :mod:`.ids` — synthetic resident IDs, phone numbers, household numbers and names;
* :mod:`.population` — households, members and the rural population of every village;
* :mod:`.dynamics` — exits, returns to poverty, house and water fixes, yearly status and income;
* :mod:`.export_rows` — the person rows of a year's export (standard columns);
* :mod:`.generator` — :func:`generate_registry` (pure, deterministic for a seed);
* :mod:`.measured` — figures measured on the generated data beside the plan's;
* :mod:`.export` — :func:`write_exports`: workbooks, population tables, README, metadata;
* :mod:`.departments` — the departments' filled fill-in workbooks (``huachi synth`` writes them
  to ``data/raw/actuals/synthetic/``; imported on its own, not re-exported here).
"""

from __future__ import annotations

from huachi_analysis.synthetic.calibration import (
    BASELINE_YEAR,
    VILLAGE_EXIT_THRESHOLD_FRACTION,
    YEARS,
    Calibration,
    CalibrationError,
    load_calibration,
)
from huachi_analysis.synthetic.export import (
    export_file_name,
    export_title,
    readme_text,
    write_exports,
)
from huachi_analysis.synthetic.export_rows import EXPORT_COLUMNS
from huachi_analysis.synthetic.generator import SyntheticRegistry, generate_registry
from huachi_analysis.synthetic.geography import load_geography
from huachi_analysis.synthetic.ids import (
    FAKE_PHONE_PREFIX,
    FAKE_REGION_CODE,
    id_check_character,
    is_valid_resident_id,
)
from huachi_analysis.synthetic.labels import GENERATOR, SOURCE, SYNTHETIC_LABEL
from huachi_analysis.synthetic.measured import calibration_table, village_exit_table
from huachi_analysis.synthetic.poverty_lines import (
    DOCUMENTED_LINES,
    generator_poverty_lines,
    poverty_lines_table,
)

__all__ = [
    "BASELINE_YEAR", "DOCUMENTED_LINES", "EXPORT_COLUMNS",
    "FAKE_PHONE_PREFIX", "FAKE_REGION_CODE", "GENERATOR", "SOURCE", "SYNTHETIC_LABEL",
    "VILLAGE_EXIT_THRESHOLD_FRACTION", "YEARS", "Calibration", "CalibrationError",
    "SyntheticRegistry", "calibration_table", "export_file_name", "export_title",
    "generate_registry", "generator_poverty_lines",
    "id_check_character", "is_valid_resident_id", "load_calibration", "load_geography",
    "poverty_lines_table", "readme_text", "village_exit_table", "write_exports",
]
