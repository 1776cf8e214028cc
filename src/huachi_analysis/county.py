"""The county this project is about, named once.

Every stage compares geographies with :data:`COUNTY` (plan targets, registry exports,
department returns, progress tables, briefings); the spellings an input may use for it are
derived here too. This module imports nothing, so the briefings' light paths can use it.

>>> COUNTY, COUNTY_SHORT, COUNTY_PREFIXES[-1]
('华池县', '华池', '华池县')
"""

from __future__ import annotations

#: The county's name as the plan and every processed table write it.
COUNTY = "华池县"
#: The name without 县 (exports and department returns write it so).
COUNTY_SHORT = COUNTY.removesuffix("县")
#: Prefixes an address may put before a township's name (province and prefecture first).
COUNTY_PREFIXES = ("甘肃省庆阳市" + COUNTY, "庆阳市" + COUNTY, COUNTY)
