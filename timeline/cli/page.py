"""`timeline html`: the timeline page (timeline/html.py) written into a directory.

The shell's part is what the page cannot know: where it is written, so each source can
link to its document by a relative address (documents are stored by the path the run saw,
relative to the directory it ran in when they were inside it: run `html` from there too,
or the links point at the wrong place; the quotes are in the page either way).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from urllib.parse import quote

from timeline.cli import EXIT_OK, add_view_arguments, err, open_store, reader_view
from timeline.paths import unescape_path

PAGE = "index.html"


def document_hrefs(docs: list[dict[str, str]], page_dir: Path | None) -> dict[str, str]:
    """A link per document: relative to the page's directory when the page is written to
    one, a file: URL when it goes to standard output."""
    out = {}
    for d in docs:
        try:
            target = Path(os.fsdecode(unescape_path(d["path"])))
        except (ValueError, TypeError):
            continue
        target = target if target.is_absolute() else Path.cwd() / target
        if page_dir is None:
            out[d["id"]] = target.as_uri()
            continue
        rel = os.path.relpath(target, page_dir.absolute())
        out[d["id"]] = quote(Path(rel).as_posix().encode("utf-8", "surrogateescape"))
    return out


def render_page(args: argparse.Namespace, page_dir: Path | None) -> tuple[str, int]:
    """(the page, how many events it draws) from the database named by `args`."""
    with open_store(args, readonly=True) as store:
        snap = reader_view(store, args, story_names=True)  # the events `show` shows
        stamp = store.last_recorded_at()
    story = getattr(args, "story", None)
    if story:
        from timeline import export

        snap = export.filter_story(snap, story)
    note = f"Read from {Path(args.db).name}" + (f", last changed {stamp[:19]}Z." if stamp
                                                 else ".")
    from timeline import html  # loads its templates: only when a page is made

    return html.page(snap, document_hrefs(snap["documents"], page_dir), note), \
        len(snap["events"])


def cmd_html(args: argparse.Namespace) -> int:
    from timeline.cli import output  # tempfile and shutil: only to write files

    out_dir = output.make_output_dir(args.output)
    target = out_dir / PAGE
    text, n = render_page(args, out_dir)
    output.write_atomic(target, text, protect=output.database_files(args.db))
    err(f"wrote {target} ({n} events); open it in a browser")
    return EXIT_OK


def add_commands(add: object) -> None:
    h = add("html", "write the timeline as one self-contained web page")  # type: ignore[operator]
    h.add_argument("-o", "--output", default="timeline-html", metavar="DIR",
                   help="directory to write index.html into (created if missing; "
                        "default: timeline-html)")
    h.add_argument("--story", help="only this story (an id or its beginning)")
    add_view_arguments(h)
    h.add_argument("--as-of", help="the state at a log seq, ISO-8601 instant or run id")
    h.set_defaults(func=cmd_html)
