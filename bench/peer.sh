#!/bin/sh
# The fastest peer of issue 13: pandoc -> WeasyPrint, one zh PDF.
#
#   sh bench/peer.sh MEMO.md OUT.pdf STYLE.css [WEASYPRINT]
#
# MEMO.md: the working memo's text as Markdown, STYLE.css: page, sizes and @font-face
# rules naming briefgen's CJK font files (bench/speed.py writes both). WEASYPRINT: the
# weasyprint executable (default: $WEASYPRINT, else weasyprint on PATH).
# Install the peer outside the project:
#   apt-get install -y pandoc libharfbuzz-subset0
#   python3 -m venv /tmp/weasyprint-venv && /tmp/weasyprint-venv/bin/pip install weasyprint
set -eu
if [ "$#" -lt 3 ]; then
    echo "usage: sh bench/peer.sh MEMO.md OUT.pdf STYLE.css [WEASYPRINT]" >&2
    exit 2
fi
memo=$1
out=$2
css=$(cd "$(dirname "$3")" && pwd)/$(basename "$3")
engine=${4:-${WEASYPRINT:-weasyprint}}
exec pandoc "$memo" --from markdown --to html5 --standalone \
    --metadata pagetitle=memo --metadata lang=zh-TW \
    --css "$css" --pdf-engine "$engine" --output "$out"
