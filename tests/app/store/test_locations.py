"""Where the data lives, read from a URL without peewee: the verify path's own parser."""

from __future__ import annotations

import grp
import os
import pwd
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st
from playhouse.db_url import parse

from app.errors import ConfigurationError, UnsafePermissionsError
from app.store import locations

# What people put in file names, and the characters a URL treats specially.
PATH_CHARACTERS = st.sampled_from([*"abcXYZ019._-/ %~+:@=,", "é", "?", "#", ";"])


@given(
    path=st.text(PATH_CHARACTERS, min_size=1, max_size=40),
    slashes=st.sampled_from(["sqlite:///", "sqlite:////", "SQLite:///"]),
)
def test_sqlite_urls_name_the_file_playhouse_would_open(path, slashes):
    """The verify path reads SQLite URLs itself; it must open the file the store opens."""
    url = slashes + path
    expected = parse(url)["database"]
    try:
        ours = locations.sqlite_target(url)
    except ConfigurationError:
        # Where playhouse would fall back to an in-memory database or name the root
        # directory, we refuse: a verifier must never answer from a database it made up.
        assert expected == ":memory:" or not expected.strip("/")
        return
    assert ours == expected


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("sqlite:///tokens.db", "tokens.db"),
        ("sqlite:////srv/tokens/tokens.db", "/srv/tokens/tokens.db"),
        ("sqlite:///:memory:", ":memory:"),
        ("sqlite:///a.db?mode=ro", "a.db"),
    ],
)
def test_the_documented_forms(url, target):
    assert locations.sqlite_target(url) == target


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///", "sqlite:"])
def test_a_url_that_names_no_file_is_refused(url):
    with pytest.raises(ConfigurationError, match="names no file"):
        locations.sqlite_target(url)


@pytest.mark.parametrize("url", ["mysql://x/y", "tokens.db", "", "http://host/db"])
def test_unsupported_schemes_say_which_forms_work(url):
    with pytest.raises(ConfigurationError, match=r"sqlite:///relative\.db"):
        locations.scheme(url)


def test_postgresql_is_no_sqlite_file():
    assert locations.sqlite_file("postgresql://u@h/db") is None
    assert locations.sqlite_file("sqlite:///:memory:") is None
    assert locations.sqlite_file("sqlite:////srv/t.db") is not None


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql://alice:S3cret@db.example.com:5432/tokens",
            "postgresql://alice@db.example.com:5432/tokens",
        ),
        ("postgresql://db/tokens?sslmode=verify-full", "postgresql://db/tokens"),
        ("sqlite:////srv/t.db", "/srv/t.db"),
    ],
)
def test_a_location_is_shown_without_its_password_or_options(url, shown):
    assert locations.describe_location(url) == shown


@pytest.mark.parametrize(
    ("driver_message", "said"),
    [
        ("database is locked", "locked by another program"),
        ("file is not a database", "not a usable database"),
        ("attempt to write a readonly database", "read-only"),
        ("database or disk is full", "the disk is full"),
        ("unable to open database file", "cannot be opened"),
    ],
)
def test_driver_errors_become_one_plain_line(driver_message, said):
    described = locations.describe_error(Exception(driver_message + "\nSQL: SELECT ..."))
    assert said in described
    assert "SELECT" not in described


# Group write: harmless for the owner's user private group (Debian 13's umask 002),
# refused for a group that others are in.


def _own_group_is_private() -> bool:
    return locations.group_members_besides(os.getegid(), os.geteuid()) == []


def _shared_group() -> tuple[int, list[str]] | None:
    """A group others are in (root may give a file to it), with those others."""
    if os.geteuid() != 0:
        return None
    for group in grp.getgrall():
        members = locations.group_members_besides(group.gr_gid, 0)
        if members and not members[0].startswith(("whoever", "unknown", "the members")):
            return group.gr_gid, members
    return None


@pytest.mark.skipif(not _own_group_is_private(), reason="this user has no private group")
@pytest.mark.parametrize("mode", [0o775, 0o770, 0o2775])
def test_a_directory_writable_by_the_owners_private_group_is_accepted(tmp_path, mode):
    directory = tmp_path / "data"
    directory.mkdir()
    os.chown(directory, -1, os.getegid())
    directory.chmod(mode)
    locations.check_private(directory)  # no error: the group is the owner alone


@pytest.mark.skipif(not _own_group_is_private(), reason="this user has no private group")
def test_a_file_writable_by_the_owners_private_group_is_accepted(tmp_path):
    database = tmp_path / "tokens.db"
    database.write_bytes(b"")
    database.chmod(0o660)
    locations.check_private(database)


