"""``deployers add|list|remove|test``: the CI jobs a project trusts to deploy by their OIDC ID
token (exchanged on ``serve`` at ``POST /v1/exchange``), with presets for GitHub Actions
and GitLab CI."""

from __future__ import annotations

import argparse
import sys

from app.cli.arguments import UsageError, add_json_flag, add_project_option, open_service
from app.cli.output import EXIT_FAILED, EXIT_OK, human, print_json, print_table
from app.errors import ValidationError
from app.oidc import bindings

# typing.TYPE_CHECKING without importing typing (ARCHITECTURE.md, Rules): annotations only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from app.use_cases.deployers import DeployerRecord

# What --json prints of each binding: stable, scripts parse them.
DEPLOYER_JSON_KEYS = (
    "id",
    "name",
    "issuer",
    "audience",
    "claims",
    "environments",
    "lifetime_seconds",
    "created_at",
    "created_by",
    "last_exchanged_at",
)


def add_deployers(commands: Any, database: argparse.ArgumentParser) -> None:
    deployers = commands.add_parser(
        "deployers",
        help="add, list and remove the CI jobs trusted to deploy by their OIDC ID token",
        parents=[database],
    )
    actions = deployers.add_subparsers(dest="action", metavar="ACTION", required=True)
    _add_parser(actions, database)
    listing = actions.add_parser(
        "list", help="list a project's trusted deployers", parents=[database]
    )
    add_project_option(listing, required=True)
    add_json_flag(listing)
    listing.set_defaults(handler=_list)
    remove = actions.add_parser("remove", help="remove a trusted deployer", parents=[database])
    add_project_option(remove, required=True)
    remove.add_argument(
        "deployer_id", metavar="ID", type=_deployer_id, help="from 'deployers list'"
    )
    remove.set_defaults(handler=_remove)
    test = actions.add_parser(
        "test",
        help="say which deployer an ID token (on stdin) would match, issuing nothing",
        description="Read a CI job's ID token from the first line of stdin, check it as the "
        "exchange does, and say which of the project's deployers it would match and why each "
        "other does not. Issues nothing: the token can still be exchanged. Exit 0 when one "
        "matches, 1 otherwise.",
        parents=[database],
    )
    add_project_option(test, required=True)
    test.set_defaults(handler=_test)


PARSERS = {"deployers": add_deployers}


def _add_parser(actions: Any, database: argparse.ArgumentParser) -> None:
    add = actions.add_parser(
        "add",
        help="trust CI jobs whose ID token carries these claims",
        description="Trust CI jobs of ISSUER whose ID token is for AUDIENCE and carries every "
        "--claim exactly: they exchange it at POST /v1/exchange for a deployment token that "
        "lives LIFETIME (15m by default, at most 1h). Bind immutable ids, and an environment "
        "or a protected ref. --github and --gitlab fill in the issuer and the ids.",
        parents=[database],
    )
    add_project_option(add, required=True)
    add.add_argument("--issuer", metavar="URL", type=_issuer, help="the OIDC issuer (https://)")
    add.add_argument(
        "--audience",
        metavar="AUD",
        required=True,
        type=_audience,
        help="the aud the job asks for, such as deployment-tokens:deploy.example.com",
    )
    add.add_argument(
        "--claim",
        dest="claims",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        type=_claim,
        help="a claim that must match exactly (repeat for more)",
    )
    add.add_argument(
        "--environment",
        dest="environments",
        metavar="ENV",
        action="append",
        default=[],
        help="limit the tokens to this environment of the project "
        "(with --github or --gitlab, also the job's environment claim)",
    )
    add.add_argument(
        "--lifetime",
        metavar="DURATION",
        type=_lifetime,
        default=bindings.DEFAULT_LIFETIME,
        help="15m (default) up to 1h",
    )
    add.add_argument("--name", metavar="LABEL", help="what the exchanged tokens are named")
    preset = add.add_mutually_exclusive_group()
    preset.add_argument("--github", metavar="OWNER/REPO", help="GitHub Actions: this repository")
    preset.add_argument("--gitlab", metavar="URL", help="GitLab CI: the instance's URL")
    add.add_argument("--repository-id", metavar="N", help="with --github: the repository's id")
    add.add_argument("--owner-id", metavar="N", help="with --github: its owner's id")
    add.add_argument("--gitlab-project-id", metavar="N", help="with --gitlab: the project's id")
    add.add_argument(
        "--ref-protected",
        action="store_true",
        help="with --gitlab: only jobs of protected branches and tags",
    )
    add.set_defaults(handler=_add)


