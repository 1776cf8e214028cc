"""Progress engine: registry indicators, village exits, exit audit, targets against actuals and
trajectories. Pure functions from tables to tables (no I/O); ``build`` holds the edges."""

from huachi_analysis.progress.compute import compute_progress, report_years
from huachi_analysis.progress.exit_audit import exit_audit
from huachi_analysis.progress.registry_indicators import INDICATORS, registry_indicators
from huachi_analysis.progress.status import AT_RISK_RATIO, ON_TRACK_RATIO, target_status
from huachi_analysis.progress.targets import combine_actuals, progress_targets
from huachi_analysis.progress.trajectory import progress_trajectory
from huachi_analysis.progress.village_exits import (
    DEFAULT_EXIT_THRESHOLD,
    village_counts,
    village_exits,
)

__all__ = [
    "AT_RISK_RATIO", "DEFAULT_EXIT_THRESHOLD", "INDICATORS", "ON_TRACK_RATIO",
    "combine_actuals", "compute_progress", "exit_audit",
    "progress_targets", "progress_trajectory", "registry_indicators", "report_years",
    "target_status", "village_counts", "village_exits",
]
