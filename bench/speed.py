"""Issue 13's side-by-side speed table: briefgen, its fastest peer and the floor, one run.

    python bench/speed.py [--rows build,one,peer,floor,first,batch] [--runs N]
                          [--slow-runs M] [--batch-articles K] [--commit REV]
                          [--cache-dir DIR]

Rows (wall seconds of whole processes; median and range over the runs; peak RSS of the
largest process of a run, the largest over the runs):

  build  `briefgen build` on the sample (seeds/eppd-6-2026-01-28.zh-TW.txt), all 16
         documents, into a new directory each run, font cache warm;
  one    the same, one document: --audience working --lang zh-TW --format pdf;
  peer   pandoc -> WeasyPrint (bench/peer.sh), one zh PDF of the working memo's text,
         with briefgen's CJK font files; skipped, saying how to install it, when missing;
  floor  bench/floor_memo.py: the same text laid out by hand with plain reportlab and
         the same font files, the least any reportlab-based tool needs;
  first  the sample build with BRIEFGEN_CACHE_DIR a new empty directory each run (the
         first run on a machine), and its difference from `build`;
  batch  K real articles (copies of tests/corpus/real/*) x 16 documents on 2 processes:
         `briefgen build ... -j 2` when `briefgen build --help` offers --jobs, else two
         shell loops of one-article builds in parallel; articles/hour.

The working memo's text comes from briefgen's own HTML writer (built once, untimed, in
the step that also warms the font cache), turned into a small Markdown file that the
peer and the floor both read. Times come from hyperfine when it is installed, else from
this script (os.wait4 around each process); peak RSS from GNU time (`-f %M`) under
hyperfine, from wait4's rusage otherwise. `build`, `one`, `peer` and `floor` take N runs
after one warm-up; `first` and `batch` take M runs (each is a minute) and no warm-up.
With --commit, that commit (exported with git archive, imported through PYTHONPATH) is
measured instead of the work tree: "before" figures while the tree is being changed.
The load average is printed beside each row: the figures mean little when it is high.
Then the issue's targets, met or not. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import html.parser
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
#: The sample and the real corpus, relative to the source tree measured.
SAMPLE = Path("seeds") / "eppd-6-2026-01-28.zh-TW.txt"
REAL = Path("tests") / "corpus" / "real"
#: Every writer, so the setup build also makes the HTML memo the peer and floor read.
ALL_FORMATS = ("--format", "docx,pdf,html")
ROWS = ("build", "one", "peer", "floor", "first", "batch")
WEASYPRINT_VENV = Path("/tmp/weasyprint-venv/bin/weasyprint")
PEER_INSTALL = (
    "apt-get install -y pandoc libharfbuzz-subset0; python3 -m venv /tmp/weasyprint-venv && "
    "/tmp/weasyprint-venv/bin/pip install weasyprint"
)
#: The issue's targets.
TARGET_ALL_S = 1.0
TARGET_ONE_X_FLOOR = 1.5
TARGET_FIRST_EXTRA_S = 1.0
TARGET_ARTICLES_PER_HOUR = 6000
TARGET_RSS_MB = 200


@dataclass(frozen=True)
class Job:
    """One command to time: a shell command line, run with ``env``; ``prepare`` (a shell
    command line or "") runs untimed before each run."""

    command: str
    env: dict[str, str]
    prepare: str = ""
    runs: int = 5
    warmup: int = 1


@dataclass
class Row:
    """The figures of one row of the table."""

    key: str
    label: str
    times: list[float] = field(default_factory=list)
    rss_mb: float | None = None
    load: tuple[float, float] = (0.0, 0.0)
    note: str = ""
    skipped: str = ""

    @property
    def median(self) -> float:
        """Median wall seconds (NaN when the row has no runs)."""
        return statistics.median(self.times) if self.times else float("nan")


def log(message: str) -> None:
    """Say what the benchmark is doing, on standard error."""
    print(f"[speed] {message}", file=sys.stderr, flush=True)


def briefgen_command() -> list[str]:
    """The `briefgen` executable of this Python environment (its console script when
    there is one, else ``python -m briefgen``)."""
    script = Path(sys.executable).parent / "briefgen"
    if script.is_file():
        return [str(script)]
    found = shutil.which("briefgen")
    return [found] if found else [sys.executable, "-m", "briefgen"]


def gnu_time() -> str | None:
    """Path of GNU time when installed (it reports peak RSS with ``-f %M``), else None."""
    path = Path("/usr/bin/time")
    if not path.is_file():
        return None
    probe = subprocess.run([str(path), "--version"], capture_output=True, text=True)
    return str(path) if "GNU" in probe.stdout + probe.stderr else None


def weasyprint_path() -> str | None:
    """The weasyprint executable: $WEASYPRINT, then PATH, then /tmp/weasyprint-venv."""
    for candidate in (os.environ.get("WEASYPRINT"), shutil.which("weasyprint")):
        if candidate and Path(candidate).is_file():
            return candidate
    return str(WEASYPRINT_VENV) if WEASYPRINT_VENV.is_file() else None


class Timer:
    """Runs a Job ``runs`` times and returns wall seconds per run and peak RSS (MB):
    with hyperfine (and GNU time for RSS) when ``hyperfine`` is set, else by itself."""

    def __init__(self, work: Path, hyperfine: str | None, time_cmd: str | None) -> None:
        self.work = work
        self.hyperfine = hyperfine if time_cmd else None
        self.time_cmd = time_cmd
        self._count = 0

    @property
    def name(self) -> str:
        """What measures: hyperfine or this script."""
        if self.hyperfine:
            return f"hyperfine ({self.hyperfine}), peak RSS by GNU time -f %M"
        return "this script (os.wait4 around each process), peak RSS from its rusage"

    def measure(self, job: Job) -> tuple[list[float], float | None]:
        """Wall seconds of each timed run of ``job`` and the peak RSS over all runs (MB);
        raises RuntimeError when a run fails."""
        self._count += 1
        if self.hyperfine:
            return self._hyperfine(job)
        return self._self_timed(job)

    def _hyperfine(self, job: Job) -> tuple[list[float], float | None]:
        rss_file = self.work / f"rss-{self._count}.txt"
        report = self.work / f"hyperfine-{self._count}.json"
        wrapped = (
            f"{shlex.quote(str(self.time_cmd))} -f %M -a -o {shlex.quote(str(rss_file))} "
            f"sh -c {shlex.quote(job.command)}"
        )
        argv = [self.hyperfine, "--style", "none", "--runs", str(job.runs)]
        argv += ["--warmup", str(job.warmup), "--export-json", str(report)]
        if job.prepare:
            argv += ["--prepare", job.prepare]
        argv.append(wrapped)
        done = subprocess.run(argv, env=job.env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"hyperfine failed: {done.stderr.strip() or done.stdout.strip()}")
        times = json.loads(report.read_text())["results"][0]["times"]
        return [float(t) for t in times], _max_rss_mb(rss_file)

    def _self_timed(self, job: Job) -> tuple[list[float], float | None]:
        times: list[float] = []
        peak = 0
        for index in range(job.warmup + job.runs):
            if job.prepare:
                subprocess.run(["sh", "-c", job.prepare], env=job.env, check=True)
            start = time.perf_counter()
            proc = subprocess.Popen(
                ["sh", "-c", job.command],
                env=job.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode != 0:
                raise RuntimeError(f"exit {proc.returncode}: {job.command}")
            peak = max(peak, usage.ru_maxrss)  # KiB on Linux
            if index >= job.warmup:
                times.append(wall)
        return times, peak / 1024


def _max_rss_mb(path: Path) -> float | None:
    """The largest of the KiB figures GNU time appended to ``path``, in MB (MiB)."""
    if not path.is_file():
        return None
    values = [int(line) for line in path.read_text().split() if line.isdigit()]
    return max(values) / 1024 if values else None


class _MemoText(html.parser.HTMLParser):
    """Collects the body text of briefgen's HTML memo as Markdown blocks."""

    BLOCKS: ClassVar[dict[str, str]] = {"h1": "# ", "h2": "## ", "h3": "### ", "p": "", "tr": ""}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._prefix: str | None = None
        self._text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("head", "style", "script", "title"):
            self._skip += 1
        elif tag in self.BLOCKS:
            self._flush()
            self._prefix = self.BLOCKS[tag]
        elif tag in ("td", "th") and self._text:
            self._text.append("\u3000")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "style", "script", "title"):
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip and self._prefix is not None:
            self._text.append(data)

    def _flush(self) -> None:
        text = re.sub(r"[ \t\r\n]+", " ", "".join(self._text)).strip()
        if self._prefix is not None and text:
            self.blocks.append(self._prefix + _md_escape(text))
        self._prefix, self._text = None, []


