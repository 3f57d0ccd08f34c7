"""Where the data lives, and what went wrong there: peewee-free, for the verify fast path.

``app.store.db`` builds on these; ``deployment-tokens verify`` on an SQLite file uses them
without importing peewee or a driver.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from app.errors import ConfigurationError, StorageError, UnsafePermissionsError

SQLITE_SCHEMES = ("sqlite",)
POSTGRESQL_SCHEMES = ("postgres", "postgresql")
_EXAMPLES = (
    "sqlite:///relative.db, sqlite:////absolute/path.db or postgresql://user:pass@host:5432/db"
)


def scheme(url: str) -> str:
    """The URL's scheme, lower-case; ConfigurationError for one we cannot use."""
    try:
        parts = urlsplit(url) if "://" in url else None
    except ValueError as error:  # "Invalid IPv6 URL", for one
        from app.shown import without_password

        raise ConfigurationError(
            f"cannot read the database URL {without_password(url)}: {error}; check --database "
            "or ML_DEPLOYMENT_DATABASE_URL"
        ) from None
    scheme = parts.scheme.lower() if parts is not None else ""
    if scheme not in SQLITE_SCHEMES + POSTGRESQL_SCHEMES:
        raise ConfigurationError(
            f"unsupported database URL (expected {_EXAMPLES}); check --database "
            "or ML_DEPLOYMENT_DATABASE_URL"
        )
    return scheme


def sqlite_target(url: str) -> str:
    """The file an ``sqlite://`` URL names (relative to the working directory or absolute)."""
    # As playhouse.db_url reads it: everything after the third slash.
    target = urlsplit(url).path[1:]
    if url.rstrip("/").lower() in ("sqlite:", "sqlite:/") or not target:
        raise ConfigurationError(f"the SQLite URL names no file (expected {_EXAMPLES})")
    return str(target)


def sqlite_file(url: str) -> Path | None:
    """The file an SQLite URL names, or None for PostgreSQL and in-memory databases."""
    if scheme(url) not in SQLITE_SCHEMES:
        return None
    target = sqlite_target(url)
    return None if target == ":memory:" else Path(os.path.abspath(target))


def describe_location(url: str) -> str:
    """The database as a user would name it: a file path, or the URL without a password."""
    parts = urlsplit(url)
    if parts.scheme.lower() in SQLITE_SCHEMES:
        path = sqlite_target(url)
        return os.path.abspath(path) if path != ":memory:" else path
    netloc = parts.hostname or ""
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def check_existing_sqlite_file(path: Path) -> None:
    """Fail clearly, before SQLite does, if ``path`` is missing, cannot be read, or could
    be changed by someone else (see check_private); warn when others can read it."""
    if not path.exists():
        raise StorageError(
            f"there is no database at {path}; check --database or ML_DEPLOYMENT_DATABASE_URL"
        )
    if path.is_dir():
        raise StorageError(f"cannot open the database {path}: it is a directory, not a file")
    # A file that can be read but not written still opens: the projects and tokens can
    # be looked at, and every change is refused as "read-only".
    if not os.access(path, os.R_OK):
        raise StorageError(f"cannot open the database {path}: permission denied")
    check_private_directory(path.parent)
    for candidate in (path, *(Path(f"{path}{side}") for side in SQLITE_SIDE_FILES)):
        check_private(candidate)


def check_private_directory(directory: Path) -> None:
    """check_private for the directory a database is in, and for every directory above
    it, as OpenSSH's StrictModes checks each one up to the root: whoever can write a
    directory above could move the database's directory aside and put an older copy,
    revoked tokens and all, in its place. Both the path as given and where its links
    lead are checked."""
    check_private(directory)
    seen = {directory}
    for start in (Path(os.path.abspath(directory)), Path(os.path.realpath(directory))):
        for above in start.parents:
            if above not in seen:
                seen.add(above)
                check_private(above, above_the_database=True)


# What SQLite writes beside a database file; pre-made by someone else, they would let
# that someone change what the database says.
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


def check_private(path: Path, *, above_the_database: bool = False) -> None:
    """Refuse ``path`` (a database file, one beside it, or their directory) when someone
    else could change it, as OpenSSH's StrictModes does; warn when others can read a file.

    A file must belong to this user and be writable by nobody else: another writer could
    put a revoked token back. A directory must belong to this user or root, and others
    may write it only with the sticky bit (as /tmp), which keeps them from replacing
    files they do not own. Group write is harmless when the group is the owner's user
    private group, whose only member is the owner (Debian 13 logs people in with umask
    002 for that reason; Debian's OpenSSH accepts it too, its "user-group-modes"
    change). Symbolic links are followed: the target is what gets written. Nothing is
    ever changed; the message gives the one command that fixes it.
    """
    if os.name != "posix":
        return
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    except OSError as error:
        raise StorageError(f"cannot check {path}: {error.strerror}") from None
    mode = stat.S_IMODE(info.st_mode)
    directory = stat.S_ISDIR(info.st_mode)
    kind = "the directory" if directory else "the database file"
    if above_the_database:
        kind = "the directory above the database,"
    me = os.geteuid()
    if info.st_uid != me and not (directory and info.st_uid == 0):
        owner = _user_name(me)
        raise UnsafePermissionsError(
            f"refusing {kind} {path}: it belongs to {_user_name(info.st_uid)}, not to you "
            f"({owner}), who could change the tokens it holds; use one of your own, or "
            "have it handed over",
            fix=f"chown {shell_quoted(owner)} {shell_quoted(str(path))}",
        )
    sticky_directory = directory and mode & stat.S_ISVTX
    if mode & 0o002 and not sticky_directory:
        raise UnsafePermissionsError(
            f"refusing {kind} {path}: everyone can write it (mode {mode:04o}), and could "
            "put revoked tokens back",
            fix=f"chmod go-w {shell_quoted(str(path))}",
        )
    if mode & 0o020 and not sticky_directory:
        others = group_members_besides(info.st_gid, info.st_uid)
        if others:
            raise UnsafePermissionsError(
                f"refusing {kind} {path}: its group {_group_name(info.st_gid)} can write it "
                f"(mode {mode:04o}), and {_listed(others)} could put revoked tokens back",
                fix=f"chmod g-w {shell_quoted(str(path))}",
            )
    if not sticky_directory:
        _check_access_control_lists(path, kind, info.st_uid, directory)
    if not directory and mode & 0o044:
        _warn_others_can_read(path, mode)


