"""Department figures and published statistics: the fill-in workbook, reading returns back,
checking every cell against the plan, and the ``actuals`` build step (issue 10).

Modules: :mod:`.kinds` (what a target needs reported: the one adapter to the plan's target
kinds), :mod:`.departments` (domain → department → worksheet), :mod:`.template` (rows and
writing the workbook), :mod:`.workbook` and :mod:`.long_csv` (readers), :mod:`.rules` and
:mod:`.validate` (checks), :mod:`.precedence` (which figure wins), :mod:`.build` (the step).
"""