@pytest.mark.skipif(_shared_group() is None, reason="giving a file to a shared group needs root")
def test_a_directory_writable_by_a_shared_group_names_its_members_and_the_fix(tmp_path):
    gid, members = _shared_group()  # type: ignore[misc]
    directory = tmp_path / "shared dir"
    directory.mkdir()
    os.chown(directory, -1, gid)
    directory.chmod(0o770)
    with pytest.raises(UnsafePermissionsError) as refused:
        locations.check_private(directory)
    message = str(refused.value)
    assert f"its group {grp.getgrgid(gid).gr_name} can write it (mode 0770)" in message
    assert members[0] in message
    assert "\n" not in message
    # The command is whole and pasteable: the path quoted as one shell word.
    assert refused.value.fix == f"chmod g-w '{directory}'"
    assert message.endswith(f"fix it with: {refused.value.fix}")


def test_a_group_nobody_is_in_is_not_taken_for_the_owners_own(tmp_path):
    # Like OpenSSH: a group without members (a setgid program's) is not private.
    unused = next(
        (
            g.gr_gid
            for g in grp.getgrall()
            if not g.gr_mem and not any(p.pw_gid == g.gr_gid for p in pwd.getpwall())
        ),
        None,
    )
    if unused is None:
        pytest.skip("every group here has a member")
    assert locations.group_members_besides(unused, os.geteuid()) != []


def test_a_directory_everyone_can_write_is_refused_with_one_command(tmp_path):
    directory = tmp_path / "open"
    directory.mkdir()
    directory.chmod(0o777)
    with pytest.raises(UnsafePermissionsError) as refused:
        locations.check_private(directory)
    assert "everyone can write it (mode 0777)" in str(refused.value)
    assert refused.value.fix == f"chmod go-w {directory}"


# Access control lists: the mode bits do not show who else they let write.

_UNDEFINED = 0xFFFFFFFF


def _set_acl(path, attribute, *entries):
    """Write a POSIX ACL as Linux stores it (what `setfacl` does), or skip the test on a
    file system without them."""
    value = struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *entry) for entry in entries)
    try:
        os.setxattr(path, attribute, value)
    except (AttributeError, OSError) as error:
        pytest.skip(f"no POSIX ACLs here: {error}")


def _owner_and_other(user_permissions=6, mask=6, user=65534):
    return (
        (0x01, 6, _UNDEFINED),  # the owner
        (0x02, user_permissions, user),  # a named user
        (0x04, 0, _UNDEFINED),  # the owning group
        (0x10, mask, _UNDEFINED),  # the mask
        (0x20, 0, _UNDEFINED),  # others
    )


def test_a_file_an_acl_lets_someone_else_write_is_refused_naming_them(tmp_path):
    database = tmp_path / "tokens.db"
    database.write_bytes(b"")
    database.chmod(0o600)
    _set_acl(database, "system.posix_acl_access", *_owner_and_other())
    with pytest.raises(UnsafePermissionsError) as refused:
        locations.check_private(database)
    assert f"its access control list gives {pwd.getpwuid(65534).pw_name} write" in str(
        refused.value
    )
    assert refused.value.fix == f"setfacl -b {database}"


def test_a_directory_whose_default_acl_hands_new_files_to_someone_else_is_refused(tmp_path):
    directory = tmp_path / "data"
    directory.mkdir(mode=0o700)
    _set_acl(directory, "system.posix_acl_default", *_owner_and_other())
    with pytest.raises(UnsafePermissionsError) as refused:
        locations.check_private(directory)
    assert "(and to what is made in it)" in str(refused.value)
    assert refused.value.fix == f"setfacl -bk {directory}"


@pytest.mark.parametrize(
    "entries",
    [_owner_and_other(mask=4), _owner_and_other(user_permissions=4)],
    ids=["write masked out", "read only"],
)
def test_an_acl_that_lets_nobody_else_write_is_accepted(tmp_path, entries):
    database = tmp_path / "tokens.db"
    database.write_bytes(b"")
    database.chmod(0o600)
    _set_acl(database, "system.posix_acl_access", *entries)
    locations.check_private(database)


# Directories above the database: whoever can write one could swap the whole directory.


def test_a_directory_above_the_database_that_everyone_can_write_is_refused(tmp_path):
    shared = tmp_path / "shared"
    private = shared / "mine"
    private.mkdir(parents=True)
    private.chmod(0o700)
    shared.chmod(0o777)
    with pytest.raises(UnsafePermissionsError) as refused:
        locations.check_private_directory(private)
    assert f"refusing the directory above the database, {shared}: everyone can write it" in (
        str(refused.value)
    )
    assert refused.value.fix == f"chmod go-w {shared}"
    shared.chmod(0o1777)  # as /tmp: others cannot move what is not theirs
    locations.check_private_directory(private)


def test_a_link_is_judged_by_the_directories_above_where_it_leads_too(tmp_path):
    shared = tmp_path / "shared"
    target = shared / "real"
    target.mkdir(parents=True)
    target.chmod(0o700)
    shared.chmod(0o777)
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    (home / "data").symlink_to(target)
    with pytest.raises(UnsafePermissionsError, match="directory above the database"):
        locations.check_private_directory(home / "data")
