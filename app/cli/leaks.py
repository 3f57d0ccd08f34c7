"""``revoke-leaked``: revoke every token found in a leak report read from stdin."""

from __future__ import annotations

import sys
from collections import Counter

from app.cli.arguments import add_json_flag, open_service
from app.cli.output import EXIT_FAILED, EXIT_OK, fail, print_json, print_table

# typing.TYPE_CHECKING without importing typing (ARCHITECTURE.md, Rules): annotations only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterator
    from typing import Any

    from app.service import TokenService
    from app.use_cases.leak_response import LeakFinding

# revoke-leaked looks tokens up this many at a time, one transaction each, so an input of
# any size costs bounded memory; it lists at most this many unknown ones and this many in
# all, and counts the rest.
_LEAKED_BATCH = 1000
_LEAKED_UNKNOWN_LISTED = 100
_LEAKED_LISTED = 10_000


def add_revoke_leaked(commands: Any, database: argparse.ArgumentParser) -> None:
    leaked = commands.add_parser(
        "revoke-leaked",
        help="revoke every token found in a leak report read from stdin",
        description="Read any text on standard input (a secret scanner's JSON report, a "
        "log, a chat export), find every deployment token in it whose checksum is valid, "
        "revoke each live one, a thousand at a time, and print one line per token found: "
        "project, name, masked preview and what happened (revoked, already revoked, "
        "unknown; past the first hundred unknown ones, only their number). Terminal "
        "colours around a token do not hide it. A detect-secrets baseline's reported lines "
        "are read too, from regular files under the current directory only. The "
        "revocations are audited with the source. Never prints a token. Exits 0 when "
        "nothing live is left of what was found, 1 when a --dry-run found live tokens.",
        parents=[database],
    )
    leaked.add_argument(
        "--dry-run", action="store_true", help="say what would be revoked; change nothing"
    )
    leaked.add_argument(
        "--source",
        metavar="TEXT",
        help="where the text came from, for the audit trail (for example a ticket's URL)",
    )
    add_json_flag(leaked)
    leaked.set_defaults(handler=_revoke_leaked)


PARSERS = {"revoke-leaked": add_revoke_leaked}


def _revoke_leaked(args: argparse.Namespace) -> int:
    from app.use_cases.leak_response import WOULD_BE_REVOKED, clean_source

    source = clean_source(args.source)  # before reading: a bad option wastes no input
    report = _Report(as_json=args.json, source=source)
    try:
        with open_service(args, create=False) as service:
            for finding in _looked_up(service, _found(), source, args.dry_run):
                report.add(finding)
    except BaseException:
        if report.counted:
            report.show()  # what the batches before the failure did
        raise
    report.show()
    return EXIT_FAILED if report.counted[WOULD_BE_REVOKED] else EXIT_OK


def _found() -> Iterator[str]:
    """The tokens with a valid checksum in the text on stdin, as they are found."""
    from app import leaks

    stream = sys.stdin.buffer if sys.stdin is not None else None

    def refused(name: str, reason: str) -> None:
        fail(f"skipped {name!r}, named in the baseline: {reason}", EXIT_OK)

    return iter(leaks.tokens_in_report(stream, refused=refused) if stream is not None else ())


def _looked_up(
    service: TokenService, found: Iterator[str], source: str, dry_run: bool
) -> Iterator[LeakFinding]:
    """What became of each token found, looked up (and revoked) a batch at a time."""
    from itertools import islice

    while batch := list(islice(found, _LEAKED_BATCH)):
        yield from service.revoke_leaked(batch, source=source, dry_run=dry_run)


class _Report:
    """The findings to list (each token once), and the count of every outcome."""

    def __init__(self, *, as_json: bool, source: str) -> None:
        self.as_json = as_json
        self.source = source
        self.listed: list[LeakFinding] = []
        self.listed_ids: set[int] = set()  # a token seen again past leaks.MAX_REMEMBERED: once
        self.counted: Counter[str] = Counter()
        self.not_listed: Counter[str] = Counter()

    def add(self, finding: LeakFinding) -> None:
        from app.use_cases.leak_response import UNKNOWN

        if finding.token_id is not None and finding.token_id in self.listed_ids:
            return
        self.counted[finding.outcome] += 1
        if len(self.listed) >= _LEAKED_LISTED or (
            finding.outcome == UNKNOWN and self.counted[UNKNOWN] > _LEAKED_UNKNOWN_LISTED
        ):
            self.not_listed[finding.outcome] += 1
            return
        self.listed.append(finding)
        if finding.token_id is not None:
            self.listed_ids.add(finding.token_id)

    def show(self) -> None:
        from app.use_cases.leak_response import REVOKED

        listed, counted, not_listed = self.listed, self.counted, self.not_listed
        if self.as_json:
            print_json(listed, ("preview", "project", "name", "token_id", "outcome"))
        elif not listed:
            print("No deployment token found in the input.", file=sys.stderr)
        else:
            print_table(
                ("PROJECT", "NAME", "TOKEN", "OUTCOME"),
                [(f.project or "-", f.name or "-", f.preview, f.outcome) for f in listed],
            )
        if not_listed:
            print(
                f"Looked up {sum(counted.values())} token(s); not listed: "
                + ", ".join(f"{count} {outcome}" for outcome, count in not_listed.items())
                + ".",
                file=sys.stderr,
            )
        if counted[REVOKED]:
            print(
                f"Revoked {counted[REVOKED]} leaked token(s); audited as found in {self.source}.",
                file=sys.stderr,
            )
