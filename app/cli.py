"""The command line: ``deployment-tokens`` and ``python -m app``.

Errors are one line on stderr and a non-zero exit, never a traceback. The verify path
reads the token from stdin or the environment, never from an argument: arguments leak
into process lists and shell history.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from app import config, durations, schema
from app.errors import (
    ConfigurationError,
    DeploymentTokensError,
    StillHasTokensError,
    StorageError,
)

# typing.TYPE_CHECKING without importing typing: 2 ms of every verify, for annotations.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn, TextIO

    from app import lifecycle
    from app.issuing import Issued
    from app.records import TokenRecord
    from app.secret_holders import HolderRecord
    from app.service import TokenService

PROG = "deployment-tokens"
EXIT_OK = 0
EXIT_FAILED = 1  # refused on its merits: not found, a conflict, an invalid token
EXIT_USAGE = 2  # cannot run: usage, configuration, or a database that cannot be used
# What --json prints of each record: stable, scripts parse them.
PROJECT_JSON_KEYS = ("id", "name", "created_at", "token_count")
TOKEN_JSON_KEYS = (
    "id",
    "name",
    "preview",
    "created_at",
    "last_used_at",
    "expires_at",
    "environments",
    "status",
)
ENVIRONMENT_JSON_KEYS = ("id", "name", "created_at")
AUDIT_JSON_KEYS = (
    "id",
    "project",
    "action",
    "token_id",
    "token_preview",
    "actor",
    "occurred_at",
    "detail",
)
# Enough for any token plus generous white space, small enough to never read a flood.
MAX_TOKEN_INPUT_BYTES = 1024


class UsageError(ConfigurationError):
    """The command line itself is wrong."""


class InvalidTokenInput(DeploymentTokensError):
    """What was given cannot be a token: verify refuses it (exit 1), as any invalid token."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"invalid token: {reason}")