def _md_escape(text: str) -> str:
    """``text`` with the characters pandoc's Markdown would read as markup escaped."""
    text = re.sub(r"([\\`*_\[\]<>~^$@|])", r"\\\1", text)
    return re.sub(r"^([#+\-]|\d+[.)])", r"\\\1", text)


def memo_markdown(html_text: str) -> str:
    """The text of briefgen's HTML memo as Markdown: headings and paragraphs (a table
    row is one paragraph, its cells separated by an ideographic space)."""
    parser = _MemoText()
    parser.feed(html_text)
    parser.close()
    return "\n\n".join(parser.blocks) + "\n"


def peer_css(serif: Path, sans: Path) -> str:
    """Style sheet for the peer: A4 and the margins, sizes and font files of the floor."""
    return f"""@font-face {{ font-family: "Memo Serif"; src: url("{serif.as_uri()}"); }}
@font-face {{ font-family: "Memo Sans"; src: url("{sans.as_uri()}"); }}
@page {{ size: A4; margin: 22mm 24mm; }}
html, body {{ max-width: none; margin: 0; padding: 0; }}
body {{ font-family: "Memo Serif"; font-size: 11pt; line-height: 1.6; text-align: justify;
       color: #1a1a1a; hyphens: none; }}
h1, h2, h3 {{ font-family: "Memo Sans"; font-weight: normal; line-height: 1.3;
             margin: 10pt 0 4pt 0; }}
h1 {{ font-size: 18pt; margin-top: 0; }}
h2 {{ font-size: 13pt; }}
h3 {{ font-size: 11.5pt; }}
p {{ margin: 0 0 4pt 0; }}
"""


