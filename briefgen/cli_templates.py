"""``briefgen templates``: see where each audience's template comes from, copy the
built-in templates to edit them, and check a directory of templates before a build.

``briefgen templates check DIR`` prints every problem as ``FILE:LINE: message`` and a
summary line, and exits with status 3 when there are problems (0 when there are none).
Other errors are ``BriefgenError``s, printed as one line by ``briefgen.cli.main``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .render.check import (
    STYLES_FILE,
    check_templates,
    init_templates,
    shared_overrides,
    template_sources,
)

#: Exit status of ``templates check`` when it finds problems (template problems, as in
#: a build).
PROBLEMS_EXIT = 3


class _ProblemsFound(click.ClickException):
    """Ends ``templates check`` with status 3, the summary line being its message.

    (``briefgen.cli.main`` runs click with ``standalone_mode=False``, where an ``Exit``
    is returned rather than raised and its status would be lost; a ``ClickException``
    is raised through to ``main``, which shows it and returns its ``exit_code``.)"""

    exit_code = PROBLEMS_EXIT

    def show(self, file: Any = None) -> None:
        click.echo(self.message)


def _say(message: str) -> None:
    click.echo(message, err=True)


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return [
        "  ".join(
            [*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]]
        ).rstrip()
        for row in rows
    ]


@click.group("templates")
def templates_group() -> None:
    """Your own templates: list them, copy the built-in ones to edit, check them.

    \b
    Typical use:
      briefgen templates init mytemplates working
      (edit mytemplates/working.html.j2 and mytemplates/styles.yaml)
      briefgen templates check mytemplates
      briefgen build ARTICLE --templates mytemplates
    """


@templates_group.command("list")
@click.option(
    "--templates",
    "template_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Directory of your own templates; searched before the built-in ones, in the "
    "order given. Repeatable.",
)
def list_command(template_dirs: tuple[Path, ...]) -> None:
    """List every audience and the template file it is rendered with.

    A template in a --templates directory overrides the built-in one of the same name;
    the first directory that has it wins.
    """
    rows = [("AUDIENCE", "SOURCE", "TEMPLATE")]
    for source in template_sources(template_dirs):
        if source.builtin:
            origin = "built-in"
        elif source.overrides:
            origin = f"{source.directory} (overrides built-in)"
        else:
            origin = f"{source.directory} (new audience)"
        path = str(source.path)
        if source.shadowed:
            path += " (hides " + ", ".join(str(p) for p in source.shadowed) + ")"
        rows.append((source.audience, origin, path))
    for line in _table(rows):
        click.echo(line)
    shared = shared_overrides(template_dirs)
    if shared:
        click.echo("")
        for path in shared:
            what = (
                "merged over the built-in style sheet"
                if path.name == STYLES_FILE
                else "replaces the built-in one for every audience"
            )
            click.echo(f"{path}: {what}")


@templates_group.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.argument("audiences", nargs=-1)
@click.option("--force", is_flag=True, help="Overwrite files that are already there.")
def init_command(directory: Path, audiences: tuple[str, ...], force: bool) -> None:
    """Copy the built-in templates of AUDIENCES (default: all), the base template, the
    shared macros and the style sheet into DIRECTORY (created if needed), to edit.

    Nothing is written when a file is already there, unless --force.
    """
    for path in init_templates(directory, audiences, force):
        click.echo(f"wrote {path}")
    click.echo(
        f"Edit them, check them with `briefgen templates check {directory}`, then build "
        f"with `--templates {directory}`."
    )


@templates_group.command("check")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
def check_command(directory: Path) -> None:
    """Check the templates in DIRECTORY before a build: syntax, undefined values,
    labels without a translation, markup and style classes memos cannot use, sandbox
    violations.

    Every audience the directory affects is rendered against sample briefs in every
    output language. Prints each problem as FILE:LINE: message, then a summary; exits
    with status 3 when there are problems.
    """
    result = check_templates(directory)
    _say(
        f"checked {len(result.templates)} template(s), {len(result.audiences)} "
        f"audience(s) ({', '.join(result.audiences) or 'none'}) x "
        f"{', '.join(result.langs)} x "
        f"{len(result.samples)} sample brief(s)"
    )
    for problem in result.problems:
        click.echo(str(problem))
    if result.problems:
        raise _ProblemsFound(result.summary)
    click.echo(result.summary)