class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter, finding the terminal's width without shutil.

    argparse builds a formatter for every option it adds (to check the option's
    metavar), and the stock one imports shutil for the width: 2 ms of every verify.
    """

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = _terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def _terminal_columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` finds it: $COLUMNS, else
    the terminal on stdout, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    stdout = sys.__stdout__
    if stdout is None:
        return 80
    try:
        return os.get_terminal_size(stdout.fileno()).columns or 80
    except (ValueError, OSError):
        return 80


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Subcommands' parsers are made by the same class, so they get it too.
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments"):
            # Never echo them: a token pasted as an argument would land in CI logs too.
            message = (
                "unexpected arguments (a token is never passed as an argument: pipe it on "
                f"standard input or set {config.TOKEN_ENV})"
            )
        # An "invalid choice" echoes what was typed; a token typed there must not be.
        from app import shown  # not at the top: the desktop app's first paint skips it

        message = shown.for_display(message)
        # argparse prints the whole usage first; one line with a pointer is clearer.
        self.exit(EXIT_USAGE, f"{PROG}: error: {message} (see '{self.prog} --help')\n")


class _VersionAction(argparse.Action):
    """--version, reading the installed version only when asked (importlib.metadata is slow
    to import, and every verify would pay for it)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> NoReturn:
        print(f"{PROG} {_version()}")
        parser.exit(EXIT_OK)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with ``only``, just that command's (verify runs on every
    deployment and need not build the parsers of every other command first)."""
    # --database is accepted before or after the command; SUPPRESS keeps the later
    # parsers from overwriting a value given earlier with their default.
    database = _Parser(add_help=False)
    database.add_argument(
        "--database",
        metavar="URL",
        default=argparse.SUPPRESS,
        help=f"database URL (default: ${config.DATABASE_URL_ENV}, else the SQLite file in "
        "your data directory); sqlite:///relative.db, sqlite:////absolute.db or "
        "postgresql://user:pass@host:port/db",
    )

    parser = _Parser(
        prog=PROG,
        parents=[database],
        description="Generate, revoke and verify project-scoped deployment tokens. "
        "With no command, start the desktop app.",
    )
    parser.add_argument("--version", action=_VersionAction)
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")

    for name, add in _COMMANDS.items():
        if only is None or name == only:
            add(commands, database)
    return parser


def _add_projects(commands: Any, database: argparse.ArgumentParser) -> None:
    projects = commands.add_parser(
        "projects", help="add, list, rename and delete projects", parents=[database]
    )
    project_commands = projects.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = project_commands.add_parser("add", help="add a project", parents=[database])
    add.add_argument("name", metavar="NAME", help="the project's name (unique, ignoring case)")
    add.set_defaults(handler=_projects_add)
    listing = project_commands.add_parser("list", help="list the projects", parents=[database])
    _add_json_flag(listing)
    listing.set_defaults(handler=_projects_list)
    rename = project_commands.add_parser(
        "rename",
        help="rename a project",
        description="Give a project a new name. Its tokens keep working; a pipeline that "
        "names the project (verify --project, X-Deployment-Project) must use the new name.",
        parents=[database],
    )
    rename.add_argument("name", metavar="NAME", help="the project's current name")
    rename.add_argument("new_name", metavar="NEW_NAME", help="its new name")
    rename.set_defaults(handler=_projects_rename)
    delete = project_commands.add_parser(
        "delete",
        help="delete a project, revoking its tokens",
        description="Delete a project with everything in it: its tokens (revoked at once, "
        "so pipelines that use them fail), environments, token policy and audit log. This "
        "cannot be undone. A project that still has live tokens needs --yes.",
        parents=[database],
    )
    delete.add_argument("name", metavar="NAME", help="the project's name")
    delete.add_argument(
        "--yes", action="store_true", help="delete it even if it has live tokens, revoking them"
    )
    delete.set_defaults(handler=_projects_delete)
    policy = project_commands.add_parser(
        "policy",
        help="show or change a project's token policy",
        description="Show the project's token policy: the default lifetime of a new token, "
        "the longest lifetime allowed, and whether tokens may never expire. Options change "
        "it; tokens already made keep their expiry. DURATION is " + durations.DURATION_HELP,
        parents=[database],
    )
    _add_project_option(policy, required=True)
    policy.add_argument(
        "--default-lifetime",
        metavar="DURATION|none",
        type=_optional_duration,
        default=argparse.SUPPRESS,
        help="a new token's lifetime when none is chosen ('none': No expiry)",
    )
    policy.add_argument(
        "--max-lifetime",
        metavar="DURATION|none",
        type=_optional_duration,
        default=argparse.SUPPRESS,
        help="the longest lifetime allowed ('none': no limit); implies --forbid-no-expiry",
    )
    no_expiry = policy.add_mutually_exclusive_group()
    no_expiry.add_argument(
        "--allow-no-expiry",
        dest="allow_no_expiry",
        action="store_true",
        default=None,
        help="allow tokens that never expire",
    )
    no_expiry.add_argument(
        "--forbid-no-expiry",
        dest="allow_no_expiry",
        action="store_false",
        help="refuse tokens that never expire",
    )
    policy.set_defaults(handler=_projects_policy)


def _add_tokens(commands: Any, database: argparse.ArgumentParser) -> None:
    token_parser = commands.add_parser(
        "tokens", help="generate, list and revoke tokens", parents=[database]
    )
    token_commands = token_parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    generate = token_commands.add_parser(
        "generate",
        help="generate a token; prints it alone on stdout, once",
        parents=[database],
    )
    _add_project_option(generate, required=True)
    generate.add_argument(
        "--name",
        metavar="LABEL",
        help="a label to recognise the token by (default: a unique 'Deployment token N')",
    )
    _add_expiry_options(generate)
    _add_environment_option(
        generate,
        "an environment the token may deploy to (repeatable; "
        "default: all of the project's environments)",
    )
    generate.set_defaults(handler=_tokens_generate)
    token_list = token_commands.add_parser(
        "list", help="list a project's tokens (masked)", parents=[database]
    )
    _add_project_option(token_list, required=True)
    _add_json_flag(token_list)
    token_list.set_defaults(handler=_tokens_list)
    revoke = token_commands.add_parser("revoke", help="revoke a token at once", parents=[database])
    _add_project_option(revoke, required=True)
    revoke.add_argument("token_id", metavar="TOKEN_ID", type=_token_id, help="from 'tokens list'")
    revoke.set_defaults(handler=_tokens_revoke)
    rotate = token_commands.add_parser(
        "rotate",
        help="replace a token; prints the successor alone on stdout, once",
        description="Generate a successor with the same name, environments and lifetime, "
        "print its plaintext alone on stdout, and stop the old token at now + GRACE "
        "(default 0: at once, when it is revoked). One transaction.",
        parents=[database],
    )
    _add_project_option(rotate, required=True)
    rotate.add_argument("token_id", metavar="TOKEN_ID", type=_token_id, help="from 'tokens list'")
    rotate.add_argument(
        "--grace",
        metavar="DURATION",
        type=_grace,
        default=timedelta(0),
        help="how long the old token keeps working (" + durations.DURATION_HELP + "; or 0)",
    )
    rotate.set_defaults(handler=_tokens_rotate)
    update = token_commands.add_parser(
        "update",
        help="change a token's expiry or environments",
        parents=[database],
    )
    _add_project_option(update, required=True)
    update.add_argument("token_id", metavar="TOKEN_ID", type=_token_id, help="from 'tokens list'")
    _add_expiry_options(update)
    scope = update.add_mutually_exclusive_group()
    scope.add_argument(
        "--environment",
        dest="environments",
        metavar="ENV",
        action="append",
        help="limit the token to these environments (repeatable)",
    )
    scope.add_argument(
        "--all-environments",
        action="store_true",
        help="allow the token in every environment of the project",
    )
    update.set_defaults(handler=_tokens_update)
    expiring = token_commands.add_parser(
        "expiring",
        help="list tokens of all projects that expire soon or have expired",
        description="List, across all projects, the tokens that expire within DURATION "
        "(default 7d) or have expired and are still listed: for a cron job or a CI "
        "notification step. Exits 0 either way.",
        parents=[database],
    )
    expiring.add_argument(
        "--within",
        metavar="DURATION",
        type=_duration,
        default=durations.EXPIRING_WITHIN,
        help="the window (" + durations.DURATION_HELP + ")",
    )
    _add_json_flag(expiring)
    expiring.set_defaults(handler=_tokens_expiring)


def _add_environments(commands: Any, database: argparse.ArgumentParser) -> None:
    environments = commands.add_parser(
        "environments",
        help="add, list and remove the environments a project deploys to",
        parents=[database],
    )
    environment_commands = environments.add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    env_add = environment_commands.add_parser("add", help="add an environment", parents=[database])
    _add_project_option(env_add, required=True)
    env_add.add_argument("environment", metavar="ENV", help="for example staging or production")
    env_add.set_defaults(handler=_environments_add)
    env_list = environment_commands.add_parser(
        "list", help="list a project's environments", parents=[database]
    )
    _add_project_option(env_list, required=True)
    _add_json_flag(env_list)
    env_list.set_defaults(handler=_environments_list)
    env_remove = environment_commands.add_parser(
        "remove", help="remove an environment no token is limited to", parents=[database]
    )
    _add_project_option(env_remove, required=True)
    env_remove.add_argument("environment", metavar="ENV")
    env_remove.set_defaults(handler=_environments_remove)


def _add_audit(commands: Any, database: argparse.ArgumentParser) -> None:
    audit = commands.add_parser(
        "audit",
        help="show who generated, renamed and revoked a project's tokens",
        description="Print the project's audit trail, newest first: when, what, which "
        "token (id and masked preview) and who.",
        parents=[database],
    )
    _add_project_option(audit, required=True)
    _add_json_flag(audit)
    audit.set_defaults(handler=_audit)


def _add_verify(commands: Any, database: argparse.ArgumentParser) -> None:
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
    _add_project_option(verify, required=False)
    _add_environment_option(
        verify,
        "the environment being deployed to; a token limited to environments needs one of them",
        many=False,
    )
    verify.set_defaults(handler=_verify)


def _add_serve(commands: Any, database: argparse.ArgumentParser) -> None:
    serve = commands.add_parser(
        "serve",
        help="run the verification service for pipelines and deploy gateways",
        description="Serve GET /v1/authorize (for nginx auth_request and Traefik "
        "ForwardAuth), POST /v1/introspect (RFC 7662), /healthz, /readyz and /metrics, on "
        "loopback unless --host says otherwise. Needs the server extra. Put a buffering "
        "proxy such as nginx in front of it, which also does TLS.",
        parents=[database],
    )
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on")
    serve.add_argument("--port", type=_port, default=8080, help="the port (default 8080)")
    serve.add_argument("--workers", type=_workers, default=2, help="worker processes (default 2)")
    serve.add_argument(
        "--trusted-proxy",
        action="append",
        metavar="ADDRESS_OR_CIDR",
        help="a proxy (nginx, say) whose X-Forwarded-For or X-Real-IP names the caller, "
        "for counting failed logins; repeatable (default: ML_DEPLOYMENT_TRUSTED_PROXIES, "
        "else none)",
    )
    serve.set_defaults(handler=_serve)


def _add_db(commands: Any, database: argparse.ArgumentParser) -> None:
    database_commands = commands.add_parser(
        "db", help="administer the database (PostgreSQL roles)", parents=[database]
    )
    db_actions = database_commands.add_subparsers(dest="action", metavar="ACTION", required=True)
    grant = db_actions.add_parser(
        "grant-verifier",
        help="grant a PostgreSQL role exactly what 'serve' needs to verify",
        description="Grant ROLE (which must exist) read access to the tables verification "
        "reads and update access to two columns: a token's last_used_at and the change "
        "counter. The role cannot insert, delete or rename tokens or projects. Run it as "
        "the database's owner, and run 'serve' as ROLE.",
        parents=[database],
    )
    grant.add_argument("role", metavar="ROLE")
    grant.set_defaults(handler=_db_grant_verifier)


def _add_clients(commands: Any, database: argparse.ArgumentParser) -> None:
    clients = commands.add_parser(
        "clients",
        help="add, list and revoke the verification service's introspection clients",
        parents=[database],
    )
    client_commands = clients.add_subparsers(dest="action", metavar="ACTION", required=True)
    client_add = client_commands.add_parser(
        "add",
        help="add a client; prints its secret alone on stdout, once",
        parents=[database],
    )
    client_add.add_argument("name", metavar="NAME", help="for example the gateway's name")
    client_add.set_defaults(handler=_clients_add)
    client_list = client_commands.add_parser("list", help="list the clients", parents=[database])
    _add_json_flag(client_list)
    client_list.set_defaults(handler=_clients_list)
    client_revoke = client_commands.add_parser(
        "revoke", help="revoke a client's secret at once", parents=[database]
    )
    client_revoke.add_argument("name", metavar="NAME")
    client_revoke.set_defaults(handler=_clients_revoke)


def _add_revoke_leaked(commands: Any, database: argparse.ArgumentParser) -> None:
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
    _add_json_flag(leaked)
    leaked.set_defaults(handler=_revoke_leaked)


def _add_revocation_keys(commands: Any, database: argparse.ArgumentParser) -> None:
    keys = commands.add_parser(
        "revocation-keys",
        help="add, list and revoke the keys of GitLab's Token Revocation API",
        parents=[database],
    )
    key_commands = keys.add_subparsers(dest="action", metavar="ACTION", required=True)
    key_add = key_commands.add_parser(
        "add", help="add a key; prints it alone on stdout, once", parents=[database]
    )
    key_add.add_argument("name", metavar="NAME", help="for example the GitLab instance's name")
    key_add.set_defaults(handler=_revocation_keys_add)
    key_list = key_commands.add_parser("list", help="list the keys", parents=[database])
    _add_json_flag(key_list)
    key_list.set_defaults(handler=_revocation_keys_list)
    key_revoke = key_commands.add_parser("revoke", help="revoke a key at once", parents=[database])
    key_revoke.add_argument("name", metavar="NAME")
    key_revoke.set_defaults(handler=_revocation_keys_revoke)


def _add_install_desktop_entry(commands: Any, database: argparse.ArgumentParser) -> None:
    desktop_entry = commands.add_parser(
        "install-desktop-entry",
        help="add the app to your desktop's application menu",
        description="Put the menu entry (deployment-tokens.desktop) and its icon under "
        "$XDG_DATA_HOME (by default ~/.local/share), where Linux desktops look for them. "
        "With --remove, take them away again.",
    )
    desktop_entry.add_argument(
        "--remove", action="store_true", help="remove the entry and icon installed before"
    )
    desktop_entry.set_defaults(handler=_install_desktop_entry)


_COMMANDS: dict[str, Callable[[Any, argparse.ArgumentParser], None]] = {
    "projects": _add_projects,
    "tokens": _add_tokens,
    "environments": _add_environments,
    "audit": _add_audit,
    "verify": _add_verify,
    "serve": _add_serve,
    "db": _add_db,
    "clients": _add_clients,
    "revoke-leaked": _add_revoke_leaked,
    "revocation-keys": _add_revocation_keys,
    "install-desktop-entry": _add_install_desktop_entry,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    from app.hardening import disable_core_dumps

    # Every command may hold a plaintext: verify reads one, generate and rotate make one,
    # the desktop app reveals one, serve sees them all.
    disable_core_dumps()
    arguments = sys.argv[1:] if argv is None else list(argv)
    # Starting the desktop app is the common case with no command: it need not build
    # every command's parser first (the window is meant to appear at once).
    args = _desktop_start(arguments) or build_parser(_command_name(arguments)).parse_args(arguments)
    handler: Callable[[argparse.Namespace], int] = getattr(args, "handler", _desktop)
    # Three paths skip logging's import here. verify: it would cost more than the lookup,
    # and its one warning (a use that could not be recorded) reaches stderr through
    # logging's last-resort handler all the same. tokens generate: likewise on an SQLite
    # file; it configures logging before it opens the full service. The desktop app: it
    # configures logging once its window has been painted.
    if handler not in (_verify, _tokens_generate, _desktop):
        _configure_logging()
    try:
        return handler(args)
    except (ConfigurationError, StorageError) as error:
        return _fail(str(error), EXIT_USAGE)
    except DeploymentTokensError as error:
        return _fail(str(error), EXIT_FAILED)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``| head``); nothing more to say to it.
        return EXIT_FAILED
    except Exception as error:
        # A bug. Still one line: a traceback would show locals' names and scare users,
        # and _fail redacts the message in case a token ever reached it.
        return _fail(
            f"internal error ({type(error).__name__}: {error}); please report it", EXIT_FAILED
        )


def _command_name(arguments: list[str]) -> str | None:
    """The command the arguments name, when it is one we know; None otherwise (then the
    whole parser is built, to give its usual help and errors)."""
    skip_value = False
    for argument in arguments:
        if skip_value:
            skip_value = False
        elif argument == "--database":
            skip_value = True
        elif not argument.startswith("-"):
            return argument if argument in _COMMANDS else None
    return None


def _desktop_start(arguments: list[str]) -> argparse.Namespace | None:
    """The parsed arguments when they only start the desktop app, else None."""
    if not arguments:
        return argparse.Namespace()
    if len(arguments) == 2 and arguments[0] == "--database" and arguments[1].strip():
        return argparse.Namespace(database=arguments[1])
    if len(arguments) == 1 and arguments[0].startswith("--database=") and arguments[0][11:]:
        return argparse.Namespace(database=arguments[0][11:])
    return None


# Handlers


def _projects_add(args: argparse.Namespace) -> int:
    with _open(args) as service:
        project = service.add_project(args.name)
    print(f"Added project '{project.name}'.")
    return EXIT_OK


def _projects_rename(args: argparse.Namespace) -> int:
    with _open(args) as service:
        old = _stored_name(service, args.name)
        project = service.rename_project(args.name, args.new_name)
    print(f"Renamed project '{old}' to '{project.name}'.")
    return EXIT_OK


def _projects_delete(args: argparse.Namespace) -> int:
    with _open(args) as service:
        name = _stored_name(service, args.name)
        try:
            revoked = service.delete_project(args.name, revoke_tokens=args.yes)
        except StillHasTokensError as error:
            return _fail(f"{error}: add --yes to delete it and revoke them", EXIT_FAILED)
    tokens = f"{revoked} token{'' if revoked == 1 else 's'}"
    print(f"Deleted project '{name}'" + (f" and revoked its {tokens}." if revoked else "."))
    return EXIT_OK


def _stored_name(service: TokenService, name: str) -> str:
    """The project's name as stored (``name`` may differ in case), for messages."""
    found = service.find_project(name)
    return found.name if found is not None else name.strip()


