"""Install the query page's SPARQL editor: YASGUI from the npm package ``@zazuko/yasgui``.

``python -m tipkg.web.static.install_assets`` (or the file itself with ``python``) runs
``npm install --prefix <temporary dir> @zazuko/yasgui@4`` and copies
``build/yasgui.min.js``, ``build/yasgui.min.css`` and the licence into
``server/tipkg/web/static/yasgui/``, which the app serves at ``/static/yasgui/``: the page never
loads code from a CDN. Without these files the home page falls back to a plain HTML form.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

PACKAGE = "@zazuko/yasgui"
DEFAULT_VERSION = "4"
TARGET = Path(__file__).resolve().parent / "yasgui"
FILES = ("yasgui.min.js", "yasgui.min.css")


def install_assets(target: Path = TARGET, version: str = DEFAULT_VERSION) -> list[Path]:
    """Install YASGUI ``version`` with npm and copy its build files into ``target``.

    Raises:
        RuntimeError: npm is missing, fails, or the package lacks the build files.
    """
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed; install Node.js (https://nodejs.org/)")
    with tempfile.TemporaryDirectory(prefix="tipkg-yasgui-") as tmp:
        command = [
            npm,
            "install",
            "--prefix",
            tmp,
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
            f"{PACKAGE}@{version}",
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr.strip()}")
        package = Path(tmp) / "node_modules" / PACKAGE
        missing = [name for name in FILES if not (package / "build" / name).is_file()]
        if missing:
            raise RuntimeError(f"{PACKAGE}@{version} has no build/{', build/'.join(missing)}")
        target.mkdir(parents=True, exist_ok=True)
        copied = [Path(shutil.copy2(package / "build" / name, target / name)) for name in FILES]
        for licence in ("LICENSE", "LICENSE.md", "LICENSE.txt"):
            if (package / licence).is_file():
                copied.append(Path(shutil.copy2(package / licence, target / "LICENSE")))
                break
    return copied


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: install the YASGUI assets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=DEFAULT_VERSION, help="npm version or range")
    parser.add_argument("--target", type=Path, default=TARGET, help="where to copy the files")
    args = parser.parse_args(argv)
    try:
        for path in install_assets(args.target, args.version):
            print(path)
    except RuntimeError as exc:
        print(f"install_assets: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
