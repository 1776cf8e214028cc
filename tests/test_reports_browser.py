"""The HTML briefings read the same on a machine without Chinese fonts: the page embeds its
font. Checked in headless Chromium (skipped where it is not installed; see tests/browser.py).
The briefing and the index themselves are checked in test_reports_batch.py."""

from __future__ import annotations

import pytest

from browser import differing_pixels, has_system_cjk_font, ink, screenshot

pytestmark = pytest.mark.slow

TEXT = "华池县精准扶贫李崾岘村"


def _reference_ink(text: str, size: int) -> int:
    """Dark pixels of ``text`` drawn by FreeType (Pillow) from the project's font file."""
    from PIL import Image, ImageDraw, ImageFont

    from huachi_analysis.fonts import cjk_font_path

    font = ImageFont.truetype(str(cjk_font_path()), size)
    img = Image.new("L", (size * (len(text) + 2), size * 2), 255)
    ImageDraw.Draw(img).text((size // 2, size // 2), text, font=font, fill=0)
    return sum(img.point(lambda v: 255 if v < 110 else 0).histogram()[255:])


def test_embedded_font_draws_the_chinese_glyphs(tmp_path):
    from huachi_analysis.fonts import PdfFontSubsetter
    from huachi_analysis.reports import render

    body = f'<p style="font-size:64px;line-height:1.3;margin:24px 0;color:#000">{TEXT}</p>'
    plain = render.page(body)
    with_font = render.embed_font(plain, PdfFontSubsetter(tmp_path / "fonts"))
    assert "data:font/woff2;base64," in with_font and "<script" not in with_font
    (tmp_path / "a.html").write_text(with_font, encoding="utf-8")
    (tmp_path / "b.html").write_text(plain, encoding="utf-8")
    a = screenshot(tmp_path / "a.html", tmp_path / "a.png", 1000, 300)
    drawn, expected = ink(a), _reference_ink(TEXT, 64)
    # the same outlines at the same size: about the same amount of ink (empty boxes or
    # another face would differ by far more)
    assert 0.7 < drawn / expected < 1.4, (drawn, expected)
    if has_system_cjk_font():
        pytest.skip("this machine has a Chinese system font: a page without the embedded font "
                    "would show Chinese too, so the font-less comparison proves nothing here")
    b = screenshot(tmp_path / "b.html", tmp_path / "b.png", 1000, 300)
    assert differing_pixels(a, b) > 2000  # without the embedded font: boxes, not glyphs