def _projects_list(args: argparse.Namespace) -> int:
    with _open(args) as service:
        projects = service.list_projects()
    if args.json:
        _print_json(projects, PROJECT_JSON_KEYS)
    elif not projects:
        print(f"No projects yet. Add one with: {PROG} projects add NAME", file=sys.stderr)
    else:
        _print_table(
            ("ID", "NAME", "TOKENS", "CREATED"),
            [(p.id, p.name, p.token_count, _human(p.created_at)) for p in projects],
        )
    return EXIT_OK


def _tokens_generate(args: argparse.Namespace) -> int:
    _require_stdout()
    # Scripts generate tokens for many projects: on an SQLite file, plain sqlite3 makes
    # the very write the service makes (app.issuing), without importing the store.
    from app import issuing

    url = config.database_url(getattr(args, "database", None))
    environments = args.environments or ()
    made = issuing.generate_in_sqlite_file(
        url, args.project, args.name, _expiry(args), environments
    )
    record: TokenRecord | issuing.Issued
    if made is not None:
        record, plaintext = made
    else:
        _configure_logging()
        with _open(args) as service:
            record, plaintext = service.generate(
                args.project, args.name, expiry=_expiry(args), environments=environments
            )
    return _hand_over(
        args,
        record,
        plaintext,
        f"Generated token {record.id} '{record.name}' ({record.preview}) for project "
        f"'{record.project}', {_scope(record)}. Save it in your secret manager now: it will "
        "not be shown again.",
    )