def build_help(briefgen: list[str], env: dict[str, str]) -> str:
    """The text of `briefgen build --help` (to see which options this version has)."""
    done = subprocess.run([*briefgen, "build", "--help"], env=env, capture_output=True, text=True)
    return done.stdout


def batch_script(
    briefgen: list[str], articles: list[Path], out: Path, fails: Path, options: str
) -> str:
    """A shell script building ``articles`` on 2 processes into ``out``: one `briefgen
    build -j 2` when ``options`` (the build command's help) offers --jobs (with --force
    when offered), else two loops of one-article builds in parallel; every failed build
    appends a line to ``fails``, its messages go to ``fails``.log."""
    jobs = "--jobs" in options
    force = " --force" if "--force" in options else ""
    bg = " ".join(shlex.quote(part) for part in briefgen)
    q = shlex.quote
    if jobs:
        names = " ".join(q(str(a)) for a in articles)
        return (
            f"{bg} build {names} -j 2 -o {q(str(out))} -q{force} 2>>{q(str(fails))}.log "
            f"|| echo exit $? >> {q(str(fails))}\n"
        )
    lines = [
        "worker() {",
        "    dir=$1; shift",
        '    for f in "$@"; do',
        f'        {bg} build "$f" -o "$dir" -q 2>>{q(str(fails))}.log '
        f'|| echo "$f" >> {q(str(fails))}',
        "    done",
        "}",
    ]
    for index in range(2):
        names = " ".join(q(str(a)) for a in articles[index::2])
        lines.append(f"worker {q(str(out / f'w{index}'))} {names} &")
    lines.append("wait")
    return "\n".join(lines) + "\n"


