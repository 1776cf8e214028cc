"""Synthetic data calibrated to the plan, labelled synthetic everywhere (issue 14 turns
``registry/synth.py`` into this package). :mod:`.departments`: the departments' filled
fill-in workbooks (issue 10)."""