def _tokens_rotate(args: argparse.Namespace) -> int:
    _require_stdout()
    with _open(args) as service:
        record, plaintext, stop = service.rotate_with_stop(
            args.project, args.token_id, grace=args.grace
        )
    # The old token stops at now + grace, or sooner when it expires sooner: say when.
    grace = durations.describe_duration(args.grace)
    if not args.grace:
        old = "was revoked"
    elif stop <= record.created_at:
        old = f"had expired already ({_human(stop)})"
    elif stop - record.created_at < args.grace:
        old = (
            f"keeps working until {_human(stop)}, when it expires anyway (before the "
            f"{grace} of grace would end)"
        )
    else:
        old = f"keeps working for {grace}, until {_human(stop)}"
    return _hand_over(
        args,
        record,
        plaintext,
        f"Rotated token {args.token_id}: the new token {record.id} '{record.name}' "
        f"({record.preview}), {_scope(record)}; the old one {old}. Save the new token in "
        "your secret manager now: it will not be shown again.",
    )


def _require_stdout() -> None:
    """Refuse to make a token that standard output cannot show (``>&-``)."""
    if sys.stdout is None:
        raise UsageError(
            "standard output is closed, so a new token would be shown to nobody; nothing "
            "was generated"
        )


def _hand_over(
    args: argparse.Namespace, record: TokenRecord | Issued, plaintext: str, guidance: str
) -> int:
    """Print the new token alone on stdout, then ``guidance`` on stderr; if the token
    cannot be written (a full disk, a closed pipe), revoke it at once, so no live token
    exists that nobody has."""
    try:
        sys.stdout.write(plaintext + "\n")
        sys.stdout.flush()
    except (OSError, ValueError) as error:
        _discard_stdout()
        reason = getattr(error, "strerror", None) or "it was closed"
        with _open(args) as service:
            service.revoke(record.project, record.id)
        return _fail(
            f"the new token could not be written to standard output ({reason}), so token "
            f"{record.id} was revoked at once and nobody holds it; run the command again "
            "with standard output going somewhere it can be written",
            EXIT_FAILED,
        )
    print(guidance, file=sys.stderr)
    return EXIT_OK


