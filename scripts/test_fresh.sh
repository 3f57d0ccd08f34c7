#!/usr/bin/env bash
# make test-fresh: the README's two commands on a freshly built minimal Debian.
#
#   bash scripts/test_fresh.sh SUITE [SUITE ...]      (bookworm, trixie, ...)
#
# For each suite: a minimal Debian (debootstrap --variant=minbase) with only python3,
# make, git and sudo added, cached between runs outside the repository; a user with
# sudo, logged in as a person is (`su -l`, so PAM's session and its umask apply: Debian
# 13 gives 002), clones the current commit into it, runs `make test`, then `make run`
# offscreen for a few seconds. Fails if either fails, or if the login session's umask is
# not the release's default. Everything it mounts or makes is removed, also on failure.
# Needs root (it re-runs itself with sudo) and the package registries.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
    exec sudo --preserve-env=DEBIAN_MIRROR,FRESH_CACHE bash "$0" "$@"
fi
if [ "$#" -eq 0 ]; then
    echo "usage: $0 SUITE [SUITE ...]" >&2
    exit 2
fi

repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
commit=$(git -C "$repo" rev-parse HEAD)
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache=${FRESH_CACHE:-/var/cache/deployment-tokens/fresh}
# A base older than this is built again, so security updates reach it.
max_age_days=7
# What "only python3 make git" means, plus sudo for a user who is not root.
base_packages=(python3 make git sudo)
user=newcomer
# What a person logged in on each release gets: Debian 13 turned on pam_umask with user
# private groups (umask 002); Debian 12 kept login.defs' 022.
declare -A default_umask=([bookworm]=0022 [trixie]=0002)
# How long `make run` must keep the app up, after the database appeared, to pass.
run_seconds=5

log() { printf '== test-fresh %s: %s\n' "$suite" "$*"; }

retry() {
    local attempt
    for attempt in 1 2 3; do
        if "$@"; then return 0; fi
        [ "$attempt" -lt 3 ] && { echo "failed, retrying in $((attempt * 10)) s: $*" >&2; sleep $((attempt * 10)); }
    done
    return 1
}

# The processes still running inside the root (the app, Xvfb), which hold its mounts.
kill_inside() {
    local process
    for process in /proc/[0-9]*; do
        if [ "$(readlink "$process/root" 2>/dev/null)" = "$1" ]; then
            kill -9 "${process#/proc/}" 2>/dev/null || true
        fi
    done
}

unmount_all() {
    local root=$1 mount_point
    # Deepest first; a lazy unmount if something still holds one.
    for mount_point in $(awk -v root="$root" '$2 ~ "^"root"/" {print $2}' /proc/mounts | sort -r); do
        umount "$mount_point" 2>/dev/null || umount -l "$mount_point"
    done
}

remove_root() {
    local root=$1
    [ -n "$root" ] && [ -d "$root" ] || return 0
    kill_inside "$root"
    unmount_all "$root"
    rm -rf --one-file-system "$root"
}

mount_system() {
    local root=$1
    mount -t proc proc "$root/proc"
    mount -t sysfs sysfs "$root/sys"
    mount --rbind /dev "$root/dev"
    mount --make-rslave "$root/dev"
    cp /etc/resolv.conf "$root/etc/resolv.conf"
}

# The cached base system, minbase plus python3, make, git and sudo, as a tar file at
# $base (set here, not echoed: a subshell would not clean up after a failure).
ensure_base() {
    local suite=$1 root
    base="$cache/$suite.tar"
    if [ -f "$base" ] && [ -z "$(find "$base" -mtime +"$max_age_days")" ]; then
        return
    fi
    mkdir -p "$cache"
    root=$(mktemp -d /var/tmp/deployment-tokens-base.XXXXXX)
    building=$root
    log "building a minimal $suite (debootstrap --variant=minbase)"
    retry debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$root.log" 2>&1 \
        || { tail -20 "$root.log" >&2; return 1; }
    mount_system "$root"
    retry chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
        sh -c "apt-get -qq update && apt-get -qq install -y --no-install-recommends ${base_packages[*]} && apt-get clean" \
        >>"$root.log" 2>&1 || { tail -20 "$root.log" >&2; return 1; }
    unmount_all "$root"
    rm -f "$root/etc/resolv.conf"
    tar -C "$root" -cf "$base.new" .
    mv "$base.new" "$base"
    remove_root "$root"
    rm -f "$root.log"
    building=""
}

