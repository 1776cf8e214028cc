"""Briefings: parameterised notebooks run through papermill into HTML and PDF.

* :mod:`.data` loads the processed tables; :mod:`.tables` computes what a briefing shows
  (pure functions); :mod:`.briefing` displays it section by section (the notebooks call it;
  the sections are :mod:`.county_briefing`, :mod:`.township_briefing`, :mod:`.briefing_base`);
* :mod:`.labels` (+ ``labels.yml``) holds every label in Chinese and English;
* :mod:`.selection`, :mod:`.runner`, :mod:`.engine`, :mod:`.render`, :mod:`.manifest` make a
  batch: which reports, run on warm kernels in parallel, HTML and PDF, manifest and index.
"""