def _discard_stdout() -> None:
    """Point stdout at /dev/null: its buffer still holds the token, and the flush at exit
    would fail again with a second, louder error."""
    try:
        descriptor = os.open(os.devnull, os.O_WRONLY)
        os.dup2(descriptor, sys.stdout.fileno())
        os.close(descriptor)
    except (OSError, ValueError):
        pass


def _tokens_update(args: argparse.Namespace) -> int:
    expiry = _expiry(args)
    if expiry is None and not args.environments and not args.all_environments:
        raise UsageError(
            "nothing to change: give --expires-in, --expires-on, --no-expiry, --environment "
            "or --all-environments"
        )
    with _open(args) as service:
        record = None
        if expiry is not None:
            record = service.set_token_expiry(args.project, args.token_id, expiry)
        if args.environments or args.all_environments:
            record = service.set_token_environments(
                args.project, args.token_id, args.environments or ()
            )
    assert record is not None
    print(f"Updated token {record.id} '{record.name}' ({record.preview}): {_scope(record)}.")
    return EXIT_OK


def _tokens_expiring(args: argparse.Namespace) -> int:
    with _open(args) as service:
        found = service.expiring(args.within)
        now = service.now()
    if args.json:
        _print_json([_token_json(t, now) for t in found], (*TOKEN_JSON_KEYS, "project"))
    elif not found:
        print(
            f"No token expires within {durations.describe_duration(args.within)}.",
            file=sys.stderr,
        )
    else:
        _print_table(
            ("PROJECT", "ID", "NAME", "TOKEN", "EXPIRES", "STATUS"),
            [
                (t.project, t.id, t.name, t.preview, _human(t.expires_at), t.status(now))
                for t in found
            ],
        )
    return EXIT_OK


def _projects_policy(args: argparse.Namespace) -> int:
    wanted = {
        name: getattr(args, name)
        for name in ("default_lifetime", "max_lifetime")
        if hasattr(args, name)
    }
    if args.allow_no_expiry is not None:
        wanted["allow_no_expiry"] = args.allow_no_expiry
    elif wanted.get("max_lifetime") is not None:
        wanted["allow_no_expiry"] = False

    from app.project_settings import describe_policy

    with _open(args) as service:
        policy = service.token_policy(args.project)
        if wanted:
            policy = service.set_token_policy(args.project, policy._replace(**wanted))

    print(f"Token policy of '{args.project.strip()}': {describe_policy(policy)}.")
    return EXIT_OK


def _environments_add(args: argparse.Namespace) -> int:
    with _open(args) as service:
        record = service.add_environment(args.project, args.environment)
    print(f"Added environment '{record.name}' to project '{record.project}'.")
    return EXIT_OK


def _environments_list(args: argparse.Namespace) -> int:
    with _open(args) as service:
        found = service.list_environments(args.project)
    if args.json:
        _print_json(found, ENVIRONMENT_JSON_KEYS)
    elif not found:
        print(
            "No environments: tokens of this project are allowed everywhere it deploys. Add "
            f"one with: {PROG} environments add --project {_quoted(args.project.strip())} ENV",
            file=sys.stderr,
        )
    else:
        for environment in found:
            print(environment.name)
    return EXIT_OK


def _environments_remove(args: argparse.Namespace) -> int:
    with _open(args) as service:
        record = service.remove_environment(args.project, args.environment)
    print(f"Removed environment '{record.name}' from project '{record.project}'.")
    return EXIT_OK