def _add(args: argparse.Namespace) -> int:
    issuer, claims, name = _binding(args)
    with open_service(args) as service:
        record, warnings = service.add_deployer(
            args.project,
            issuer=issuer,
            audience=args.audience,
            claims=claims,
            environments=args.environments,
            lifetime=args.lifetime,
            name=args.name if args.name is not None else name,
        )
    print(f"Added deployer {record.id} to project '{record.project}': {_words(record)}.")
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return EXIT_OK


def _binding(args: argparse.Namespace) -> tuple[str, list[tuple[str, str]], str | None]:
    """(issuer, claims, name) from the generic options or a preset."""
    claims: list[tuple[str, str]] = list(args.claims)
    if args.github is None and args.gitlab is None:
        if args.issuer is None:
            raise UsageError("name the --issuer (or use --github or --gitlab)")
        if not claims:
            raise UsageError("name at least one --claim KEY=VALUE that must match")
        return args.issuer, claims, None
    if len(args.environments) > 1:
        raise UsageError(
            "with --github or --gitlab, name one --environment (the job's environment)"
        )
    environment = args.environments[0] if args.environments else None
    if args.github is not None:
        if args.repository_id is None or args.owner_id is None:
            raise UsageError("--github needs --repository-id and --owner-id")
        issuer, preset, name = _usage(bindings.github_preset)(
            args.github, args.repository_id, args.owner_id, environment
        )
    else:
        if args.gitlab_project_id is None:
            raise UsageError("--gitlab needs --gitlab-project-id")
        issuer, preset, name = _usage(bindings.gitlab_preset)(
            args.gitlab, args.gitlab_project_id, args.ref_protected, environment
        )
    if args.issuer is not None and args.issuer != issuer:
        raise UsageError(f"the preset's issuer is {issuer}: leave --issuer out")
    return issuer, [*preset.items(), *claims], name


def _list(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        found = service.list_deployers(args.project)
    if args.json:
        print_json([_json(record) for record in found], DEPLOYER_JSON_KEYS)
    elif not found:
        print("No trusted deployers.", file=sys.stderr)
    else:
        rows = [
            (r.id, _words(r), r.issuer, int(r.lifetime.total_seconds()) // 60,
             human(r.last_exchanged_at))
            for r in found
        ]  # fmt: skip
        print_table(("ID", "DEPLOYER", "ISSUER", "MINUTES", "LAST EXCHANGE"), rows)
    return EXIT_OK


def _remove(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        record = service.remove_deployer(args.project, args.deployer_id)
    print(f"Removed deployer {record.id} ({record.name}) from project '{record.project}'.")
    return EXIT_OK


def _test(args: argparse.Namespace) -> int:
    if sys.stdin is None or sys.stdin.isatty():
        raise UsageError("pipe the ID token on stdin: deployers test --project NAME < jwt.txt")
    subject_token = sys.stdin.readline().strip()
    if not subject_token:
        raise UsageError("stdin holds no ID token")
    with open_service(args) as service:
        found = service.explain_deployers(subject_token, args.project)
    if not found:
        print("No trusted deployers.", file=sys.stderr)
    for record, why in found:
        verdict = "would match" if not why else "does not match: " + "; ".join(why)
        print(f"deployer {record.id} ({record.name}): {verdict}")
    return EXIT_OK if any(not why for _, why in found) else EXIT_FAILED


def _words(record: DeployerRecord) -> str:
    where = ", ".join(record.environments) if record.environments else "every environment"
    return f"{record.description}; tokens for {where}"


def _json(record: DeployerRecord) -> dict[str, object]:
    return {
        "id": record.id,
        "name": record.name,
        "issuer": record.issuer,
        "audience": record.audience,
        "claims": dict(record.claims),
        "environments": list(record.environments),
        "lifetime_seconds": int(record.lifetime.total_seconds()),
        "created_at": record.created_at,
        "created_by": record.created_by,
        "last_exchanged_at": record.last_exchanged_at,
    }


def _usage(check: Any) -> Any:
    """An argparse type from a check that raises ValidationError: a usage error (exit 2).
    Called outside argparse (the presets), it raises UsageError, exit 2 as well."""

    def parse(*arguments: Any) -> Any:
        try:
            return check(*arguments)
        except ValidationError as error:
            if len(arguments) == 1:
                raise argparse.ArgumentTypeError(str(error)) from None
            raise UsageError(str(error)) from None

    return parse


_issuer = _usage(bindings.check_issuer)
_audience = _usage(bindings.check_audience)
_claim = _usage(bindings.parse_claim)
_lifetime = _usage(bindings.parse_lifetime)


def _deployer_id(text: str) -> int:
    if not text.strip().isascii() or not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' is not a deployer id (a whole number)")
    return int(text)
