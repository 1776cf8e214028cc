"""Rules of the poverty-alleviation policy that the analysis applies and the plan's text does not
state, each defined once with its unit. Imports nothing, so the CLI can show them cheaply.

>>> DEFAULT_EXIT_THRESHOLD
3.0
"""

from __future__ import annotations

#: A poor village exits when its poverty incidence falls below this, in **percent** (as
#: ``progress_registry`` measures incidence): :mod:`huachi_analysis.progress.village_exits` and
#: ``huachi progress --threshold`` use it; the synthetic generator converts it to a fraction
#: (:data:`huachi_analysis.synthetic.calibration.VILLAGE_EXIT_THRESHOLD_FRACTION`).
DEFAULT_EXIT_THRESHOLD = 3.0