def _tokens_list(args: argparse.Namespace) -> int:
    with _open(args) as service:
        listed = service.list_tokens(args.project)
        now = service.now()
    if args.json:
        _print_json([_token_json(t, now) for t in listed], TOKEN_JSON_KEYS)
    elif not listed:
        print(
            f"No deployment tokens in this project. Generate one with: "
            f"{PROG} tokens generate --project {_quoted(args.project.strip())}",
            file=sys.stderr,
        )
    else:
        _print_table(
            ("ID", "NAME", "TOKEN", "CREATED", "LAST USED", "EXPIRES", "STATUS"),
            [
                (
                    t.id,
                    t.name,
                    t.preview,
                    _human(t.created_at),
                    _human(t.last_used_at),
                    "no expiry" if t.expires_at is None else _human(t.expires_at),
                    t.status(now),
                )
                for t in listed
            ],
        )
    return EXIT_OK


def _tokens_revoke(args: argparse.Namespace) -> int:
    with _open(args) as service:
        record = service.revoke(args.project, args.token_id)
        now = service.now()
    print(f"Revoked token {record.id} '{record.name}' ({record.preview}) in '{record.project}'.")
    # The spec asks to confirm that no automation still depends on a token before it is
    # revoked: say when it was last used, and plainly when that was within a day.
    from app import shown  # not at the top: the desktop app's first paint skips it

    used = record.last_used_at
    when = "was never used" if used is None else f"was last used {_ago(used, now)}"
    if used is not None and now - used < timedelta(hours=24):
        when += ": a pipeline may still depend on it, and is refused from now on"
    name = shown.escaped(record.name)
    print(f"token {record.id} ({name}, {record.preview}) {when}", file=sys.stderr)
    return EXIT_OK


def _ago(moment: datetime, now: datetime) -> str:
    """How long before ``now``, as people say it: "3 minutes ago", "2 days ago"."""
    seconds = (now - moment).total_seconds()
    for size, unit in ((31_536_000, "year"), (86_400, "day"), (3_600, "hour"), (60, "minute")):
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return "less than a minute ago"


def _audit(args: argparse.Namespace) -> int:
    with _open(args) as service:
        events = service.audit_log(args.project)
    if args.json:
        _print_json(events, AUDIT_JSON_KEYS)
    elif not events:
        print("Nothing has happened in this project yet.", file=sys.stderr)
    else:
        _print_table(
            ("WHEN", "ACTION", "TOKEN ID", "TOKEN", "BY", "DETAILS"),
            [
                (
                    _exact(e.occurred_at),
                    e.action,
                    "-" if e.token_id is None else e.token_id,
                    e.token_preview or "-",
                    e.actor,
                    e.detail,
                )
                for e in events
            ],
        )
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    from app.errors import ValidationError
    from app.names import refuse_token

    for value, option in ((args.project, "--project"), (args.environment, "--environment")):
        try:
            if value is not None:
                refuse_token(value, f"{option} value")
        except ValidationError as error:
            return _fail(str(error), EXIT_USAGE)
    plaintext = _read_token(sys.stdin)
    # Pipelines run this on every deployment: on an SQLite file, plain sqlite3 answers
    # without importing the store (peewee, migrations) at all.
    from app import verification

    url = config.database_url(getattr(args, "database", None))
    verdict = verification.check_sqlite_file(url, plaintext, args.project, args.environment)
    if verdict is None:
        with _open(args, create=False) as service:
            verdict = service.check(plaintext, args.project, args.environment)
    if verdict.project is None:
        return _fail(f"invalid token: {verdict.reason}", EXIT_FAILED)
    print(verdict.project)
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from app.serve import serve

    return serve(
        getattr(args, "database", None),
        host=args.host,
        port=args.port,
        workers=args.workers,
        trusted_proxies=args.trusted_proxy,
    )


def _db_grant_verifier(args: argparse.Namespace) -> int:
    from app.verifier_role import grant_verifier

    granted = grant_verifier(getattr(args, "database", None), args.role)
    for statement in granted:
        print(f"{statement};")
    print(f"Role {args.role!r} can now verify, and nothing else.", file=sys.stderr)
    return EXIT_OK


def _clients_add(args: argparse.Namespace) -> int:
    with _open(args) as service:
        record, secret = service.add_client(args.name)
    print(
        f"Added introspection client '{record.name}'. Its secret follows, shown once: the "
        "client sends its name and this secret with HTTP Basic to POST /v1/introspect.",
        file=sys.stderr,
    )
    print(secret, flush=True)
    return EXIT_OK


def _clients_list(args: argparse.Namespace) -> int:
    with _open(args) as service:
        found = service.list_clients()
    return _print_holders(
        found, args.json, f"No introspection clients. Add one with: {PROG} clients add NAME"
    )


def _clients_revoke(args: argparse.Namespace) -> int:
    with _open(args) as service:
        record = service.revoke_client(args.name)
    print(f"Revoked introspection client '{record.name}'.")
    return EXIT_OK


# revoke-leaked looks tokens up this many at a time, one transaction each, so an input of
# any size costs bounded memory; it lists at most this many unknown ones and this many in
# all, and counts the rest.
_LEAKED_BATCH = 1000
_LEAKED_UNKNOWN_LISTED = 100
_LEAKED_LISTED = 10_000


