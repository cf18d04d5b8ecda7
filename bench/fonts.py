"""Fonts on a first run and on later runs: the whole sample build, timed.

    python bench/fonts.py [--runs 3] [--seed seeds/eppd-6-2026-01-28.zh-TW.txt]
                          [--jobs N] [--baseline DIR]
    python bench/fonts.py --check-ref /work/ref/out/2026-01-28_eppd-6
    python bench/fonts.py --whole-face-stats

The default mode runs ``briefgen build SEED`` in fresh processes: a *cold* run with
``BRIEFGEN_CACHE_DIR`` pointing at an empty temporary directory (a first run on a
machine), then a *warm* run with the cache the cold run left, then a run with only the
font store emptied (``fonts0``: the fonts' own share of a first run, the other caches of
that directory warm), ``--runs`` times, and prints wall time, CPU time (user + system,
all processes) and peak RSS (the largest single process, workers included) of each,
with medians. ``--baseline DIR`` also times
warm runs of another briefgen (a directory holding a ``briefgen`` package, put first on
``PYTHONPATH``, with its own default font cache) for a before/after figure.

``--check-ref DIR`` builds the sample into a fresh cache whose embedded faces carry the
``head.modified`` times found in the reference PDFs of ``DIR`` (the only bytes in which a
whole-face conversion made on another day differs), and compares the PDFs with ``cmp``.

``--whole-face-stats`` converts every glyph of every packaged face (a few minutes) and
prints the whole-face statistics ``briefgen.fonts.WHOLE_FACE_STATS`` must hold, saying
whether they match.
"""

from __future__ import annotations

import argparse
import filecmp
import io
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "eppd-6-2026-01-28.zh-TW.txt"
#: The briefgen command of this Python environment.
BRIEFGEN = str(Path(sys.executable).with_name("briefgen"))

#: Runs a command and reports the largest RSS (KB) and CPU seconds of its process tree.
_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "use = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(use.ru_maxrss, use.ru_utime + use.ru_stime, code, file=sys.stderr)\n"
)


def run_build(seed: Path, cache: Path | None, jobs: int | None, pythonpath: str = "") -> dict:
    """One ``briefgen build`` of ``seed`` into a fresh output directory: wall seconds,
    CPU seconds and peak RSS in MB."""
    env = dict(os.environ)
    if cache is None:
        env.pop("BRIEFGEN_CACHE_DIR", None)
    else:
        env["BRIEFGEN_CACHE_DIR"] = str(cache)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    with tempfile.TemporaryDirectory(prefix="bench-fonts-out-") as out:
        command = [BRIEFGEN, "build", str(seed), "-o", out]
        if jobs:
            command += ["-j", str(jobs)]
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _WRAPPER, *command],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - start
    rss, cpu, code = done.stderr.strip().splitlines()[-1].split()
    if code != "0":
        raise SystemExit(f"build failed ({code}): {done.stderr[-2000:]}")
    return {"wall": wall, "cpu": float(cpu), "rss": int(rss) / 1024}


