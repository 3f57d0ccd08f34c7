"""``verify``: is the token on stdin (or in ``ML_DEPLOYMENT_TOKEN``) valid, and for what?

Pipelines run it on every deployment, so it is built alone (``app.cli._command_name``)
and imports as little as it can: on an SQLite file, plain sqlite3 answers without
importing the store (peewee, migrations) at all.
"""

from __future__ import annotations

import sys

from app import config
from app.cli.arguments import add_environment_option, add_project_option, open_service
from app.cli.output import EXIT_FAILED, EXIT_OK, EXIT_USAGE, fail
from app.cli.token_input import read_token

# typing.TYPE_CHECKING without importing typing: 2 ms of every verify, for annotations.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any


def add_verify(commands: Any, database: argparse.ArgumentParser) -> None:
    verify = commands.add_parser(
        "verify",
        help="verify a token read from stdin or $" + config.TOKEN_ENV,
        description="Verify the token on the first line of standard input, or in "
        f"${config.TOKEN_ENV} when standard input is a terminal, empty, or has nothing "
        f"waiting to be read (with ${config.TOKEN_ENV} set, verify never waits on an idle "
        "pipe). Prints the "
        "project's name and exits 0 when the token is valid; exits 1 (with the reason on "
        "stderr) when it is invalid, unknown, revoked, expired, of another project, not "
        "allowed in ENV, or limited to environments and given none; exits 2 on a "
        "configuration or usage error.",
        parents=[database],
    )
    add_project_option(verify, required=False)
    add_environment_option(
        verify,
        "the environment being deployed to; a token limited to environments needs one of them",
        many=False,
    )
    # Its one warning (a use that could not be recorded) reaches stderr through logging's
    # last-resort handler: importing logging would cost more than the lookup.
    verify.set_defaults(handler=_verify, configures_logging=True)


PARSERS = {"verify": add_verify}


def _verify(args: argparse.Namespace) -> int:
    from app.errors import ValidationError
    from app.names import refuse_token

    for value, option in ((args.project, "--project"), (args.environment, "--environment")):
        try:
            if value is not None:
                refuse_token(value, f"{option} value")
        except ValidationError as error:
            return fail(str(error), EXIT_USAGE)
    plaintext = read_token(sys.stdin)
    from app import verification

    url = config.database_url(getattr(args, "database", None))
    verdict = verification.check_sqlite_file(url, plaintext, args.project, args.environment)
    if verdict is None:
        with open_service(args, create=False) as service:
            verdict = service.check(plaintext, args.project, args.environment)
    if verdict.project is None:
        return fail(f"invalid token: {verdict.reason}", EXIT_FAILED)
    print(verdict.project)
    return EXIT_OK
