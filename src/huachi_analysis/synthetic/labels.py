"""What marks the generated data as synthetic: its label, ``source`` value and generator name.

Every file, title row, workbook property and table the package writes carries one of these.
"""

from __future__ import annotations

#: Label of every title row, README and metadata file.
SYNTHETIC_LABEL = "合成数据 SYNTHETIC — 非真实数据"
#: ``source`` of every synthetic table row (population tables, indicator actuals).
SOURCE = "synthetic"
#: The generator named in workbook properties, the README and the metadata file.
GENERATOR = "huachi_analysis.synthetic"
