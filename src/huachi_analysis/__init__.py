"""huachi_analysis: Huachi County's 2015 targeted-poverty-alleviation plan as data, the poverty
registry ingested and pseudonymised, progress measured against every target, and briefings.

>>> from huachi_analysis import plan
>>> len(plan.townships())
15
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("huachi-analysis")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"


def __getattr__(name: str):  # lazy submodules: `from huachi_analysis import plan`
    import importlib

    if name in {"plan", "registry", "progress", "reports", "metadata", "charts"}:
        return importlib.import_module(f"huachi_analysis.{name}")
    raise AttributeError(name)