def export_commit(commit: str, target: Path) -> Path:
    """``target`` holding the files of ``commit`` of this repository (git archive), to
    measure that version with this script; raises CalledProcessError for a bad commit."""
    target.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit],
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


class Bench:
    """Sets up the shared inputs once and measures the rows asked for."""

    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args = args
        self.work = work
        self.env = dict(os.environ)
        if args.cache_dir:
            self.env["BRIEFGEN_CACHE_DIR"] = str(args.cache_dir.resolve())
        self.root = ROOT
        if args.commit:
            self.root = export_commit(args.commit, work / "tree")
            self.env["PYTHONPATH"] = os.pathsep.join(
                filter(None, [str(self.root), self.env.get("PYTHONPATH")])
            )
            sys.path.insert(0, str(self.root))  # briefgen.fonts for the floor's fonts
        self.sample = self.root / SAMPLE
        self.briefgen = briefgen_command()
        hyperfine = shutil.which("hyperfine")
        self.timer = Timer(work, hyperfine, gnu_time())
        self.rows: dict[str, Row] = {}
        self.memo_md: Path | None = None
        self.fonts: tuple[Path, Path] | None = None
        self.font_error = ""

    @property
    def bg(self) -> str:
        """The briefgen command as a shell word sequence."""
        return " ".join(shlex.quote(part) for part in self.briefgen)

    def setup(self) -> None:
        """Build the sample once (untimed): warms the font cache and writes the working
        zh-TW HTML memo, whose text becomes the Markdown the peer and floor lay out."""
        out = self.work / "setup"
        log("setup: one untimed sample build (warms the font cache; minutes if empty)")
        subprocess.run(
            [*self.briefgen, "build", str(self.sample), "-o", str(out), "-q", *ALL_FORMATS],
            env=self.env,
            check=True,
        )
        html_memo = next(out.glob("*/*.working.zh-TW.html"))
        self.memo_md = self.work / "memo.md"
        self.memo_md.write_text(memo_markdown(html_memo.read_text(encoding="utf-8")))
        sys.path.insert(0, str(BENCH))
        import floor_memo

        log("setup: the TrueType CJK fonts of the floor and peer (converted once, cached)")
        try:
            self.fonts = floor_memo.find_fonts()
        except Exception as error:  # reported in the row
            self.font_error = f"briefgen.fonts gave no CJK font file: {error}"

    def row(self, key: str, label: str, job: Job | None, skipped: str = "") -> Row:
        """Measure ``job`` (unless ``skipped`` says why not) as the row ``key``."""
        row = Row(key, label, skipped=skipped)
        self.rows[key] = row
        if job is None or skipped:
            log(f"{key}: skipped ({skipped})")
            return row
        log(f"{key}: {job.warmup} warm-up + {job.runs} runs")
        before = os.getloadavg()[0]
        try:
            row.times, row.rss_mb = self.timer.measure(job)
        except (RuntimeError, subprocess.CalledProcessError) as error:
            row.skipped = f"failed: {error}"
            log(f"{key}: {row.skipped}")
        row.load = (before, os.getloadavg()[0])
        return row

    def out_job(
        self,
        command: str,
        runs: int,
        warmup: int = 1,
        env: dict[str, str] | None = None,
        mkdir: bool = False,
        prepare: str = "",
    ) -> Job:
        """A job whose ``{out}`` is a directory removed (and made again when ``mkdir``)
        before each run, then ``prepare`` (a further shell step) is run."""
        out = shlex.quote(str(self.work / "out"))
        steps = [f"rm -rf {out}"] + ([f"mkdir -p {out}"] if mkdir else []) + [prepare]
        return Job(
            command.replace("{out}", out),
            env or self.env,
            prepare=" && ".join(step for step in steps if step),
            runs=runs,
            warmup=warmup,
        )

    def measure_build(self) -> None:
        """Row `build`: the sample, all 16 documents."""
        command = f"{self.bg} build {shlex.quote(str(self.sample))} -o {{out}} -q"
        self.row(
            "build",
            "`briefgen build` sample, all 16 documents",
            self.out_job(command, self.args.runs),
        )

    def measure_one(self) -> None:
        """Row `one`: the sample, working memo, zh-TW, PDF."""
        command = (
            f"{self.bg} build {shlex.quote(str(self.sample))} -o {{out}} -q "
            "--audience working --lang zh-TW --format pdf"
        )
        self.row(
            "one",
            "`briefgen build` sample, one document (working, zh-TW, PDF)",
            self.out_job(command, self.args.runs),
        )

    def measure_peer(self) -> None:
        """Row `peer`: pandoc -> WeasyPrint on the working memo's text."""
        label = "pandoc → WeasyPrint, one zh PDF (the fastest peer)"
        weasyprint = weasyprint_path()
        if not shutil.which("pandoc") or not weasyprint:
            missing = "pandoc" if not shutil.which("pandoc") else "weasyprint"
            print(f"peer not installed ({missing} missing): {PEER_INSTALL}")
            self.row("peer", label, None, f"not installed: {PEER_INSTALL}")
            return
        if self.fonts is None:
            self.row("peer", label, None, self.font_error)
            return
        css = self.work / "peer.css"
        css.write_text(peer_css(*self.fonts))
        q = shlex.quote
        command = (
            f"sh {q(str(BENCH / 'peer.sh'))} {q(str(self.memo_md))} {{out}}/peer.pdf "
            f"{q(str(css))} {q(weasyprint)}"
        )
        self.row("peer", label, self.out_job(command, self.args.runs, mkdir=True))
        if self.rows["peer"].times:
            self.rows["peer"].note = (
                _version(["pandoc", "--version"]) + ", " + _version([weasyprint, "--version"])
            )

    def measure_floor(self) -> None:
        """Row `floor`: bench/floor_memo.py on the working memo's text."""
        label = "hand-written reportlab memo, one zh PDF (floor)"
        if self.fonts is None:
            self.row("floor", label, None, self.font_error)
            return
        q = shlex.quote
        serif, sans = self.fonts
        command = (
            f"{q(sys.executable)} {q(str(BENCH / 'floor_memo.py'))} {q(str(self.memo_md))} "
            f"{{out}}/floor.pdf --serif {q(str(serif))} --sans {q(str(sans))}"
        )
        self.row("floor", label, self.out_job(command, self.args.runs, mkdir=True))

    def measure_first(self) -> None:
        """Row `first`: the sample build with a new empty BRIEFGEN_CACHE_DIR each run."""
        cache = self.work / "empty-cache"
        env = {**self.env, "BRIEFGEN_CACHE_DIR": str(cache)}
        command = f"{self.bg} build {shlex.quote(str(self.sample))} -o {{out}} -q"
        q = shlex.quote(str(cache))
        prepare = f"rm -rf {q} && mkdir {q}"
        job = self.out_job(command, self.args.slow_runs, 0, env, prepare=prepare)
        row = self.row("first", "first run on a machine (empty font cache)", job)
        warm = self.rows.get("build")
        if row.times and warm and warm.times:
            row.note = f"{row.median - warm.median:+.2f} s vs warm"

    def measure_batch(self) -> None:
        """Row `batch`: K real articles x 16 documents on 2 processes, articles/hour."""
        count = self.args.batch_articles
        real = sorted(p for p in (self.root / REAL).glob("*.txt"))
        label = f"{count} articles × 16 documents, 2 processes"
        if count > len(real):
            self.row("batch", label, None, f"only {len(real)} real articles")
            return
        articles_dir = self.work / "articles"
        articles_dir.mkdir()
        copies = []
        for source in real[:count]:
            copies.append(articles_dir / source.name)
            shutil.copyfile(source, copies[-1])
        options = build_help(self.briefgen, self.env)
        jobs = "--jobs" in options
        out, fails = self.work / "batch-out", self.work / "batch-fails"
        script = self.work / "batch.sh"
        script.write_text(batch_script(self.briefgen, copies, out, fails, options))
        prepare = "rm -rf " + " ".join(shlex.quote(str(f)) for f in (out, fails, f"{fails}.log"))
        job = Job(f"sh {shlex.quote(str(script))}", self.env, prepare, self.args.slow_runs, 0)
        row = self.row("batch", label, job)
        if not row.times:
            return
        how = "`briefgen build … -j 2`" if jobs else "two loops of `briefgen build`"
        if fails.is_file():
            failed = fails.read_text().splitlines()
            built = len(list(out.rglob("manifest.json")))
            what = failed[0] if jobs else f"{len(failed)} builds failed"
            row.skipped = f"failed ({how}): {what}; {built} manifests of {count} articles"
            row.times = []
            messages = Path(f"{fails}.log")
            if messages.is_file():
                log("batch failures:\n" + "\n".join(messages.read_text().splitlines()[-5:]))
            return
        rate = count / row.median * 3600
        row.note = f"{rate:,.0f} articles/hour; {how}"

    def measure(self, rows: list[str]) -> None:
        """Measure ``rows`` in the table's order."""
        steps: dict[str, Callable[[], None]] = {
            "build": self.measure_build,
            "one": self.measure_one,
            "peer": self.measure_peer,
            "floor": self.measure_floor,
            "first": self.measure_first,
            "batch": self.measure_batch,
        }
        for key in ROWS:
            if key in rows:
                steps[key]()