def _warn_others_can_read(path: Path, mode: int) -> None:
    import logging  # only when there is something to say: verify never pays for it

    logging.getLogger(__name__).warning(
        "others can read the database file %s (mode %04o): they can list every "
        "project and token name; make it private with: chmod 600 %s",
        path,
        mode,
        shell_quoted(str(path)),
    )


# POSIX access control lists as Linux stores them in extended attributes
# (acl_ea.h): a version, then entries of tag, permissions and id.
_ACL_ATTRIBUTES = ("system.posix_acl_access", "system.posix_acl_default")
_ACL_HEADER = 4
_ACL_ENTRY = 8
_ACL_USER, _ACL_GROUP, _ACL_MASK = 0x02, 0x08, 0x10
_ACL_WRITE = 0x02


def _check_access_control_lists(path: Path, kind: str, owner_uid: int, directory: bool) -> None:
    """Refuse ``path`` when an access control list lets someone else write it (its mode
    bits would not show it), or, on a directory, would let someone else write the files
    made in it (the -wal and -shm files SQLite adds)."""
    getxattr = getattr(os, "getxattr", None)
    if getxattr is None:
        return
    for attribute in _ACL_ATTRIBUTES if directory else _ACL_ATTRIBUTES[:1]:
        try:
            value = getxattr(path, attribute)
        except OSError:
            continue  # none, or a file system without them
        writers = _acl_writers(value, owner_uid)
        if writers:
            made_in_it = " (and to what is made in it)" if attribute.endswith("default") else ""
            raise UnsafePermissionsError(
                f"refusing {kind} {path}: its access control list gives {_listed(writers)} "
                f"write access{made_in_it}, who could put revoked tokens back",
                fix=f"setfacl -b{'k' if directory else ''} {shell_quoted(str(path))}",
            )


def _acl_writers(value: bytes, owner_uid: int) -> list[str]:
    """Who besides the owner an access control list lets write: named users, and named
    groups with someone else in them, as far as the mask allows."""
    import struct

    entries = [
        struct.unpack_from("<HHI", value, offset)
        for offset in range(_ACL_HEADER, len(value) - _ACL_ENTRY + 1, _ACL_ENTRY)
    ]
    mask = next((perm for tag, perm, _ in entries if tag == _ACL_MASK), _ACL_WRITE)
    writers = []
    for tag, perm, identity in entries:
        if not perm & mask & _ACL_WRITE:
            continue
        if tag == _ACL_USER and identity != owner_uid:
            writers.append(_user_name(identity))
        elif tag == _ACL_GROUP and group_members_besides(identity, owner_uid):
            writers.append(f"group {_group_name(identity)}")
    return writers


def group_members_besides(gid: int, owner_uid: int) -> list[str]:
    """Who, besides the user ``owner_uid``, is in the group ``gid``: the users whose
    primary group it is and its listed members. Empty for the owner's user private
    group. A group that cannot be looked up, or that has no member at all (as groups
    of setgid programs), is not the owner's alone: it reads as ``["group <gid>"]``."""
    import grp
    import pwd

    try:
        group = grp.getgrgid(gid)
    except KeyError:
        return [f"unknown group {gid}"]
    try:
        owner = pwd.getpwuid(owner_uid).pw_name
    except KeyError:
        return [f"the members of group {group.gr_name}"]
    primary = {entry.pw_name for entry in pwd.getpwall() if entry.pw_gid == gid}
    everyone = primary | set(group.gr_mem)
    if not everyone:
        return [f"whoever is given group {group.gr_name}"]
    return sorted(everyone - {owner})


def shell_quoted(text: str) -> str:
    """``text`` as one word of a shell command the user can paste."""
    import shlex

    return shlex.quote(text)


def _listed(names: list[str]) -> str:
    shown = names[:5] + ([f"{len(names) - 5} more"] if len(names) > 5 else [])
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _group_name(gid: int) -> str:
    try:
        import grp

        return grp.getgrgid(gid).gr_name
    except (ImportError, KeyError):
        return f"gid {gid}"


def _user_name(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return f"uid {uid}"


def describe_error(error: BaseException) -> str:
    """A one-line description of a database driver error, free of SQL and parameters."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    lowered = text.lower()
    if "database is locked" in lowered or "database table is locked" in lowered:
        return "the database is locked by another program; try again in a moment"
    if "file is not a database" in lowered or "malformed" in lowered:
        return "the file is not a usable database (it is corrupt or another kind of file)"
    if "readonly" in lowered or "read-only" in lowered:
        return (
            "the database is read-only; check the permissions of the file and of its "
            "-wal and -shm files beside it"
        )
    if "unable to open" in lowered:
        return "the database file cannot be opened; check that it exists and is readable"
    if "driver not found" in lowered:
        return "the database driver for this URL is not installed"
    if "disk" in lowered and "full" in lowered:
        return "the disk is full; free some space and try again"
    return text
