"""Which county department reports which targets: the plan's domains grouped as its clauses
group them, one worksheet per department in the fill-in workbook. Defined once, here.

>>> department_of("roads").sheet, department_of("roads").name
('交通', '县交通运输局')
>>> sorted({d.sheet for d in DEPARTMENTS}) == sorted(d.sheet for d in DEPARTMENTS)
True
"""

from __future__ import annotations

from dataclasses import dataclass

from huachi_analysis.metadata.fields_plan import DOMAINS


@dataclass(frozen=True)
class Department:
    sheet: str  # worksheet name (short, Chinese; Excel allows 31 characters)
    name: str  # the department as the workbook names it
    domains: tuple[str, ...]  # plan domains (plan_targets.domain) it reports


#: In the order of the plan's clauses (7 infrastructure, 8 industry, 9 social services, 10-21).
DEPARTMENTS: tuple[Department, ...] = (
    Department("交通", "县交通运输局", ("roads",)),
    Department("水利", "县水务局", ("water",)),
    Department("住建", "县住房和城乡建设局", ("housing",)),
    Department("电力", "国网华池县供电公司", ("electricity",)),
    Department("通信", "县工业和信息化局（会同电信、移动、联通、广电网络公司）", ("telecom",)),
    Department("农牧", "县农牧局", ("farmland", "agriculture", "processing", "cooperatives")),
    Department("林业", "县林业局（会同国土资源局）", ("ecology",)),
    Department("环保", "县环境保护局", ("environment",)),
    Department("人社", "县人力资源和社会保障局", ("labour",)),
    Department("商务", "县商务局", ("services",)),
    Department("教育", "县教育局", ("education",)),
    Department("卫生", "县卫生和计划生育局", ("health",)),
    Department("文化", "县文化广电局", ("culture",)),
    Department("科技", "县科学技术局", ("science",)),
    Department("民政", "县民政局", ("social_security",)),
    Department("财政", "县财政局（会同金融办）", ("finance",)),
    Department("统计", "县统计局", ("income",)),
    Department("扶贫", "县扶贫开发办公室", ("population", "relocation", "governance")),
)

#: The office departments send their workbooks to (named in the 说明 sheet).
COLLECTING_OFFICE = "县扶贫开发领导小组办公室（县扶贫办）"

_BY_DOMAIN = {dom: d for d in DEPARTMENTS for dom in d.domains}
_unassigned = sorted(set(DOMAINS) - set(_BY_DOMAIN))
if _unassigned:  # a new domain in fields_plan must be given a department here
    raise RuntimeError(f"plan domains without a department: {_unassigned}")


def department_of(domain: str) -> Department:
    """The department reporting targets of ``domain``."""
    return _BY_DOMAIN[domain]


def by_sheet(sheet: str) -> Department | None:
    """The department of a worksheet name, or None."""
    return next((d for d in DEPARTMENTS if d.sheet == sheet), None)
