#!/usr/bin/env bash
# `make image-test`: build the Dockerfile with podman from a debootstrapped Debian bookworm base,
# then serve from the built image's files and ask it one question.
#
# `podman run` is refused on the project's machines (setrlimit is not permitted), so the image's
# filesystem is mounted (`podman create` + `podman mount`) and run in a chroot with the image's
# own user, working directory, environment and command, in fresh mount, PID and network
# namespaces where the only network is loopback. The probe (tests/image/probe.py) joins that
# network namespace, waits for /ready and checks one cited answer. docs/deployment.md says what
# this does and does not exercise.
#
# Needs root. Idempotent; cached between runs: the debootstrapped root (a tarball in
# .cache/image-test), the base image it is imported as, and podman's build layers.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${IMAGE_TEST_CACHE:-$ROOT/.cache/image-test}
SUITE=bookworm # ships Python 3.11, as the default python:3.11-slim base does
BASE_IMAGE=localhost/haven-base:$SUITE
IMAGE=${IMAGE_TEST_TAG:-localhost/haven:test}
CONTAINER=haven-image-test
WHEELS=${IMAGE_TEST_WHEELS:-/opt/wheels}
READY_TIMEOUT=${IMAGE_TEST_READY_TIMEOUT:-600}
STARTED=$SECONDS
SERVER_PID=""
MOUNTED=""

log() { printf '== %s %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# The host's own Debian mirror: the first archive apt is configured with (not the security one).
debian_mirror() {
    if [ -n "${DEBIAN_MIRROR:-}" ]; then
        echo "$DEBIAN_MIRROR"
        return
    fi
    local found
    found=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }
                 /^deb / { for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) { print $i; break } }' \
        /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
        | grep -m1 -E '/debian/?$' || true)
    echo "${found:-http://deb.debian.org/debian}"
}

stop_server() {
    [ -n "$SERVER_PID" ] || return 0
    local child
    child=$(pgrep -P "$SERVER_PID" || true)
    # The server is PID 1 of its namespace: it gets SIGTERM because uvicorn handles it.
    [ -z "$child" ] || kill -TERM "$child" 2>/dev/null || true
    for _ in $(seq 30); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 1
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true # --kill-child takes the server with it
    local rc=0
    wait "$SERVER_PID" || rc=$?
    SERVER_PID=""
    return "$rc"
}

cleanup() {
    stop_server || true
    if [ -n "$MOUNTED" ]; then
        podman umount "$CONTAINER" >/dev/null || true
    fi
    podman rm --force "$CONTAINER" >/dev/null 2>&1 || true
}

if [ "$(id -u)" != 0 ]; then
    echo "make image-test needs root (debootstrap, podman, chroot and namespaces)" >&2
    exit 2
fi
mkdir -p "$CACHE"

# 1. Tools: Debian's podman and debootstrap.
if ! command -v podman >/dev/null || ! command -v debootstrap >/dev/null; then
    log "installing podman and debootstrap"
    t=$SECONDS
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman debootstrap >/dev/null
    log "installed in $((SECONDS - t)) s"
fi
log "$(podman --version), debootstrap $(dpkg-query -W -f '${Version}' debootstrap)"

# 2. The base image: a minimal bookworm root with Python 3.11 and its venv module.
if podman image exists "$BASE_IMAGE"; then
    log "base image $BASE_IMAGE: cached"
