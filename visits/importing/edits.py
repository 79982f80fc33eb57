"""What the import commands take and say about visits changed by hand, which they leave as
they are unless told otherwise (VisitWriter's keep_edits, visits.importing.records)."""

SHOWN = 20  # slugs of kept visits listed in a report


def add_argument(parser):
    parser.add_argument(
        "--replace-edits",
        action="store_true",
        help=(
            "Also set the visits an editor has changed (in the admin, a restore, a shell) to the "
            "file's values. Without it they are kept as they are, and listed."
        ),
    )


def counts_line(counts, rejected=None):
    """The report's line of visits: created, updated, unchanged, kept (and rejected)."""
    line = f"Visits: {counts['created']} created, {counts['updated']} updated, "
    line += f"{counts['unchanged']} unchanged"
    if counts["kept"]:
        line += f", {counts['kept']} kept as an editor changed them"
    if rejected is not None:
        line += f", {rejected} rejected"
    return line + "."


def kept_report(writer):
    """Which visits were kept, or "" when none was."""
    if not writer.kept:
        return ""
    shown = ", ".join(writer.kept[:SHOWN])
    more = len(writer.kept) - SHOWN
    if more > 0:
        shown += f" and {more} more"
    return (
        f"Kept as an editor changed them (the file differs or may differ): {shown}. "
        "Edit them in the admin, or run again with --replace-edits to take the file's values."
    )
