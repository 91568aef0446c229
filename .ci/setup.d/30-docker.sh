# shellcheck shell=bash
# Sourced by .ci/run: a private Docker engine plus local images, so the
# code-execution tests run against a real engine without any image registry.
#
# - dockerd listens on a private unix socket; data-root, exec-root and pidfile
#   live under a temp dir; it is stopped by PID on exit (on_exit).
# - Images are built locally (no `docker pull`; there is no registry here):
#     ag2ts-busybox:latest  busybox-static applets in an empty rootfs
#     python:3-slim         Debian bookworm minbase + python3 (debootstrap),
#                           tagged as the executor's default image so nothing pulls.
#   The debootstrap rootfs is cached as a tarball in $AG2TS_IMAGE_CACHE
#   (default ~/.cache/ag2ts) so later runs skip the ~40 s bootstrap.
# - DOCKER_HOST is exported for the tests.

apt_install docker.io iptables busybox-static debootstrap

AG2TS_DOCKER_DIR=$(mktemp -d /tmp/ag2ts-docker.XXXXXX)
AG2TS_DOCKER_SOCK="$AG2TS_DOCKER_DIR/docker.sock"
AG2TS_DOCKERD=$(command -v dockerd)
AG2TS_DOCKER_CLI=/usr/bin/docker
[ -x "$AG2TS_DOCKER_CLI" ] || AG2TS_DOCKER_CLI=$(command -v docker)

"$AG2TS_DOCKERD" \
  --data-root "$AG2TS_DOCKER_DIR/data" \
  --exec-root "$AG2TS_DOCKER_DIR/exec" \
  --pidfile "$AG2TS_DOCKER_DIR/dockerd.pid" \
  -H "unix://$AG2TS_DOCKER_SOCK" \
  >"$AG2TS_DOCKER_DIR/dockerd.log" 2>&1 &
AG2TS_DOCKERD_PID=$!
on_exit "kill $AG2TS_DOCKERD_PID 2>/dev/null; for _ in \$(seq 1 100); do kill -0 $AG2TS_DOCKERD_PID 2>/dev/null || break; sleep 0.1; done; kill -9 $AG2TS_DOCKERD_PID 2>/dev/null; rm -rf '$AG2TS_DOCKER_DIR'"

export DOCKER_HOST="unix://$AG2TS_DOCKER_SOCK"
ag2ts_docker() { "$AG2TS_DOCKER_CLI" -H "$DOCKER_HOST" "$@"; }

for _ in $(seq 1 300); do
  ag2ts_docker version >/dev/null 2>&1 && break
  if ! kill -0 "$AG2TS_DOCKERD_PID" 2>/dev/null; then
    echo "dockerd exited during startup:" >&2
    tail -n 30 "$AG2TS_DOCKER_DIR/dockerd.log" >&2
    return 1 2>/dev/null || exit 1
  fi
  sleep 0.1
done
if ! ag2ts_docker version >/dev/null 2>&1; then
  echo "dockerd did not become ready on $DOCKER_HOST:" >&2
  tail -n 30 "$AG2TS_DOCKER_DIR/dockerd.log" >&2
  return 1 2>/dev/null || exit 1
fi
echo "dockerd ready on $DOCKER_HOST (pid $AG2TS_DOCKERD_PID)"

# busybox image: the static binary plus one symlink per applet.
AG2TS_BB_ROOT="$AG2TS_DOCKER_DIR/busybox-rootfs"
mkdir -p "$AG2TS_BB_ROOT/bin" "$AG2TS_BB_ROOT/tmp"
cp /bin/busybox "$AG2TS_BB_ROOT/bin/busybox"
for applet in $("$AG2TS_BB_ROOT/bin/busybox" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$AG2TS_BB_ROOT/bin/$applet"
done
tar -C "$AG2TS_BB_ROOT" -c . | ag2ts_docker import - ag2ts-busybox:latest >/dev/null
rm -rf "$AG2TS_BB_ROOT"

# Python image: Debian minbase with python3 from the mirror apt already uses.
AG2TS_IMAGE_CACHE=${AG2TS_IMAGE_CACHE:-$HOME/.cache/ag2ts}
AG2TS_PY_TAR="$AG2TS_IMAGE_CACHE/python-bookworm-rootfs.tar"
if [ ! -s "$AG2TS_PY_TAR" ]; then
  AG2TS_MIRROR=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\)\/\{0,1\}$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1 || true)
  [ -n "$AG2TS_MIRROR" ] || AG2TS_MIRROR=$(awk '$1 == "deb" && $3 ~ /^bookworm$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$AG2TS_MIRROR" ] || AG2TS_MIRROR=http://deb.debian.org/debian
  AG2TS_PY_ROOT="$AG2TS_DOCKER_DIR/python-rootfs"
  echo "debootstrap bookworm (python3) from $AG2TS_MIRROR ..."
  debootstrap --variant=minbase --include=python3 bookworm "$AG2TS_PY_ROOT" "$AG2TS_MIRROR" >"$AG2TS_DOCKER_DIR/debootstrap.log" 2>&1 || {
    tail -n 30 "$AG2TS_DOCKER_DIR/debootstrap.log" >&2
    return 1 2>/dev/null || exit 1
  }
  # python:3-slim has `python`; so does this image.
  ln -sf python3 "$AG2TS_PY_ROOT/usr/bin/python"
  rm -rf "$AG2TS_PY_ROOT/var/cache/apt/archives/"*.deb "$AG2TS_PY_ROOT/var/lib/apt/lists/"*
  mkdir -p "$AG2TS_IMAGE_CACHE"
  tar -C "$AG2TS_PY_ROOT" -c . >"$AG2TS_PY_TAR.partial" && mv "$AG2TS_PY_TAR.partial" "$AG2TS_PY_TAR"
  rm -rf "$AG2TS_PY_ROOT"
fi
ag2ts_docker import --change 'CMD ["python3"]' "$AG2TS_PY_TAR" python:3-slim >/dev/null
echo "local images: $(ag2ts_docker images --format '{{.Repository}}:{{.Tag}}' | tr '\n' ' ')"
