"""Executed notebook → self-contained HTML page → A4 PDF, all in-process.

* HTML: nbconvert's ``HTMLExporter`` with the ``basic`` template and ``exclude_input=True``
  (no code cells, no prompts, no markdown cells) gives the body: each section's rich display
  (:class:`~huachi_analysis.reports.section.Section`); ``templates/page.html.j2`` wraps it with
  the report stylesheet. Images are ``data:`` URIs (charts are embedded PNG) and
  :func:`embed_font` adds a WOFF2 subset of Noto Sans CJK SC as a ``data:`` URI, so the page
  references no script, font or stylesheet by URL: it opens offline and shows its Chinese on a
  machine without any Chinese font.
* PDF: WeasyPrint renders that same page on A4 with page numbers (``@page`` margin boxes) and
  the SYNTHETIC mark on every page; an extra ``@font-face`` points at a local subset of
  Noto Sans CJK SC (:class:`huachi_analysis.fonts.PdfFontSubsetter`), so Chinese is real,
  extractable text in a Simplified Chinese face with no system font needed.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

from huachi_analysis.fonts import CJK_FAMILY, PdfFontSubsetter

TEMPLATES = Path(__file__).with_name("templates")
_TITLE_RE = re.compile(r'<h1 class="report-title">(.*?)</h1>', re.S)
_BANNER_RE = re.compile(r'<div class="synthetic-banner" data-synthetic="true">(.*?)</div>', re.S)


class _QuietSubsetNotice:
    """Drop WeasyPrint's notice that it subsets with fontTools (our font is pre-subset)."""

    def filter(self, record) -> bool:
        return not str(record.getMessage()).startswith("Using fontTools instead of HarfBuzz")


@cache
def _weasyprint_logging() -> None:
    import logging

    logging.getLogger("weasyprint").addFilter(_QuietSubsetNotice())


@cache
def _exporter():
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                        exclude_output_prompt=True, exclude_markdown=True,
                        anchor_link_text="")


@cache
def _page_template():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True)
    return env.get_template("page.html.j2")


@cache
def _css() -> str:
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


def report_body(nb) -> str:
    """The notebook's outputs as HTML (no inputs, no prompts, no stderr streams)."""
    import copy

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = [o for o in cell.get("outputs", [])
                               if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    body, _ = _exporter().from_notebook_node(nb)
    return body


def page(body: str, lang: str = "zh", extra_css: str = "") -> str:
    """A complete HTML page around ``body``; title and SYNTHETIC mark are read from it."""
    from markupsafe import Markup

    from huachi_analysis import __version__

    m = _TITLE_RE.search(body)
    title = html.unescape(re.sub(r"<[^>]+>", "", m.group(1))) if m else "华池县精准扶贫简报"
    b = _BANNER_RE.search(body)
    synthetic_text = html.unescape(b.group(1)) if b else ""
    return _page_template().render(
        lang="zh-CN" if lang == "zh" else lang, title=title, version=__version__,
        synthetic=bool(b), synthetic_text=Markup(re.sub(r"[\"'\\<>]", "", synthetic_text)),
        css=Markup(_css()), extra_css=Markup(extra_css), body=Markup(body))


def embed_font(page_html: str, subsetter: PdfFontSubsetter | None = None) -> str:
    """``page_html`` with an ``@font-face`` holding a WOFF2 subset of the CJK font that covers
    every character of the page (a ``data:`` URI in a ``<style>`` before ``</head>``)."""
    css = (subsetter or PdfFontSubsetter()).font_face_css(page_html)
    return page_html.replace("</head>", f'<style id="embedded-font">{css}</style>\n</head>', 1)


def font_face_css(font_path: Path) -> str:
    return (f'@font-face {{ font-family: "{CJK_FAMILY}"; '
            f'src: url("{Path(font_path).resolve().as_uri()}"); }}')


def pdf_bytes(page_html: str, subsetter: PdfFontSubsetter, lang: str = "zh") -> bytes:
    """Render an HTML page (from :func:`page`) to an A4 PDF with the CJK font embedded."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    _weasyprint_logging()
    font = subsetter.font_for(page_html)
    font_config = FontConfiguration()  # @font-face in an extra stylesheet needs one shared
    css = weasyprint.CSS(string=font_face_css(font), font_config=font_config)
    # full_fonts: the font is already a subset of this page's characters; WeasyPrint's own
    # fontTools subsetting (no libharfbuzz-subset here) would double the time of a PDF.
    return weasyprint.HTML(string=page_html).write_pdf(stylesheets=[css], font_config=font_config,
                                                       full_fonts=True)
