# Sourced by the container scripts: podman with docker/containers.conf, installed from Debian's
# packages when missing (podman, runc, debootstrap), and the run options this kind of host needs.
docker_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export CONTAINERS_CONF="$docker_dir/containers.conf"

# Containers may not raise the host's limits: every `podman run` passes these.
PODMAN_RUN_LIMITS=(--ulimit nofile=1024:1024 --ulimit nproc=4000:4000)

ensure_container_tools() {
  local missing=()
  command -v podman >/dev/null || missing+=(podman)
  command -v runc >/dev/null || [ -x /usr/sbin/runc ] || missing+=(runc)
  command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "podman-env: run as root or install sudo (needs: ${missing[*]})" >&2; return 1; }
    sudo="sudo"
  fi
  echo "podman-env: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
}