def bench(runs: int, seed: Path, jobs: int | None, baseline: str | None) -> None:
    """Cold and warm runs side by side, then medians."""
    rows = []
    head = (
        "run  cold s  warm s  diff s cold cpu warm cpu cold MB warm MB"
        " fonts0 s fonts0 cpu fonts0 MB"
    )
    print(head + (" base warm s base cpu base MB" if baseline else ""))
    for i in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-fonts-cache-") as cache:
            cold = run_build(seed, Path(cache), jobs)
            warm = run_build(seed, Path(cache), jobs)
            # Other caches (templates, CLDR names) warm, the font store empty: the fonts'
            # own share of a first run.
            shutil.rmtree(Path(cache) / "fonts")
            fonts_cold = run_build(seed, Path(cache), jobs)
        row = {"cold": cold, "warm": warm, "fonts": fonts_cold}
        line = (
            f"{i + 1:>3} {cold['wall']:7.2f} {warm['wall']:7.2f} "
            f"{cold['wall'] - warm['wall']:7.2f} {cold['cpu']:8.2f} {warm['cpu']:8.2f} "
            f"{cold['rss']:7.0f} {warm['rss']:7.0f} {fonts_cold['wall']:9.2f} "
            f"{fonts_cold['cpu']:9.2f} {fonts_cold['rss']:8.0f}"
        )
        if baseline:
            base = run_build(seed, None, jobs, pythonpath=baseline)
            row["base"] = base
            line += f" {base['wall']:11.2f} {base['cpu']:8.2f} {base['rss']:7.0f}"
        rows.append(row)
        print(line, flush=True)

    def median(kind: str, field: str) -> float:
        return statistics.median(r[kind][field] for r in rows)

    peak_cold = max(r["cold"]["rss"] for r in rows)
    peak_warm = max(r["warm"]["rss"] for r in rows)
    print(
        f"median: cold {median('cold', 'wall'):.2f} s, warm {median('warm', 'wall'):.2f} s "
        f"(first run costs {median('cold', 'wall') - median('warm', 'wall'):+.2f} s, "
        f"{median('cold', 'cpu') - median('warm', 'cpu'):+.2f} CPU-s); peak RSS cold "
        f"{peak_cold:.0f} MB, warm {peak_warm:.0f} MB"
    )
    print(
        f"font store empty, other caches warm: {median('fonts', 'wall'):.2f} s "
        f"(the fonts' share of a first run: "
        f"{median('fonts', 'wall') - median('warm', 'wall'):+.2f} s, "
        f"{median('fonts', 'cpu') - median('warm', 'cpu'):+.2f} CPU-s); peak RSS "
        f"{max(r['fonts']['rss'] for r in rows):.0f} MB"
    )
    if baseline:
        print(
            f"baseline warm: {median('base', 'wall'):.2f} s, {median('base', 'cpu'):.2f} CPU-s, "
            f"peak RSS {max(r['base']['rss'] for r in rows):.0f} MB"
        )
    try:
        load = os.getloadavg()[0]
        print(f"load average while measuring: {load:.2f} on {os.cpu_count()} cores")
    except OSError:
        pass


def _embedded_times(ref: Path) -> dict[str, int]:
    """PostScript name -> ``head.modified`` of each face embedded in the PDFs of ``ref``."""
    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    stamps: dict[str, int] = {}
    for path in sorted(ref.glob("*.pdf")):
        for page in PdfReader(path).pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                data = font["/FontDescriptor"]["/FontFile2"].get_object().get_data()
                head = TTFont(io.BytesIO(data)).reader["head"]
                stamps[str(font["/BaseFont"]).split("+", 1)[1]] = struct.unpack(">Q", head[28:36])[
                    0
                ]
    return stamps


def check_ref(ref: Path, seed: Path) -> bool:
    """Build ``seed`` with the reference PDFs' font times pinned; compare with ``cmp``."""
    import marshal
    import sqlite3

    stamps = _embedded_times(ref)
    with tempfile.TemporaryDirectory(prefix="bench-fonts-ref-") as tmp:
        os.environ["BRIEFGEN_CACHE_DIR"] = tmp
        from briefgen import fonts
        from briefgen.writers.pdf import _StoreFace

        store = fonts.GlyphStore(fonts.cache_dir())
        for face in fonts.FACES.values():
            for variant in (face.regular, face.bold, face.italic, face.bold_italic):
                if variant is None:
                    continue
                try:
                    data = fonts.face_data(variant)
                except fonts.FontUnavailable:
                    continue
                name = _StoreFace(data).name.decode()
                if name not in stamps:
                    continue
                record = store.face(data.key)
                head = record["tables"]["head"]
                record["tables"]["head"] = head[:28] + struct.pack(">Q", stamps[name]) + head[36:]
                with sqlite3.connect(store.path) as conn:
                    conn.execute(
                        "UPDATE face SET record = ? WHERE key = ?",
                        (marshal.dumps(record), data.key),
                    )
                print(f"pinned {name} to the reference's head.modified {stamps[name]}")
        out = Path(tmp) / "out"
        subprocess.run(
            [BRIEFGEN, "build", str(seed), "-o", str(out)],
            check=True,
            stdout=subprocess.DEVNULL,
            env=dict(os.environ),
        )
        built = {p.name: p for p in out.rglob("*.pdf")}
        same = True
        for path in sorted(ref.glob("*.pdf")):
            equal = path.name in built and filecmp.cmp(path, built[path.name], shallow=False)
            same &= equal
            print(f"{'same' if equal else 'DIFFERENT'}  {path.name}")
    return same


