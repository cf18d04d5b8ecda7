"""Commands for translation review and the user translation memory.

``briefgen translate BRIEF --export review.xlf`` writes the translations no person has
checked as XLIFF for a translator; ``briefgen translate BRIEF --import review.xlf`` puts
the translator's work back into the brief (``via: human``) and into the user translation
memory. ``briefgen tm import FILE`` / ``briefgen tm export [FILE]`` move TMX in and out of
that memory (an SQLite database, see ``translate.store``); ``briefgen tm info`` says where it
is. Errors are ``BriefgenError``s, printed as one line by ``briefgen.cli.main``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import BriefgenError, InputError
from .model import OUTPUT_LANGS, Brief, dump_brief, load_brief
from .translate import store
from .translate.review import VERSIONS, apply_review, export_review


def _say(message: str) -> None:
    click.echo(message, err=True)


def _langs(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    items = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    if not items:
        raise InputError("--lang: give at least one language")
    for lang in items:
        if lang not in OUTPUT_LANGS:
            raise InputError(
                f"--lang: unknown language {lang!r} (expected one of {', '.join(OUTPUT_LANGS)})"
            )
    return items


def _write_brief(brief: Brief, path: Path) -> None:
    from .deliver import atomic_write

    fmt = "json" if path.suffix.lower() == ".json" else "yaml"
    try:
        atomic_write(path, dump_brief(brief, fmt).encode("utf-8"))
    except OSError as exc:
        raise BriefgenError(f"{path}: cannot write: {exc.strerror or exc}", exit_code=4) from None


@click.group("tm")
def tm_group() -> None:
    """Your translation memory: reviewed translations, reused by later builds.

    \b
      briefgen tm import FILE.tmx   # merge a TMX file into it
      briefgen tm export FILE.tmx   # write it as TMX 1.4 (no FILE: standard output)
      briefgen tm info              # where it is and how many units it holds

    It is an SQLite database, memory.sqlite3, in your user data directory
    (BRIEFGEN_DATA_DIR overrides the directory), safe to use from several briefgen
    processes at once; `briefgen translate --import` adds what translators reviewed.
    A memory.tmx left there by an older briefgen is taken in once, then renamed
    memory.tmx.migrated.
    """


@tm_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def tm_import(file: Path) -> None:
    """Merge the units of the TMX file FILE into your translation memory.

    A unit whose source segment is already there replaces its translations.
    """
    count = store.import_tmx(file)
    click.echo(f"imported {count} units into {store.memory_path()}")


@tm_group.command("export")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the TMX to this file (the same as FILE).",
)
def tm_export(file: Path | None, output: Path | None) -> None:
    """Write your translation memory as TMX 1.4 to FILE, else to standard output (the
    number of units goes to stderr). Units come in the order they were first added."""
    if file is not None and output is not None and file != output:
        raise InputError("give the TMX file once: FILE or -o FILE")
    output = output or file
    if output is None:
        sys.stdout.flush()
        count = store.export_tmx(getattr(sys.stdout, "buffer", sys.stdout))
    else:
        count = store.export_tmx(output)
    _say(f"exported {count} units" + (f" to {output}" if output else ""))


@tm_group.command("info")
def tm_info() -> None:
    """Where your translation memory is, how many units it holds, and the TMX file it
    was migrated from (if any)."""
    facts = store.describe()
    click.echo(f"path: {facts['path']}")
    click.echo(f"units: {facts['units']}")
    if "schema" in facts:
        click.echo(f"schema: {facts['schema']}")
    if "migrated_from" in facts:
        click.echo(f"migrated from: {facts['migrated_from']} ({facts['migrated_units']} units)")


@click.command("translate")
@click.argument("brief_path", metavar="BRIEF", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--export",
    "export_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the translations no person has checked to this XLIFF file for review.",
)
@click.option(
    "--import",
    "import_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read a reviewed XLIFF file back into the brief (as human translations).",
)
@click.option(
    "--lang",
    metavar="LANGS",
    help="(--export) Languages to review, comma-separated; default: every memo language "
    "but the brief's source language. XLIFF 2.0 holds one.",
)
@click.option(
    "--xliff-version",
    type=click.Choice(VERSIONS),
    default="2.0",
    show_default=True,
    help="(--export) XLIFF version to write; --import reads either.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="(--import) Write the updated brief here instead of back to BRIEF.",
)
@click.option(
    "--no-tm",
    is_flag=True,
    help="(--import) Do not add the reviewed translations to your translation memory.",
)
def translate_command(
    brief_path: Path,
    export_path: Path | None,
    import_path: Path | None,
    lang: str | None,
    xliff_version: str,
    output: Path | None,
    no_tm: bool,
) -> None:
    """Review the translations of BRIEF (YAML or JSON) through an XLIFF file.

    \b
      briefgen translate brief.yaml --export review.xlf   # send review.xlf to a translator
      briefgen translate brief.yaml --import review.xlf   # put the reviewed file back

    Exported are the texts whose translation came from the termbase, glosses, memory, an
    engine or conversion, or is missing; each unit is named by its place in the brief and
    notes where its translation came from. On import, every translation the translator
    changed or filled in (or marked final) becomes a human one in the brief and is added
    to your translation memory. A review file of another brief, or of one whose source
    text has changed since, is refused and nothing is written.
    """
    if export_path is not None and import_path is None:
        if output is not None or no_tm:
            raise InputError("-o and --no-tm go with --import; --export writes only its file")
        brief = load_brief(brief_path)
        src = brief.source.language
        langs = _langs(lang) or tuple(x for x in OUTPUT_LANGS if x != src)
        count = export_review(
            brief, export_path, langs, version=xliff_version, original=brief_path.name
        )
        if count:
            click.echo(f"wrote {export_path} ({count} units to review)")
        else:
            _say(f"nothing to review: every {', '.join(langs)} text was written by a person")
        return
    if import_path is None or export_path is not None:
        raise InputError("give either --export FILE or --import FILE")
    if lang is not None:
        raise InputError("--lang goes with --export; --import takes the file's languages")
    brief = load_brief(brief_path)
    result = apply_review(brief, import_path)
    dest = output or brief_path
    total = result.changed + result.confirmed
    if not total and dest == brief_path:
        click.echo(f"{import_path}: no translation changed; {brief_path} left as it was")
        return
    if not dest.parent.is_dir():
        raise BriefgenError(f"{dest}: no such directory: {dest.parent}", exit_code=4)
    added = 0
    if result.units and not no_tm:
        added = store.add_units(result.units, origin=f"review:{import_path.name}")
    _write_brief(result.brief, dest)
    message = f"updated {total} texts in {dest} from {import_path}"
    if result.kept:
        message += f" (kept {result.kept} the brief has changed since the export)"
    click.echo(message)
    if added:
        click.echo(f"added {added} units to {store.memory_path()}")
