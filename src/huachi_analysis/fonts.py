"""The project's Chinese font: one file, shipped by the pip package ``mplfonts``.

No system font is assumed. Two consumers:

* matplotlib: :func:`register_matplotlib` adds ``NotoSansCJKsc-Regular.otf`` to matplotlib's font
  manager and makes it the first sans-serif family, so Chinese labels render with no
  "Glyph … missing" warning;
* WeasyPrint (PDF): :class:`PdfFontSubsetter` writes a small subset of the same font holding
  exactly the characters a page uses (plus earlier pages' characters) and the PDF stylesheet
  points an ``@font-face`` at it. Embedding the 16 MB font directly makes WeasyPrint subset it
  with ``retain_gids`` over all 65,535 glyphs (4–5 s a PDF here, without the system
  ``libharfbuzz-subset``); subsetting first with fontTools costs about 0.4 s once per new
  character set and the PDF then takes about 0.25 s. The text stays real, extractable text.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from huachi_analysis.errors import HuachiError
from huachi_analysis.messages import both

#: Family name of the CJK font (as matplotlib and CSS see it).
CJK_FAMILY = "Noto Sans CJK SC"
CJK_FILE = "NotoSansCJKsc-Regular.otf"
_BROTLI_LOCK = threading.Lock()
#: Characters always kept in a PDF subset (digits, Latin, common CJK punctuation).
BASE_CHARS = frozenset(
    [chr(c) for c in range(0x20, 0x7F)]
    + list("，。、；：？！“”‘’（）《》【】—…·％＋－×÷≥≤±°→←↑↓●○■□▲△")
)


def cjk_font_path() -> Path:
    """Path of ``NotoSansCJKsc-Regular.otf`` inside the installed ``mplfonts`` package.

    Raises:
        HuachiError: ``mplfonts`` is not installed or lacks the font (run ``make setup``).
    """
    try:
        import mplfonts
    except ImportError as exc:  # pragma: no cover - dependency of the project
        raise HuachiError(both("font_package_missing")) from exc
    path = Path(mplfonts.__file__).parent / "fonts" / CJK_FILE
    if not path.is_file():  # pragma: no cover - broken install
        raise HuachiError(both("font_file_missing", path=path))
    return path


_registered = False


def register_matplotlib() -> str:
    """Make matplotlib render Chinese with the project's font; returns the family name.

    Idempotent and cheap after the first call. Sets ``font.sans-serif`` to the CJK family first
    and ``axes.unicode_minus`` off (the CJK font has no U+2212 in every weight).
    """
    global _registered
    import matplotlib as mpl
    from matplotlib import font_manager

    if not _registered:
        font_manager.fontManager.addfont(str(cjk_font_path()))
        _registered = True
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["font.sans-serif"] = [CJK_FAMILY, "DejaVu Sans"]
    mpl.rcParams["axes.unicode_minus"] = False
    return CJK_FAMILY


def subset_font_bytes(chars: set[str] | frozenset[str], source: Path | None = None,
                      flavor: str | None = None) -> bytes:
    """An OpenType subset of the CJK font holding ``chars`` (and nothing else but .notdef);
    ``flavor="woff2"`` gives the same subset as WOFF2 (Brotli-compressed, for web pages).

    >>> len(subset_font_bytes(set("华池县"))) < 100_000
    True
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    # No GSUB/GPOS: WeasyPrint drops them from the embedded font anyway, and horizontal
    # Simplified Chinese needs no substitution; keeping them triples WeasyPrint's work.
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "BASE", "VORG", "vhea", "vmtx"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    # recalcBBoxes off: the font-wide bounding box stays the full font's (harmless), which
    # spares recomputing every CFF glyph's bounds on save (a third of the time of a subset)
    font = TTFont(str(source or cjk_font_path()), lazy=True, recalcBBoxes=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(font)
    out = io.BytesIO()
    if flavor == "woff2":
        font.flavor = flavor
        with _brotli_quality(WOFF2_QUALITY):
            font.save(out)
    else:
        font.flavor = flavor
        font.save(out)
    return out.getvalue()


#: Brotli quality of WOFF2 subsets. fontTools compresses at 11 (about 0.65 s for a page's
#: 1,000 glyphs here); 10 takes a third of that for a file 0.5 % larger.
WOFF2_QUALITY = 10


@contextmanager
def _brotli_quality(quality: int) -> Iterator[None]:
    """Make fontTools' WOFF2 writer compress at ``quality`` (it always asks for 11)."""
    import brotli
    from fontTools.ttLib import woff2

    class _Brotli:
        MODE_FONT = brotli.MODE_FONT
        MODE_GENERIC = brotli.MODE_GENERIC
        decompress = staticmethod(brotli.decompress)

        @staticmethod
        def compress(data: bytes, mode: int = brotli.MODE_GENERIC, **_: object) -> bytes:
            return brotli.compress(data, mode=mode, quality=quality)

    with _BROTLI_LOCK:
        saved = woff2.brotli
        woff2.brotli = _Brotli
        try:
            yield
        finally:
            woff2.brotli = saved


def gb2312_chars() -> frozenset[str]:
    """The 6,763 hanzi and the symbols of GB 2312 (the common Simplified Chinese set)."""
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


def font_cache_dir() -> Path:
    """Where font subsets are cached: ``HUACHI_FONT_CACHE``, else
    ``$XDG_CACHE_HOME/huachi-analysis/fonts`` (default ``~/.cache/huachi-analysis/fonts``)."""
    import os

    env = os.environ.get("HUACHI_FONT_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "huachi-analysis" / "fonts"


class PdfFontSubsetter:
    """Small per-page subsets of the CJK font, fast enough for a batch of PDFs.

    Two levels, cached as files in ``cache_dir`` (named by their character set, written
    atomically, shared by processes and later runs):

    * a *working font*: GB 2312 (7,445 characters, which include the rare 崾 and 岘 of the
      plan's village names) and :data:`BASE_CHARS`, built once from the 16 MB font (a few
      seconds; :func:`working_font`, which the report batch runs in a background thread,
      under a lock);
    * per page, a subset holding exactly the page's characters, cut from the working font
      (about 0.1 s) or, for a character outside it, from the full font (about 0.4 s).
    """

    def __init__(self, cache_dir: Path | None = None):
        self.cache_dir = Path(cache_dir) if cache_dir else font_cache_dir()
        self.work_chars = frozenset(gb2312_chars() | BASE_CHARS)
        self.path: Path | None = None

    def _cached(self, prefix: str, chars: frozenset[str], source: Path | None,
                flavor: str | None = None) -> Path:
        digest = hashlib.sha256("".join(sorted(chars)).encode("utf-8")).hexdigest()[:20]
        path = self.cache_dir / f"{prefix}-{digest}.{flavor or 'otf'}"
        if not path.is_file():
            from huachi_analysis.io import write_bytes

            write_bytes(path, subset_font_bytes(chars, source, flavor))
        return path

    def working_font_path(self) -> Path:
        digest = hashlib.sha256("".join(sorted(self.work_chars)).encode("utf-8")).hexdigest()[:20]
        return self.cache_dir / f"cjk-work-{digest}.otf"

    def working_font(self, wait: bool = False) -> Path | None:
        """The working font, building it if no other process is; None if one is."""
        path = self.working_font_path()
        if path.is_file():
            return path
        from filelock import FileLock, Timeout

        self.cache_dir.mkdir(parents=True, exist_ok=True)
        try:
            with FileLock(str(path) + ".lock", timeout=-1 if wait else 0):
                return self._cached("cjk-work", self.work_chars, None)
        except Timeout:
            return None

    def _source_for(self, needed: frozenset[str]) -> Path | None:
        work = self.working_font_path() if needed <= self.work_chars else None
        if work is not None and not work.is_file():
            work = None  # not built yet (the batch builds it in the background): use the full font
        return work

    def font_for(self, text: str) -> Path:
        """A font file covering every printable character of ``text``."""
        needed = page_chars(text)
        self.path = self._cached("cjk-page", needed, self._source_for(needed))
        return self.path

    def woff2_for(self, text: str) -> Path:
        """A WOFF2 font covering every printable character of ``text`` (for HTML pages)."""
        needed = page_chars(text)
        return self._cached("cjk-web", needed, self._source_for(needed), flavor="woff2")

    def font_face_css(self, text: str) -> str:
        """An ``@font-face`` rule embedding (``data:`` URI) a WOFF2 subset of the CJK font
        that covers ``text``: the page then reads the same on a machine without any Chinese
        font, and stays one self-contained file."""
        import base64

        data = base64.b64encode(self.woff2_for(text).read_bytes()).decode("ascii")
        return (f'@font-face {{ font-family: "{CJK_FAMILY}"; font-style: normal; '
                f'font-weight: 400 700; src: url("data:font/woff2;base64,{data}") '
                f'format("woff2"); }}')


def page_chars(text: str) -> frozenset[str]:
    """The characters a font for ``text`` must hold: its printable ones and :data:`BASE_CHARS`."""
    return frozenset(c for c in set(text) if c.isprintable() and not c.isspace()) | BASE_CHARS
