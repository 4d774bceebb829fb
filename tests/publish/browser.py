"""Headless Chromium for the scorecard tests: installed when absent, every request failing fast.

The pages are opened from files with every host unresolvable and a dead proxy, so a page that needed the
network would show it. Width is measured on a copy of a page with a probe script appended (the pages
themselves carry no script): the probe writes the viewport's width, the document's scrollWidth and the
elements that stick out past the viewport into the DOM that `--dump-dom` prints.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

CJK_FONT_PACKAGE = "fonts-wqy-microhei"  # 1.6 MB; without a CJK font Chinese renders as boxes
# Any request the page makes fails fast: every host is unresolvable and the proxy port is closed.
OFFLINE_FLAGS = (
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--no-default-browser-check",
)
# The window HR opens the pages in at the narrowest: a 1280 px laptop screen.
WINDOW_WIDTH = 1280
PAGES_PER_PROBE = 20
# Each page in a frame of the window's width (its own viewport, so its media queries and layout are the
# window's); once every frame has loaded, each document's scrollWidth against its viewport, and the first
# elements that stick out.
WIDTH_PROBE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
{frames}
<script>
window.addEventListener("load", function () {{
  var out = [];
  document.querySelectorAll("iframe").forEach(function (frame) {{
    var doc = frame.contentDocument, viewport = frame.contentWindow.innerWidth, wide = [];
    doc.querySelectorAll("body *").forEach(function (el) {{
      var box = el.getBoundingClientRect();
      if (box.right > viewport + 0.5 && wide.length < 5) {{
        wide.push(el.tagName.toLowerCase() + " right=" + Math.round(box.right) + " "
                  + (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 80));
      }}
    }});
    out.push({{page: frame.dataset.page, viewport: viewport, scroll: doc.documentElement.scrollWidth,
               wide: wide}});
  }});
  var result = document.createElement("pre");
  result.id = "width-result";
  result.textContent = JSON.stringify(out);
  document.body.appendChild(result);
}});
</script></body></html>"""
FRAME = (
    '<iframe src="{src}" data-page="{page}" width="{width}" height="900" style="border:0;display:block">'
    "</iframe>"
)
WIDTH_RESULT = re.compile(r'<pre id="width-result">(.*?)</pre>', re.DOTALL)


def run(command: list[str], timeout: int = 900) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return subprocess.CompletedProcess(command, 1, "", str(error))


def apt_install(package: str) -> subprocess.CompletedProcess[str]:
    install = run(["apt-get", "install", "-y", package])
    if install.returncode != 0:  # stale package lists on a fresh machine
        run(["apt-get", "update"])
        install = run(["apt-get", "install", "-y", package])
    return install


def find_chromium() -> str:
    """Debian's chromium, installed when absent (skipped only when that fails), and a CJK font so the
    screenshots show Chinese (the DOM assertions do not need it)."""
    path = shutil.which("chromium")
    if path is None:
        install = apt_install("chromium")
        path = shutil.which("chromium")
        if path is None:
            pytest.skip(
                "Debian's chromium is not installed and `apt-get install -y chromium` failed "
                "(run the tests as root on Debian, or install it): "
                f"{(install.stderr or install.stdout)[-400:]}"
            )
    fonts = run(["fc-list", ":lang=zh", "family"])
    no_cjk_font = fonts.returncode == 0 and not fonts.stdout.strip()
    if no_cjk_font and apt_install(CJK_FONT_PACKAGE).returncode != 0:
        warnings.warn(
            f"no CJK font and `apt-get install {CJK_FONT_PACKAGE}` failed: Chinese in the "
            "screenshots shows as boxes (the DOM checks are unaffected)",
            stacklevel=1,
        )
    return path


def load(chromium: str, page: Path, work: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    profile = work / f"profile-{len(list(work.glob('profile-*')))}"
    command = [chromium, "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars",
               f"--user-data-dir={profile}", *OFFLINE_FLAGS, *extra, page.as_uri()]  # fmt: skip
    result = run(command, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


@dataclass(frozen=True)
class Width:
    page: Path
    viewport: int  # the page's layout viewport (its window's innerWidth)
    scroll: int  # the document's scrollWidth: wider than the viewport means a horizontal scrollbar
    wide: list[str]  # the first elements whose right edge passes the viewport

    @property
    def scrolls_sideways(self) -> bool:
        return self.scroll > self.viewport


def measure_widths(chromium: str, pages: list[Path], work: Path, width: int = WINDOW_WIDTH) -> list[Width]:
    """Each page's document width in a window `width` px wide. The pages are opened as frames of a probe
    page (the pages themselves carry no script), twenty to a Chromium run; the probe may read them because
    this browser is told to let file pages read files."""
    measured = []
    for start in range(0, len(pages), PAGES_PER_PROBE):
        batch = pages[start : start + PAGES_PER_PROBE]
        frames = "\n".join(
            FRAME.format(src=html.escape(p.as_uri()), page=i, width=width) for i, p in enumerate(batch)
        )
        probe = work / f"width-probe-{start}.html"
        probe.write_text(WIDTH_PROBE.format(frames=frames), encoding="utf-8")
        dom = load(chromium, probe, work, "--dump-dom", "--allow-file-access-from-files").stdout
        found = WIDTH_RESULT.search(dom)
        assert found, f"the width probe did not run ({probe})"
        for result in json.loads(html.unescape(found[1])):
            page = batch[int(result["page"])]
            measured.append(Width(page, result["viewport"], result["scroll"], result["wide"]))
    assert len(measured) == len(pages), "every page was measured"
    return measured