def _version(argv: list[str]) -> str:
    """First line of ``argv``'s output (a --version call), or "" if it fails."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    return (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 else ""


def table(rows: dict[str, Row]) -> str:
    """The Markdown table of the measured rows."""
    lines = [
        "| command | runs | median s | min–max s | peak RSS MB | load 1 min (start→end) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for key in ROWS:
        row = rows.get(key)
        if row is None:
            continue
        label = f"{row.label} — {row.note}" if row.note else row.label
        if not row.times:
            lines.append(f"| {row.label} — {row.skipped} | 0 | – | – | – | – |")
            continue
        rss = f"{row.rss_mb:.0f}" if row.rss_mb is not None else "n/a"
        lines.append(
            f"| {label} | {len(row.times)} | {row.median:.2f} | "
            f"{min(row.times):.2f}–{max(row.times):.2f} | {rss} | "
            f"{row.load[0]:.2f}→{row.load[1]:.2f} |"
        )
    return "\n".join(lines)


def targets(rows: dict[str, Row], batch_articles: int) -> list[str]:
    """The issue's targets, each with the figure measured and met / not met."""

    def got(key: str) -> Row | None:
        row = rows.get(key)
        return row if row is not None and row.times else None

    def verdict(ok: bool) -> str:
        return "**met**" if ok else "**not met**"

    lines = []
    build, one, floor = got("build"), got("one"), got("floor")
    first, batch = got("first"), got("batch")
    if build:
        lines.append(
            f"all 16 sample documents ≤ {TARGET_ALL_S:.1f} s: {build.median:.2f} s — "
            + verdict(build.median <= TARGET_ALL_S)
        )
    else:
        lines.append(f"all 16 sample documents ≤ {TARGET_ALL_S:.1f} s: not measured")
    if one and floor:
        limit = TARGET_ONE_X_FLOOR * floor.median
        lines.append(
            f"one document ≤ {TARGET_ONE_X_FLOOR} × floor ({limit:.2f} s): "
            f"{one.median:.2f} s = {one.median / floor.median:.1f} × floor — "
            + verdict(one.median <= limit)
        )
    else:
        lines.append(f"one document ≤ {TARGET_ONE_X_FLOOR} × floor: not measured (rows one, floor)")
    if first and build:
        extra = first.median - build.median
        lines.append(
            f"first run ≤ warm + {TARGET_FIRST_EXTRA_S:.0f} s: {first.median:.2f} s = "
            f"warm {extra:+.2f} s — " + verdict(extra <= TARGET_FIRST_EXTRA_S)
        )
    else:
        lines.append("first run ≤ warm + 1 s: not measured (rows first, build)")
    if batch:
        rate = batch_articles / batch.median * 3600
        lines.append(
            f"batch ≥ {TARGET_ARTICLES_PER_HOUR:,} articles/hour: {rate:,.0f} — "
            + verdict(rate >= TARGET_ARTICLES_PER_HOUR)
        )
    else:
        lines.append(f"batch ≥ {TARGET_ARTICLES_PER_HOUR:,} articles/hour: not measured")
    ours = [
        (key, rows[key].rss_mb)
        for key in ("build", "one", "first", "batch")
        if got(key) and rows[key].rss_mb is not None
    ]
    if ours:
        key, peak = max(ours, key=lambda pair: pair[1] or 0.0)
        lines.append(
            f"peak RSS ≤ {TARGET_RSS_MB} MB (briefgen rows): {peak:.0f} MB ({key}) — "
            + verdict(peak <= TARGET_RSS_MB)
        )
    else:
        lines.append(f"peak RSS ≤ {TARGET_RSS_MB} MB: not measured")
    return [f"- {line}" for line in lines]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line, rows checked."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 2)[2],
    )
    parser.add_argument("--rows", default=",".join(ROWS), help="rows to measure, comma-separated")
    parser.add_argument("--runs", type=int, default=5, help="runs of build, one, peer, floor")
    parser.add_argument("--slow-runs", type=int, default=1, help="runs of first and batch")
    parser.add_argument("--batch-articles", type=int, default=20, help="articles in batch")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        help="BRIEFGEN_CACHE_DIR for every row but first (default: the user's cache; "
        "one of the benchmark's own keeps versions being edited elsewhere out of it)",
    )
    parser.add_argument(
        "--commit",
        help="measure this commit (exported with git archive) instead of the work tree",
    )
    args = parser.parse_args(argv)
    args.rows = [r.strip() for r in args.rows.split(",") if r.strip()]
    unknown = sorted(set(args.rows) - set(ROWS))
    if unknown:
        parser.error(f"unknown rows {', '.join(unknown)} (known: {', '.join(ROWS)})")
    if args.runs < 1 or args.slow_runs < 1 or args.batch_articles < 2:
        parser.error("--runs and --slow-runs must be ≥ 1, --batch-articles ≥ 2")
    return args


def git_head(commit: str | None = None) -> str:
    """Short form of ``commit``, or of the work tree's HEAD with "+changes" when the
    tree has uncommitted ones."""
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", commit or "HEAD"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "?"
    return head + ("+changes" if dirty and not commit else "")


def main(argv: list[str] | None = None) -> int:
    """Measure the rows asked for and print the table and the targets; 0 when every
    measured row ran."""
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="briefgen-speed-") as tmp:
        try:
            bench = Bench(args, Path(tmp))
            bench.setup()
        except (subprocess.CalledProcessError, StopIteration) as error:
            print(f"setup failed: {error}", file=sys.stderr)
            return 1
        load = os.getloadavg()
        bench.measure(args.rows)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    head = git_head(args.commit)
    print(f"\nbriefgen {head}, {now}, {os.cpu_count()} cores; timed by {bench.timer.name}")
    print(
        f"load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
        f"at end {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n"
    )
    print(table(bench.rows))
    print("\nTargets (issue 13):")
    print("\n".join(targets(bench.rows, args.batch_articles)))
    failed = [row.key for row in bench.rows.values() if row.skipped.startswith("failed")]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
