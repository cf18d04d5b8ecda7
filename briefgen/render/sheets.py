"""The style sheet of one memo, layered from the built-in sheets and the user's."""

from __future__ import annotations

from ..settings import Settings
from ..styles import (
    StyleSheet,
    StyleSheetFiles,
    read_stylesheet_layers,
    stylesheet_layers,
    with_paper,
)
from .environment import builtin_template_dir


def memo_stylesheet(
    settings: Settings,
    lang: str,
    audience: str | None = None,
    files: StyleSheetFiles | None = None,
) -> StyleSheet:
    """The style sheet for ``lang`` (and ``audience``), inheriting in this order: the
    built-in ``styles.yaml``, the built-in ``<audience>.styles.yaml``, then from each
    template directory of ``settings`` (last one first, so the first directory wins) its
    ``styles.yaml`` and ``<audience>.styles.yaml``; then the paper setting and the
    reference DOCX. ``files`` remembers the files read (pass one per build so each file
    is read once; by default they are read again)."""
    layers = stylesheet_layers(builtin_template_dir(), settings.template_dirs, audience)
    data = with_paper(read_stylesheet_layers(layers[1:], files), settings.paper)
    if settings.reference_docx is not None:
        data.setdefault("page", {})["docx_reference"] = str(settings.reference_docx)
    origin = next((str(p) for p in reversed(layers) if p.is_file()), "styles.yaml")
    return StyleSheet(data, lang, origin)


def letterhead(sheet: StyleSheet, key: str) -> str:
    """A letterhead default from the style sheet (``letterhead: {organisation:,
    classification:, logo:}``); settings win over it."""
    return str((sheet.data.get("letterhead") or {}).get(key) or "")