def whole_face_stats() -> bool:
    """Convert every glyph of every packaged face and print the whole-face statistics
    (as fontTools computes them when it saves a whole face)."""
    from briefgen import fonts

    ok = True
    for face in fonts.FACES.values():
        for variant in (face.bold, face.bold_italic, face.regular):
            if variant is None or variant.transform in ("none", "system:kai"):
                continue
            data = fonts.face_data(variant)
            gids = (
                {0, *data.cmap.values()}
                if variant.transform.startswith("hans-fallback:")
                else set(range(len(data.advances)))
            )
            glyphs = fonts.glyphs(data, gids)
            stats = _stats(data, glyphs)
            key = f"{fonts._fingerprint(data.source)}|{variant.transform}"
            known = fonts.WHOLE_FACE_STATS.get(key)
            match = known == stats
            ok &= match
            print(f"{'matches' if match else 'DIFFERS'}  {key!r}: {stats},")
    return ok


def _stats(data, glyphs: dict) -> dict[str, int]:
    """``head``/``hhea``/``maxp`` figures over ``glyphs``, as fontTools' recalc does."""
    boxes, points, contours, all_lsb = [], 0, 0, True
    min_lsb = min_rsb = 1 << 30
    extent = -(1 << 30)
    for gid, glyph in glyphs.items():
        if len(glyph.data) < 10:
            continue
        n, x_min, y_min, x_max, y_max = struct.unpack(">hhhhh", glyph.data[:10])
        if n == 0:
            continue
        boxes.append((x_min, y_min, x_max, y_max))
        all_lsb &= glyph.lsb == x_min
        width = x_max - x_min
        min_lsb = min(min_lsb, glyph.lsb)
        min_rsb = min(min_rsb, data.advances[gid] - glyph.lsb - width)
        extent = max(extent, glyph.lsb + width)
        if n > 0:
            (last,) = struct.unpack(">H", glyph.data[10 + 2 * (n - 1) : 12 + 2 * (n - 1)])
            points, contours = max(points, last + 1), max(contours, n)
    stats = {
        "head.xMin": min(b[0] for b in boxes),
        "head.yMin": min(b[1] for b in boxes),
        "head.xMax": max(b[2] for b in boxes),
        "head.yMax": max(b[3] for b in boxes),
        "head.flags": (struct.unpack(">H", data.tables["head"][16:18])[0] & ~2) | (2 * all_lsb),
        "hhea.advanceWidthMax": max(data.advances[g] for g in glyphs),
        "hhea.minLeftSideBearing": min_lsb,
        "hhea.minRightSideBearing": min_rsb,
        "hhea.xMaxExtent": extent,
    }
    if not data.transform.startswith("instance:"):
        stats["maxp.maxPoints"], stats["maxp.maxContours"] = points, contours
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=Path, default=SEED)
    parser.add_argument("--jobs", type=int, default=None, help="briefgen build -j")
    parser.add_argument("--baseline", help="a directory holding another briefgen package")
    parser.add_argument("--check-ref", type=Path, metavar="DIR")
    parser.add_argument("--whole-face-stats", action="store_true")
    args = parser.parse_args()
    if args.check_ref:
        raise SystemExit(0 if check_ref(args.check_ref, args.seed) else 1)
    if args.whole_face_stats:
        raise SystemExit(0 if whole_face_stats() else 1)
    bench(args.runs, args.seed, args.jobs, args.baseline)


if __name__ == "__main__":
    main()