def _revoke_leaked(args: argparse.Namespace) -> int:
    from collections import Counter
    from itertools import islice

    from app import leaks
    from app.leak_response import REVOKED, UNKNOWN, WOULD_BE_REVOKED, LeakFinding, clean_source

    source = clean_source(args.source)  # before reading: a bad option wastes no input
    stream = sys.stdin.buffer if sys.stdin is not None else None

    def refused(name: str, reason: str) -> None:
        _fail(f"skipped {name!r}, named in the baseline: {reason}", EXIT_OK)

    found = iter(leaks.tokens_in_report(stream, refused=refused) if stream is not None else ())
    listed: list[LeakFinding] = []
    listed_ids: set[int] = set()  # a token seen again past leaks.MAX_REMEMBERED: once
    counted: Counter[str] = Counter()
    not_listed: Counter[str] = Counter()

    def report() -> None:
        if args.json:
            _print_json(listed, ("preview", "project", "name", "token_id", "outcome"))
        elif not listed:
            print("No deployment token found in the input.", file=sys.stderr)
        else:
            _print_table(
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
                f"Revoked {counted[REVOKED]} leaked token(s); audited as found in {source}.",
                file=sys.stderr,
            )

    try:
        with _open(args, create=False) as service:
            while batch := list(islice(found, _LEAKED_BATCH)):
                for finding in service.revoke_leaked(batch, source=source, dry_run=args.dry_run):
                    if finding.token_id is not None and finding.token_id in listed_ids:
                        continue
                    counted[finding.outcome] += 1
                    if len(listed) >= _LEAKED_LISTED or (
                        finding.outcome == UNKNOWN and counted[UNKNOWN] > _LEAKED_UNKNOWN_LISTED
                    ):
                        not_listed[finding.outcome] += 1
                        continue
                    listed.append(finding)
                    if finding.token_id is not None:
                        listed_ids.add(finding.token_id)
    except BaseException:
        if counted:
            report()  # what the batches before the failure did
        raise
    report()
    return EXIT_FAILED if counted[WOULD_BE_REVOKED] else EXIT_OK


def _revocation_keys_add(args: argparse.Namespace) -> int:
    with _open(args) as service:
        record, secret = service.add_revocation_key(args.name)
    print(
        f"Added revocation key '{record.name}'. It follows, shown once: configure it as "
        "GitLab's secret_detection_token_revocation_token.",
        file=sys.stderr,
    )
    print(secret, flush=True)
    return EXIT_OK


def _revocation_keys_list(args: argparse.Namespace) -> int:
    with _open(args) as service:
        found = service.list_revocation_keys()
    return _print_holders(
        found, args.json, f"No revocation keys. Add one with: {PROG} revocation-keys add NAME"
    )


def _revocation_keys_revoke(args: argparse.Namespace) -> int:
    with _open(args) as service:
        record = service.revoke_revocation_key(args.name)
    print(f"Revoked revocation key '{record.name}'.")
    return EXIT_OK


def _install_desktop_entry(args: argparse.Namespace) -> int:
    from app import desktop_entry

    home = desktop_entry.data_home()
    try:
        if args.remove:
            removed = desktop_entry.remove(home)
            for path in removed:
                print(f"Removed {path}")
            if not removed:
                print(f"Nothing to remove under {home}.", file=sys.stderr)
            return EXIT_OK
        written = desktop_entry.install(home)
    except OSError as error:
        raise UsageError(f"cannot write under {home}: {error.strerror}") from None
    for path in written:
        print(f"Installed {path}")
    print(
        "Deployment Tokens is in your application menu now (log out and in again if "
        "it does not appear at once).",
        file=sys.stderr,
    )
    return EXIT_OK


def _desktop(args: argparse.Namespace) -> int:
    import importlib

    # Looked up rather than imported: only this path may load Qt, and only when asked to.
    try:
        ui = importlib.import_module("ui")
    except ImportError as error:
        from app import system_packages

        advice = system_packages.missing_library_advice(error)
        if advice is None:
            raise
        raise UsageError(advice) from None
    launch = getattr(ui, "launch", None)
    if launch is None:
        raise UsageError(
            f"the desktop app is not part of this build yet; use the commands (see '{PROG} --help')"
        )
    return int(launch(getattr(args, "database", None), configure_logging=_configure_logging))


# Input


def _read_token(stdin: TextIO | None) -> str:
    """The token from stdin's first line, else from the environment; never echoed.

    With ``ML_DEPLOYMENT_TOKEN`` set, stdin is read only when input is already waiting
    there: CI runners often leave stdin open and idle, and verify must not wait on a pipe
    that may never close.
    """
    text = ""
    from_environment = os.environ.get(config.TOKEN_ENV, "").strip()
    if (
        stdin is not None
        and not _is_terminal(stdin)
        and (not from_environment or _has_input_waiting(stdin))
    ):
        try:
            line = stdin.buffer.readline(MAX_TOKEN_INPUT_BYTES + 1)
        except (OSError, ValueError):
            line = b""
        if len(line) > MAX_TOKEN_INPUT_BYTES:
            raise InvalidTokenInput(
                f"the input is too long to be a token (more than {MAX_TOKEN_INPUT_BYTES} bytes)"
            )
        try:
            text = line.decode("ascii").strip()
        except UnicodeDecodeError:
            raise InvalidTokenInput(
                "it has non-ASCII characters; a deployment token is letters, digits and "
                "one underscore"
            ) from None
    if not text:
        text = from_environment
    if not text:
        raise UsageError(
            f"no token given: pipe it on standard input or set {config.TOKEN_ENV} "
            "(never pass it as an argument)"
        )
    return text


def _has_input_waiting(stream: TextIO) -> bool:
    """Whether ``stream`` can be read at once (input, or its end), without waiting."""
    import select

    try:
        descriptor = stream.fileno()
    except (OSError, ValueError):
        return True  # a stream in memory: all of it is there already
    try:
        readable, _, _ = select.select([descriptor], [], [], 0)
    except (OSError, ValueError):
        return False
    return bool(readable)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (OSError, ValueError):
        return False