else
    tarball=$CACHE/$SUITE-root.tar
    if [ ! -s "$tarball" ]; then
        mirror=$(debian_mirror)
        log "debootstrap $SUITE from $mirror"
        t=$SECONDS
        rm -rf "$CACHE/root"
        debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
            "$SUITE" "$CACHE/root" "$mirror" >"$CACHE/debootstrap.log" 2>&1 \
            || { tail -20 "$CACHE/debootstrap.log"; exit 1; }
        # The downloaded packages and lists are not part of a base image (the build updates).
        rm -rf "$CACHE"/root/var/cache/apt/archives/*.deb "$CACHE"/root/var/lib/apt/lists/*
        # pip trusts the system's CA bundle, as Debian's own pip does; the build mounts the
        # host's bundle over it.
        printf '[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n' >"$CACHE/root/etc/pip.conf"
        tar -C "$CACHE/root" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
        rm -rf "$CACHE/root"
        log "debootstrapped in $((SECONDS - t)) s: $(du -h "$tarball" | cut -f1) tarball"
    fi
    t=$SECONDS
    # PATH and LANG as Debian-based images set them; the Dockerfile appends the venv to PATH.
    podman import --quiet \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV LANG=C.UTF-8' \
        --change 'CMD ["/bin/bash"]' \
        "$tarball" "$BASE_IMAGE" >/dev/null
    log "imported $BASE_IMAGE in $((SECONDS - t)) s"
fi

# 3. The build. Mounted for the build only, over paths the base already has (so not even an
# empty mount point is left in a layer): the host's CA bundle, so that apt and pip trust what
# the host trusts, a TLS-inspecting proxy included; and the CPU torch wheel on /mnt when it
# is on disk (PyTorch's index is not reachable here). The docker format keeps the HEALTHCHECK,
# which OCI image configs have no field for.
build=(--isolation chroot --network host --format docker --build-arg "BASE=$BASE_IMAGE"
    -v /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro)
if compgen -G "$WHEELS/torch-2.13.0+cpu-*.whl" >/dev/null; then
    build+=(-v "$WHEELS:/mnt:ro" --build-arg "TORCH_SOURCE=--find-links /mnt")
fi
previous=$(podman image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)
log "podman build ${build[*]} -t $IMAGE"
t=$SECONDS
nice -n 10 podman build "${build[@]}" -t "$IMAGE" "$ROOT" >"$CACHE/build.log" 2>&1 \
    || { tail -40 "$CACHE/build.log"; exit 1; }
current=$(podman image inspect --format '{{.Id}}' "$IMAGE")
cached=$(grep -c -- '--> Using cache' "$CACHE/build.log" || true)
steps=$(grep -c -E '^STEP [0-9]+/' "$CACHE/build.log" || true)
log "built in $((SECONDS - t)) s ($cached of $steps steps from cache): $IMAGE ${current:0:12}," \
    "$(($(podman image inspect --format '{{.Size}}' "$IMAGE") / 1000000)) MB"
if [ -n "$previous" ] && [ "$previous" != "$current" ]; then
    podman rmi "$previous" >/dev/null 2>&1 || true # the last run's image, now untagged
fi

# 4. The image's own runtime settings, as podman run would apply them.
inspect() { podman image inspect --format "$1" "$IMAGE"; }
user=$(inspect '{{.Config.User}}')
user=${user:-0:0} # no USER: root, as podman run would
workdir=$(inspect '{{.Config.WorkingDir}}')
mapfile -t environment < <(inspect '{{range .Config.Env}}{{println .}}{{end}}' | sed '/^$/d')
mapfile -t command < <(inspect \
    '{{range .Config.Entrypoint}}{{println .}}{{end}}{{range .Config.Cmd}}{{println .}}{{end}}' \
    | sed '/^$/d')
mapfile -t healthcheck < <(inspect \
    '{{if .HealthCheck}}{{range .HealthCheck.Test}}{{println .}}{{end}}{{end}}' | sed '/^$/d')
log "image config: USER $user, WORKDIR $workdir, CMD ${command[*]}," \
    "HEALTHCHECK ${healthcheck[*]:0:2}"

trap cleanup EXIT
podman rm --force "$CONTAINER" >/dev/null 2>&1 || true
podman create --name "$CONTAINER" "$IMAGE" >/dev/null
rootfs=$(podman mount "$CONTAINER")
MOUNTED=1
uid=${user%%:*}
gid=${user#*:}
[ "$gid" != "$user" ] || gid=$(awk -F: -v u="$uid" '$1 == u || $3 == u { print $4 }' "$rootfs/etc/passwd")
home=$(awk -F: -v u="$uid" '$1 == u || $3 == u { print $6 }' "$rootfs/etc/passwd")
printf '%s\n' "${environment[@]}" | grep -q '^HOME=' || environment+=("HOME=${home:-/}")

# 5. Serve: new mount, PID and network namespaces; loopback up; /proc, a minimal /dev and /sys
# as a container runtime provides them; then chroot as the image's user, nothing else inherited.
log "serving from $rootfs (container $CONTAINER) with no network but loopback"
# shellcheck disable=SC2016 # the inner shell expands these, from its arguments
unshare --mount --net --pid --fork --kill-child -- /bin/sh -ec '
    root=$1 userspec=$2 workdir=$3
    shift 3
    ip link set lo up
    mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
    mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$root/sys"
    mount -t tmpfs -o nosuid,mode=755 tmpfs "$root/dev"
    for node in null zero full random urandom tty; do
        touch "$root/dev/$node" && mount --bind "/dev/$node" "$root/dev/$node"
    done
    mkdir "$root/dev/shm" && mount -t tmpfs -o nosuid,nodev,mode=1777 shm "$root/dev/shm"
    ln -s /proc/self/fd "$root/dev/fd"
    exec chroot --userspec="$userspec" "$root" /usr/bin/env -i -C "$workdir" "$@"
' sh "$rootfs" "$uid:$gid" "$workdir" "${environment[@]}" "${command[@]}" \
    >"$CACHE/serve.log" 2>&1 &
SERVER_PID=$!
sleep 1
log "network namespace: $(nsenter --net="/proc/$SERVER_PID/ns/net" ip -brief link | tr -s ' ' | tr '\n' ';')"
t=$SECONDS
rc=0
nsenter --net="/proc/$SERVER_PID/ns/net" \
    python3 "$ROOT/tests/image/probe.py" --timeout "$READY_TIMEOUT" || rc=$?

# The image's HEALTHCHECK command, as the runtime would run it: inside the server's
# namespaces and root, as the image's user, with the image's environment.
if [ "$rc" = 0 ] && [ "${#healthcheck[@]}" -gt 1 ]; then
    case ${healthcheck[0]} in
    CMD) probe=("${healthcheck[@]:1}") ;;
    CMD-SHELL) probe=(/bin/sh -c "${healthcheck[1]}") ;;
    *) probe=(false) ;;
    esac
    server=$(pgrep -P "$SERVER_PID")
    if nsenter --target "$server" --net --mount --pid --root --setuid "$uid" --setgid "$gid" \
        /usr/bin/env -i -C "$workdir" "${environment[@]}" "${probe[@]}"; then
        log "HEALTHCHECK command: exit 0"
    else
        log "FAIL: the HEALTHCHECK command failed"
        rc=1
    fi
fi
stop_rc=0
stop_server || stop_rc=$?
log "server stopped (exit $stop_rc); its log: $CACHE/serve.log"
if [ "$rc" != 0 ]; then
    tail -30 "$CACHE/serve.log"
    log "FAILED after $((SECONDS - STARTED)) s"
    exit 1
fi
log "image test passed: served and answered in $((SECONDS - t)) s, $((SECONDS - STARTED)) s in all"
