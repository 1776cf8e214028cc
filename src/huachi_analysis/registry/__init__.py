"""Registry ingest: poverty-registry exports (建档立卡) in, validated and pseudonymised tables
out.

Modules: :mod:`.headers` (header spellings), :mod:`.encodings` (CSV text encodings),
:mod:`.xlsx_guard` (bounded reading of workbooks), :mod:`.read` (files → text frames),
:mod:`.validate` (rules and vectorised checks), :mod:`.vocab` (codes of the coded columns),
:mod:`.checks` (the row-level checks of one file), :mod:`.masking` (what findings show),
:mod:`.findings`, :mod:`.households`, :mod:`.pseudonym` (keyed pseudonyms and the key),
:mod:`.ingest` (the pure transform), :mod:`.actuals` (indicator actuals and input tables),
:mod:`.build` (the ``huachi build`` step and the writers), :mod:`.synth` (the synthetic
registry).
"""
