"""Headless Chromium for the tests that look at a page as a reader's browser shows it.

Debian's ``chromium`` package (``make system-deps`` installs it where the tests run as root);
tests that need it skip, saying why, where it is absent.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--force-device-scale-factor=1", "--mute-audio"]


def chromium() -> str:
    """Path of the Chromium binary, or skip the test saying how to get one."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("headless Chromium is not installed (Debian: `make system-deps` as root, or "
                "`apt-get install -y chromium`)")
    raise AssertionError  # unreachable


def has_system_cjk_font() -> bool:
    """True if fontconfig knows a Chinese font (then a page without its own font shows
    Chinese too, and the comparison with a font-less render proves nothing)."""
    fc = shutil.which("fc-list")
    if not fc:
        return False
    out = subprocess.run([fc, ":lang=zh", "family"], capture_output=True, text=True, timeout=30)
    return bool(out.stdout.strip())


def screenshot(page: Path, out: Path, width: int = 1000, height: int = 700) -> Path:
    """A PNG of ``page`` (a local HTML file) as headless Chromium renders it."""
    exe = chromium()
    with tempfile.TemporaryDirectory(prefix="huachi-chromium-") as profile:
        cmd = [exe, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={out}",
               f"--window-size={width},{height}", Path(page).resolve().as_uri()]
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if not out.is_file():
        raise AssertionError(f"chromium wrote no screenshot (exit {run.returncode}): "
                             f"{run.stderr[-2000:]}")
    return out


def ink(png: Path, box: tuple[int, int, int, int] | None = None, threshold: int = 110) -> int:
    """Near-black pixels (every channel below ``threshold``: text, not coloured banners) of a
    PNG, in ``box`` (left, top, right, bottom) if given: the amount of text drawn."""
    from PIL import Image, ImageChops

    img = Image.open(png).convert("RGB")
    if box:
        img = img.crop(box)
    r, g, b = img.split()
    darkest = ImageChops.lighter(ImageChops.lighter(r, g), b)  # max of the channels
    return darkest.point(lambda v: 255 if v < threshold else 0).histogram()[255]


def differing_pixels(a: Path, b: Path) -> int:
    from PIL import Image, ImageChops

    ia, ib = Image.open(a).convert("L"), Image.open(b).convert("L")
    diff = ImageChops.difference(ia, ib).point(lambda v: 255 if v > 40 else 0)
    return diff.histogram()[255]
