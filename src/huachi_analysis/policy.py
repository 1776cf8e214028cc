"""Rules of the poverty-alleviation policy that the analysis applies and the plan's text does not
state, each defined once with its unit. Imports nothing, so the CLI can show them cheaply.

>>> DEFAULT_EXIT_THRESHOLD, YEAR_RANGE
(3.0, (2010, 2035))
"""

from __future__ import annotations

#: A poor village exits when its poverty incidence falls below this, in **percent** (as
#: ``progress_registry`` measures incidence): :mod:`huachi_analysis.progress.village_exits` and
#: ``huachi progress --threshold`` use it; the synthetic generator converts it to a fraction
#: (:data:`huachi_analysis.synthetic.calibration.VILLAGE_EXIT_THRESHOLD_FRACTION`).
DEFAULT_EXIT_THRESHOLD = 3.0
#: Years a row of data may carry (a registry export's 年度, a department's 年份): the plan's
#: period (2015–2020) with room either side; any other year is refused as not a year.
YEAR_RANGE = (2010, 2035)