prove() {
    local suite=$1 root home status
    ensure_base "$suite"
    root=$(mktemp -d /var/tmp/deployment-tokens-fresh.XXXXXX)
    current=$root
    tar -C "$root" -xf "$base"
    # mktemp made it owner-only; as the new system's / it must be open to its users.
    chmod 0755 "$root"
    mount_system "$root"

    chroot "$root" useradd --create-home --shell /bin/bash "$user"
    echo "$user ALL=(ALL) NOPASSWD: ALL" >"$root/etc/sudoers.d/$user"
    chmod 0440 "$root/etc/sudoers.d/$user"
    home=/home/$user
    # The commit alone, as a bundle: uncommitted changes are not part of the proof.
    git -C "$repo" bundle create -q "$root/tmp/commit.bundle" HEAD
    chmod 0644 "$root/tmp/commit.bundle"

    # This machine reaches PyPI through a TLS-inspecting proxy whose authority only the
    # host trusts; hand its trust store to pip (a login session starts from a clean
    # environment, so through pip's system-wide configuration). A machine on the open
    # internet needs none.
    if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
        cp /etc/ssl/certs/ca-certificates.crt "$root/etc/host-trust.pem"
        printf '[global]\ncert = /etc/host-trust.pem\n' >"$root/etc/pip.conf"
    fi
    # The locale Debian's installer would have set; pam_env reads it at log-in.
    echo "LANG=C.UTF-8" >"$root/etc/default/locale"
    # As a person: a login shell through PAM (pam_umask, pam_env, limits), not
    # `runuser ... env -i`, which skips the session and so never shows Debian 13's umask.
    as_user() {
        chroot "$root" su --login "$user" --command "$1"
    }

    local umask expected=${default_umask[$suite]:-}
    umask=$(as_user umask)
    if [ -z "$expected" ]; then
        log "the login session's umask is $umask (no default on record for $suite)"
    elif [ "$umask" != "$expected" ]; then
        log "FAILED: the login session's umask is $umask, not $suite's default $expected"
        return 1
    else
        log "logged in as $user through su -l: umask $umask, $suite's default"
    fi

    log "git clone, then make test, as $user (Python $(chroot "$root" python3 -c 'import sys; print(sys.version.split()[0])'))"
    as_user "git clone -q /tmp/commit.bundle ~/deployment-tokens && cd ~/deployment-tokens && git checkout -q $commit && make test"

    log "make run, offscreen"
    local database="$root$home/.local/share/deployment-tokens/deployment-tokens.db"
    as_user "cd ~/deployment-tokens && QT_QPA_PLATFORM=offscreen exec make run" \
        >"$root/tmp/run.log" 2>&1 &
    local runner=$! waited=0
    # Started means: the window was painted, then the database opened behind it.
    while [ ! -s "$database" ] && kill -0 "$runner" 2>/dev/null && [ "$waited" -lt 120 ]; do
        sleep 1
        waited=$((waited + 1))
    done
    sleep "$run_seconds"
    if ! kill -0 "$runner" 2>/dev/null; then
        status=0
        wait "$runner" || status=$?
        cat "$root/tmp/run.log"
        log "FAILED: make run exited ($status) instead of running"
        return 1
    fi
    kill_inside "$root"
    wait "$runner" 2>/dev/null || true
    if [ ! -s "$database" ] || grep -q 'deployment-tokens:' "$root/tmp/run.log"; then
        cat "$root/tmp/run.log"
        log "FAILED: make run did not open its database"
        return 1
    fi
    log "passed: make test, and make run kept the app up with its database open"
    remove_root "$root"
    current=""
}

base=""
current=""
building=""
cleanup() {
    remove_root "$current"
    remove_root "$building"
    [ -z "$building" ] || rm -f "$building.log"
}
trap cleanup EXIT

for suite in "$@"; do
    prove "$suite"
done