def _port(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,5}", text.strip(), re.ASCII) or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError("a port is a number from 1 to 65535")
    return int(text)


def _workers(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,3}", text.strip(), re.ASCII) or not 0 < int(text) <= 64:
        raise argparse.ArgumentTypeError("the number of workers is from 1 to 64")
    return int(text)


def _token_id(text: str) -> int:
    # ASCII digits only: int() would also read "1_0" as 10, and Arabic-Indic or full-width
    # digits as numbers.
    if not re.fullmatch(r"[0-9]+", text.strip(), re.ASCII):
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a token id (a whole number, in the digits 0-9)"
        )
    value = int(text)
    if not 1 <= value <= schema.MAX_ID:
        raise argparse.ArgumentTypeError(f"a token id is from 1 to {schema.MAX_ID}")
    return value


def _add_project_option(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--project", metavar="NAME", required=required, help="the project's name")


def _add_expiry_options(parser: argparse.ArgumentParser) -> None:
    expiry = parser.add_mutually_exclusive_group()
    expiry.add_argument(
        "--expires-in",
        metavar="DURATION",
        type=_duration,
        help="the token stops working after DURATION (" + durations.DURATION_HELP + ")",
    )
    expiry.add_argument(
        "--expires-on",
        metavar="YYYY-MM-DD",
        type=_day,
        help="the token stops working at the start of that day, UTC",
    )
    expiry.add_argument(
        "--no-expiry", action="store_true", help="the token never expires (if the policy allows)"
    )


def _add_environment_option(
    parser: argparse.ArgumentParser, help_text: str, *, many: bool = True
) -> None:
    if many:
        parser.add_argument(
            "--environment", dest="environments", metavar="ENV", action="append", help=help_text
        )
    else:
        parser.add_argument("--environment", metavar="ENV", help=help_text)


def _expiry(args: argparse.Namespace) -> lifecycle.Expiry | None:
    """The expiry chosen on the command line, or None when none was."""
    from app import lifecycle

    if args.expires_in is not None:
        return lifecycle.Expiry.after(args.expires_in)
    if args.expires_on is not None:
        return lifecycle.Expiry.on(args.expires_on)
    if args.no_expiry:
        return lifecycle.Expiry.no_expiry()
    return None


def _duration(text: str) -> timedelta:
    try:
        return durations.parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _grace(text: str) -> timedelta:
    if text.strip() == "0":
        return timedelta(0)
    try:
        return durations.parse_duration(text, allow_zero=True)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _optional_duration(text: str) -> timedelta | None:
    return None if text.strip().lower() == "none" else _duration(text)


def _day(text: str) -> date:
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text.strip(), re.ASCII):
            raise ValueError
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError("not a date (expected YYYY-MM-DD)") from None


def _scope(record: TokenRecord | Issued) -> str:
    """A token's expiry and environments in words: "expires 2026-09-01 12:00 UTC, all
    environments"."""
    expiry = "no expiry" if record.expires_at is None else f"expires {_human(record.expires_at)}"
    places = ", ".join(record.environments) if record.environments else "all"
    return f"{expiry}, environments: {places}"


def _token_json(record: TokenRecord, now: datetime) -> dict[str, object]:
    return {
        "id": record.id,
        "project": record.project,
        "name": record.name,
        "preview": record.preview,
        "created_at": record.created_at,
        "last_used_at": record.last_used_at,
        "expires_at": record.expires_at,
        "environments": list(record.environments),
        "status": record.status(now),
    }


def _add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print a JSON array")


# Output


def _open(args: argparse.Namespace, *, create: bool = True) -> TokenService:
    from app.service import open_service

    return open_service(getattr(args, "database", None), create=create)


def _fail(message: str, code: int) -> int:
    """Say what went wrong in one line; what it quotes of user input or drivers is shown
    safely (app.shown)."""
    from app import shown

    print(f"{PROG}: {shown.for_display(message)}", file=sys.stderr)
    return code


def _print_json(records: Sequence[object], keys: Sequence[str]) -> None:
    """A JSON array of objects with ``keys`` taken from each record (or mapping); times in
    ISO 8601."""
    import json

    def value(record: object, key: str) -> object:
        found = record[key] if isinstance(record, dict) else getattr(record, key)
        return found.isoformat() if isinstance(found, datetime) else found

    rows = [{key: value(record, key) for key in keys} for record in records]
    print(json.dumps(rows, indent=2, ensure_ascii=False))


def _print_holders(found: Sequence[HolderRecord], as_json: bool, when_none: str) -> int:
    """Introspection clients or revocation keys: a JSON array, a table, or a hint."""
    if as_json:
        _print_json(found, ("id", "name", "created_at", "created_by"))
    elif not found:
        print(when_none, file=sys.stderr)
    else:
        _print_table(
            ("NAME", "CREATED", "BY"), [(h.name, _human(h.created_at), h.created_by) for h in found]
        )
    return EXIT_OK


def _print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[str(cell) for cell in row] for row in [headers, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


def _quoted(text: str) -> str:
    import shlex  # only for this hint; the app's first paint does not load it

    return shlex.quote(text)


def _human(moment: datetime | None) -> str:
    return "never" if moment is None else moment.strftime("%Y-%m-%d %H:%M UTC")


def _exact(moment: datetime) -> str:
    """To the second: an audit trail is read to put events in order."""
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def _configure_logging() -> None:
    import logging

    logging.basicConfig(level=logging.WARNING, format=f"{PROG}: warning: %(message)s")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(PROG)
    except PackageNotFoundError:
        return "unknown"
