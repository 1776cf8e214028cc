"""Field and table registry. Importing this package registers every table of the project."""

from huachi_analysis.metadata import (  # noqa: F401  (registration by import)
    fields_actuals,
    fields_plan,
    fields_progress,
    fields_registry,
)
from huachi_analysis.metadata.registry import (
    FIELDS,
    TABLES,
    conform,
    data_dictionary_markdown,
    empty,
    register_field,
    register_table,
    schema,
)

__all__ = [
    "FIELDS", "TABLES", "conform", "data_dictionary_markdown", "empty",
    "register_field", "register_table", "schema",
]
