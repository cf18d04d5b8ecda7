"""The command line: parses options, calls the pipeline, prints what it wrote.

Errors in input, templates or output are one line on stderr (``briefgen: error: …``) and
a non-zero exit code: 2 for bad input or options, 3 for template problems, 4 for output
problems, 5 for ``--strict`` refusals, 6-8 for ``send``, 9 when a batch build (``build``
with several articles, a directory or a pattern) built some but not all of them, 1 for
anything unexpected (set ``BRIEFGEN_DEBUG=1`` for the traceback).

Importing this module is cheap: the pipeline, the mail, review and template-check
modules are imported by the commands that use them (``send``, ``templates``, ``tm`` and
``translate`` are registered by name and imported when run), so ``briefgen --help`` and
a batch worker's start do not pay for them.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .errors import BriefgenError
from .languages import OUTPUT_LANGS
from .settings import (
    DEFAULT_AUDIENCES,
    DEFAULT_FORMATS,
    Settings,
    find_config,
    load_settings,
    read_config,
)
from .writers import WRITERS

if TYPE_CHECKING:
    from .batch import ArticleResult
    from .model import Brief
    from .translate import Report

_LIST_HELP = "Comma-separated; default: {}."


def _csv(_ctx: click.Context, _param: click.Parameter, value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    items = tuple(v.strip() for v in value.split(",") if v.strip())
    if not items:
        raise click.BadParameter("give at least one value")
    return items


def _say(message: str) -> None:
    click.echo(message, err=True)


# Options used by more than one command, defined once.
_LANG = click.option(
    "--lang",
    callback=_csv,
    metavar="LANGS",
    help="Memo languages. " + _LIST_HELP.format(",".join(OUTPUT_LANGS)),
)
_TEMPLATES = click.option(
    "--templates",
    "template_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Directory of your own templates (and styles.yaml); a template there overrides "
    "the built-in one of the same name. Repeatable.",
)
_TERMBASE = click.option(
    "--termbase",
    "termbases",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Extra termbase (TSV, CSV or TBX: zh, en, type, …); later files win. Repeatable.",
)
_TM = click.option(
    "--tm",
    "memories",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Translation memory (TMX 1.4). Repeatable. Reviewed TMX files beside the source "
    "named like it up to the first dot (<stem>.tmx, <stem>.*.tmx) are used too.",
)
_ENCODING = click.option(
    "--encoding",
    help="Text encoding of the article (default: detected: a BOM, UTF-8, UTF-16 without a "
    "BOM, then Big5/CP950, Big5-HKSCS, GB18030, Windows-1252; Japanese and Korean encodings "
    "are recognised and refused).",
)
_OPENCC = click.option(
    "--opencc",
    type=click.Choice(["s2tw", "s2twp"]),
    default=None,
    show_default="s2tw",
    help="How a Simplified-Chinese article becomes Traditional for zh-TW memos: s2tw "
    "converts characters, s2twp also uses Taiwan phrasing (软件 -> 軟體).",
)
_ROMANIZE = click.option(
    "--romanize",
    type=click.Choice(["wade-giles"]),
    default=None,
    help="Spell Chinese names the termbase does not know in Wade–Giles (marked "
    "unverified). Without it they stay in Chinese, marked unverified; never pinyin.",
)
_STRICT = click.option(
    "--strict",
    is_flag=True,
    default=None,
    help="Exit with status 5, writing nothing, when any passage is left untranslated or a "
    "name has no verified spelling (unless --romanize).",
)
_FUZZY = click.option(
    "--fuzzy",
    type=float,
    default=None,
    show_default="0.9",
    help="Translation-memory match threshold (0.5-1.0); 1.0 takes exact matches only. "
    "The score is recorded with each translation.",
)
_ENGINE_OPTIONS = [
    click.option(
        "--engine",
        type=click.Choice(["none", "openai", "argos"]),
        default=None,
        show_default="none",
        help="Machine translation for what the termbase, the article's glosses and the "
        "memories do not cover: openai = any OpenAI-compatible /v1/chat/completions "
        "endpoint (Ollama, vLLM, llama.cpp, hosted); argos = Argos Translate if installed.",
    ),
    click.option("--engine-url", metavar="URL", help="The openai engine's base URL."),
    click.option("--engine-model", metavar="NAME", help="The openai engine's model name."),
    click.option(
        "--engine-key-env",
        metavar="VAR",
        default=None,
        show_default="BRIEFGEN_ENGINE_KEY",
        help="Environment variable holding the engine's API key (keys are never options).",
    ),
    click.option(
        "--engine-timeout",
        type=float,
        default=None,
        show_default="30",
        help="Seconds to wait for one engine reply.",
    ),
]


def _engine_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for decorator in reversed(_ENGINE_OPTIONS):
        func = decorator(func)
    return func


_VERBOSE = click.option("-v", "--verbose", is_flag=True, help="Say what each stage found.")


def _memo_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by ``build`` and ``render``."""
    decorators = [
        click.option(
            "-o",
            "--output",
            "output",
            type=click.Path(path_type=Path),
            default=None,
            show_default="output",
            help="Base output directory; memos go into <output>/<date>_<slug>/.",
        ),
        _LANG,
        click.option(
            "--audience",
            callback=_csv,
            metavar="AUDIENCES",
            help="Audiences (templates), e.g. leadership,working. "
            + _LIST_HELP.format(",".join(DEFAULT_AUDIENCES)),
        ),
        click.option(
            "--format",
            "formats",
            callback=_csv,
            metavar="FORMATS",
            help="Output formats: "
            + ", ".join(WRITERS)
            + ". "
            + _LIST_HELP.format(",".join(DEFAULT_FORMATS)),
        ),
        _TEMPLATES,
        _TERMBASE,
        _TM,
        _FUZZY,
        _OPENCC,
        _ROMANIZE,
        _STRICT,
        *_ENGINE_OPTIONS,
        click.option(
            "--date-style",
            type=click.Choice(["gregorian", "roc"]),
            default=None,
            show_default="gregorian",
            help="roc writes dates in the Republic of China calendar (中華民國115年1月28日).",
        ),
        click.option(
            "--author",
            default=None,
            metavar="NAME",
            help="Author recorded in the memos' properties (default: briefgen).",
        ),
        click.option(
            "--organisation",
            default=None,
            metavar="NAME",
            help="Organisation named in each page's header; 'zh-TW name|English name' "
            "gives one per language.",
        ),
        click.option(
            "--classification",
            default=None,
            metavar="MARKING",
            help="Classification marking in each page's header, e.g. '限閱|LIMITED "
            "DISTRIBUTION' (zh-TW|English). None by default.",
        ),
        click.option(
            "--reference-docx",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="A Word document (.docx) whose styles the DOCX memos use instead of the "
            "style sheet's.",
        ),
        click.option(
            "--paper",
            type=click.Choice(["A4", "letter"]),
            default=None,
            help="Paper size (default: the style sheet's, A4).",
        ),
        _VERBOSE,
        click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


#: Command-line value name -> Settings field, where they differ.
_SETTING_NAMES = {"lang": "langs", "audience": "audiences"}
#: Command-line value name -> EngineSettings field.
_ENGINE_NAMES = {
    "engine": "kind",
    "engine_url": "url",
    "engine_model": "model",
    "engine_key_env": "key_env",
    "engine_timeout": "timeout",
}
#: Values that are not settings.
_NOT_SETTINGS = {"verbose", "quiet", "eml", "force"}


def _settings(kw: dict[str, Any]) -> Settings:
    """The settings of one command: defaults <- briefgen.toml <- environment <- ``kw``
    (the command's options; None or an empty tuple means "not given")."""
    verbose, quiet = kw.get("verbose"), kw.get("quiet")
    overrides: dict[str, Any] = {}
    engine: dict[str, Any] = {}
    for name, value in kw.items():
        if name in _NOT_SETTINGS or value is None or value == ():
            continue
        if name in _ENGINE_NAMES:
            engine[_ENGINE_NAMES[name]] = value
        else:
            overrides[_SETTING_NAMES.get(name, name)] = value
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    config = obj.get("config") if isinstance(obj, dict) else None
    settings = load_settings(
        config=config,
        overrides=overrides,
        engine=engine,
        info=_say if verbose and not quiet else _silent,
        progress=None if quiet else _say,
    )
    from .pipeline import check_settings

    check_settings(settings)
    return settings


def _silent(_message: str) -> None:
    """Says nothing (``--verbose`` not given)."""


def _report(report: Report, settings: Settings, quiet: bool) -> None:
    from .pipeline import report_warnings

    if not quiet:
        for line in report_warnings(report, settings):
            _say(line)


def _summary(brief: Brief, settings: Settings, quiet: bool) -> None:
    from .translate import summary_line

    if not quiet:
        for lang in settings.langs:
            line = summary_line(brief, lang)
            if not line.startswith(f"{lang}: 0 segments"):
                click.echo(line)


def _workers(settings: Settings) -> int:
    """Processes one build may lay its memos out in (``--jobs``, else the cores)."""
    from .batch import default_jobs

    return settings.jobs or default_jobs()


#: Commands of other modules, imported when used: name -> (module, attribute, the first
#: paragraph of its help, shown by ``briefgen --help``; tests check it against the real).
LAZY_COMMANDS: dict[str, tuple[str, str, str]] = {
    "send": (
        "briefgen.cli_mail",
        "send_command",
        "E-mail the memos in OUTPUT_DIR (a folder written by build or render).",
    ),
    "serve": (
        "briefgen.cli_serve",
        "serve_command",
        "Review briefs in the browser, every point beside its source.",
    ),
    "templates": (
        "briefgen.cli_templates",
        "templates_group",
        "Your own templates: list them, copy the built-in ones to edit, check them.",
    ),
    "tm": (
        "briefgen.cli_translate",
        "tm_group",
        "Your translation memory: reviewed translations, reused by later builds.",
    ),
    "translate": (
        "briefgen.cli_translate",
        "translate_command",
        "Review the translations of BRIEF (YAML or JSON) through an XLIFF file.",
    ),
}


class _Group(click.Group):
    """The ``briefgen`` group: commands of ``LAZY_COMMANDS`` are imported when run (or
    asked for their own help), not to list them."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in LAZY_COMMANDS:
            import importlib

            module, attribute, _help = LAZY_COMMANDS[cmd_name]
            command = getattr(importlib.import_module(module), attribute)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = super().get_command(ctx, name)
            if command is None:  # a lazy one: its help line without importing it
                command = click.Command(name, help=LAZY_COMMANDS[name][2])
            if not command.hidden:
                rows.append((name, command))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(n, c.get_short_help_str(limit)) for n, c in rows])


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="briefgen")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Settings file (default: ./briefgen.toml if present); command-line options win.",
)
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None) -> None:
    """Turn a readout of a diplomatic or economic meeting into briefing memos.

    \b
    Typical use:
      briefgen build seeds/eppd-6-2026-01-28.zh-TW.txt
    writes leadership and working-level memos in zh-TW and English, as DOCX and PDF,
    plus the brief.yaml they were rendered from, into output/<date>_<slug>/.

    \b
    Review step:
      briefgen extract ARTICLE -o brief.yaml   # edit brief.yaml by hand, then
      briefgen render brief.yaml
    """
    path = find_config(config_path)
    data = read_config(path) if path is not None else {}
    ctx.obj = {"config": path, "smtp": dict(data.get("smtp", {}))}


_EML = click.option(
    "--eml",
    is_flag=True,
    help="Also write <slug>.eml: an unsent e-mail draft with the leadership memo as its "
    "body and the memos attached, to open in Outlook, Thunderbird or Apple Mail.",
)


@cli.command()
@click.argument("sources", metavar="ARTICLE...", nargs=-1, required=True)
@_ENCODING
@_memo_options
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Articles built at once, each in its own process (one article: memos laid out "
    "at once); default: the number of cores.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Build articles whose output is up to date too (same article, settings, "
    "termbases, memories, templates and briefgen version as its manifest records).",
)
@_EML
def build(sources: tuple[str, ...], force: bool, **kw: Any) -> int:
    """Extract, translate and render each ARTICLE into memos.

    An ARTICLE is a readout (text, HTML, Markdown or DOCX), a directory of them (its
    .txt .md .markdown .html .htm .xhtml .docx files, subdirectories too, not hidden ones,
    README files or output folders) or a glob pattern ('corpus/*.txt'). An article whose
    output is up to date is skipped (--force builds it).

    One article: prints each file it wrote, then a line per memo language saying where
    its text came from (termbase/gloss, memory, engine, …, untranslated). Passages with no
    translation are shown in the original language, marked, and counted in a warning.

    Several: builds them side by side (--jobs), showing each article's stage on stderr,
    then a table of every article (items, untranslated passages, documents, seconds,
    error). One that fails does not stop the others; the exit code is then 9.
    """
    from .batch import expand_inputs

    settings = _settings(kw)
    paths = expand_inputs(sources)
    if len(sources) == 1 and paths == [Path(sources[0])] and not paths[0].is_dir():
        _build_one(paths[0], settings, force, kw)
        return 0
    return _build_many(paths, settings, force, kw)


def _build_one(source: Path, settings: Settings, force: bool, kw: dict[str, Any]) -> None:
    """``build`` of one article, in this process."""
    from .batch import Resources, build_record, prepare, up_to_date, write

    quiet, eml = kw["quiet"], bool(kw.get("eml"))
    record = build_record(source, settings)
    found = None if force or eml else up_to_date(record, settings.output)
    if found is not None:
        if not quiet:
            click.echo(f"{found[0]} is up to date (--force builds it again)")
        return
    prepared = prepare(source, settings, Resources.load(settings))
    for path in write(prepared, settings, record, eml, workers=_workers(settings)):
        if not quiet:
            click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")
    _report(prepared.report, settings, quiet)
    _summary(prepared.brief, settings, quiet)


def _build_many(paths: list[Path], settings: Settings, force: bool, kw: dict[str, Any]) -> int:
    """``build`` of several articles in worker processes: progress on stderr, the table of
    results on stdout (with ``--quiet``, only a line per failure on stderr)."""
    import contextlib

    from .batch import EXIT_SOME_FAILED, build_many
    from .batch_progress import PlainProgress, RichProgress, error_text, labels, summary

    quiet, verbose = kw["quiet"], kw["verbose"]
    display: PlainProgress | RichProgress | None = None
    if not quiet:
        display = RichProgress(paths) if sys.stderr.isatty() else PlainProgress(paths)
        settings = settings.replace(
            info=display.message if verbose else _silent, progress=display.message
        )
    start = time.perf_counter()
    with display or contextlib.nullcontext():
        results = build_many(
            paths, settings, force=force, on_event=display, eml=bool(kw.get("eml"))
        )
    failed = [r for r in results if r.status == "failed"]
    if quiet:
        for result in failed:
            _say(f"briefgen: error: {result.path}: {error_text(result)}")
    else:
        summary(results, time.perf_counter() - start, rich=sys.stdout.isatty())
        if verbose:
            _warnings(results, labels(paths))
    return EXIT_SOME_FAILED if failed else 0


def _warnings(results: list[ArticleResult], names: dict[Path, str]) -> None:
    for result in results:
        for line in result.warnings:
            _say(f"{names[result.path]}: {line}")


@cli.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the brief to this file (default: standard output).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "json"]),
    default=None,
    help="Brief format (default: from the -o file's suffix, else yaml).",
)
@_ENCODING
@_LANG
@click.option("--no-translate", is_flag=True, help="Keep only the source language.")
@click.option(
    "--dropped",
    "list_dropped",
    is_flag=True,
    help="Only list the article's sentences the brief leaves out, and why (one per line: "
    "paragraph, reason, text); write no brief.",
)
@_TERMBASE
@_TM
@_FUZZY
@_OPENCC
@_ROMANIZE
@_engine_options
@_VERBOSE
def extract(
    source: Path,
    output: Path | None,
    fmt: str | None,
    no_translate: bool,
    list_dropped: bool,
    **kw: Any,
) -> None:
    """Extract the structure of SOURCE into a brief (YAML or JSON) for review.

    The brief lists the meeting, participants, documents signed, the bottom line, key
    statements, each agenda item with its points, next steps, quotations and the rest of
    the article as background, each pointing back at the cleaned article; what it leaves
    out is listed with the reason (see --dropped). Edit it and run `briefgen render` on it.
    """
    from .model import dump_brief
    from .pipeline import extract_brief, load_termbase, translate_brief

    settings = _settings({**kw, "quiet": False})
    termbase = load_termbase(settings)
    brief = extract_brief(source, settings, termbase)
    if list_dropped:
        for entry in brief.dropped:
            where = entry.source.paragraph + 1 if entry.source else "?"
            click.echo(f"¶{where}\t{entry.reason}\t{entry.text}")
        if not brief.dropped:
            click.echo("nothing dropped: every sentence of the article is in the brief", err=True)
        return
    if not no_translate:
        brief, report = translate_brief(brief, settings, source, termbase)
        _report(report, settings, quiet=output is None)
    fmt = fmt or ("json" if output is not None and output.suffix.lower() == ".json" else "yaml")
    text = dump_brief(brief, fmt)
    if output is None:
        click.echo(text, nl=False)
        return
    from .deliver import atomic_write

    try:
        atomic_write(output, text.encode("utf-8"))
    except OSError as exc:
        raise BriefgenError(f"{output}: cannot write: {exc.strerror or exc}", exit_code=4) from None
    click.echo(f"wrote {output}")


@cli.command()
@click.argument("brief_path", metavar="BRIEF", type=click.Path(path_type=Path))
@_memo_options
def render(brief_path: Path, **kw: Any) -> None:
    """Render memos from a brief (YAML or JSON), e.g. one edited by hand.

    Languages the brief lacks are filled from the termbase and translation memories first.
    """
    from .batch import render_brief

    settings = _settings(kw)
    brief, report, paths = render_brief(brief_path, settings, workers=_workers(settings))
    if not kw["quiet"]:
        for path in paths:
            click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")
    _report(report, settings, kw["quiet"])
    _summary(brief, settings, kw["quiet"])


@cli.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of a brief (the same as schema/brief.schema.json)."""
    import json

    from .model import json_schema

    click.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


@cli.command("audiences")
@_TEMPLATES
def list_audiences(template_dirs: tuple[Path, ...]) -> None:
    """List the audiences (templates) available."""
    from .render import audiences as available_audiences

    for name in available_audiences(template_dirs):
        click.echo(name)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code instead of raising."""
    try:
        result = cli.main(args=argv, prog_name="briefgen", standalone_mode=False)
    except BriefgenError as exc:
        click.echo(f"briefgen: error: {exc}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("briefgen: aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("briefgen: interrupted; no partial files were left", err=True)
        return 130
    except Exception as exc:
        if os.environ.get("BRIEFGEN_DEBUG"):
            raise
        click.echo(
            f"briefgen: internal error: {type(exc).__name__}: {exc} "
            "(set BRIEFGEN_DEBUG=1 for a traceback)",
            err=True,
        )
        return 1
    return result if isinstance(result, int) else 0
