"""Screenshots of each kind of page at desktop and phone width (docs/screenshots/).

Not a test: run it by hand after changing the pages. It starts a real ``tipkg serve`` (or
uses ``--url``), opens each page in headless Chromium and saves a PNG of the top of the
page (what a reader sees first), reduced to a palette to stay small:

    python -m tests.e2e.screenshots            # all pages, into docs/screenshots/
    python -m tests.e2e.screenshots --url http://127.0.0.1:8000
"""

from __future__ import annotations

import argparse
import io
import shutil
import tempfile
from pathlib import Path

from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from tests.e2e.conftest import CHROMIUM_FLAGS, ROOT, chromium_paths, start_serve

#: (file name, path): one page of each kind.
PAGES = (
    ("home", "/"),
    ("meeting", "/doc/meeting/wg-tip/12"),
    ("recommendation", "/doc/meeting/wg-tip/12/recommendation/7"),
    ("document", "/doc/document/CTOC/COP/WG.4/2022/4"),
    ("state", "/doc/state/AZE"),
    ("state-arabic", "/doc/state/AZE?lang=ar"),
    ("state-chinese", "/doc/state/AZE?lang=zh"),
    ("statement", "/doc/meeting/wg-tip/12/statement/41"),
    ("participation", "/doc/meeting/wg-tip/12/participation/AZE"),
    ("paragraph", "/doc/document/CTOC/COP/WG.4/2022/4/para/37"),
    ("agenda-item", "/doc/meeting/wg-tip/12/item/4"),
    ("organization", "/doc/organization/interpol"),
    ("person", "/doc/person/hilary-axam"),
    ("dataset", "/.well-known/void"),
    ("not-found", "/doc/meeting/wg-tip/99"),
)
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def shoot(url: str, out: Path) -> list[Path]:
    """Save a PNG of each page at each size under ``out``; return the files."""
    paths = chromium_paths()
    if paths is None:
        raise SystemExit(
            "chromium and chromedriver are needed (apt-get install chromium chromium-driver)"
        )
    out.mkdir(parents=True, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="tipkg-shots-")
    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for flag in (*CHROMIUM_FLAGS, "--hide-scrollbars", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=paths[1]), options=options)
    written = []
    try:
        for size, (width, height) in SIZES.items():
            driver.set_window_size(width, height)
            for name, path in PAGES:
                driver.get(url + path)
                png = driver.get_screenshot_as_png()
                image = Image.open(io.BytesIO(png)).convert("RGB")
                image = image.quantize(colors=64, method=Image.Quantize.MEDIANCUT)
                target = out / f"{name}-{size}.png"
                image.save(target, optimize=True)
                written.append(target)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--url", help="a running tipkg serve (default: start one)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    server = None
    tmp = Path(tempfile.mkdtemp(prefix="tipkg-shots-serve-"))
    try:
        if args.url:
            url = args.url.rstrip("/")
        else:
            server = start_serve(tmp, "--workers", "2")
            url = server.url
        files = shoot(url, args.out)
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    total = sum(f.stat().st_size for f in files)
    for f in files:
        print(f"{f.relative_to(ROOT) if f.is_relative_to(ROOT) else f}  {f.stat().st_size:,} B")
    print(f"{len(files)} screenshots, {total:,} bytes")


if __name__ == "__main__":
    main()
