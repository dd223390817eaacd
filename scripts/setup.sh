#!/usr/bin/env bash
# Installs every dependency talentflow needs on Debian 12, from Debian's
# archive (scripts/packages.txt) and the npm registry (scripts/npm-packages.txt).
# Idempotent: packages already at the wanted version are left alone.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

wanted=()
while read -r line; do
  line="${line%%#*}"; line="$(echo "$line" | xargs)"
  [ -z "$line" ] && continue
  wanted+=("$line")
done < "$here/packages.txt"

missing=()
for spec in "${wanted[@]}"; do
  name="${spec%%=*}"; version="${spec#*=}"
  have="$(dpkg-query -W -f='${Status} ${Version}' "$name" 2>/dev/null || true)"
  if [ "$have" != "install ok installed $version" ]; then missing+=("$spec"); fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${#missing[@]} Debian package(s)"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  pinned=()
  for spec in "${missing[@]}"; do
    name="${spec%%=*}"; version="${spec#*=}"
    if apt-cache madison "$name" 2>/dev/null | awk -F'|' '{gsub(/ /,"",$2); print $2}' | grep -qxF "$version"; then
      pinned+=("$spec")
    else
      echo "setup: warning: $name $version is no longer in the archive; installing its current version" >&2
      pinned+=("$name")
    fi
  done
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${pinned[@]}" >/dev/null
fi

if [ -s "$here/npm-packages.txt" ]; then
  npm_dir="$root/third_party_npm"
  mkdir -p "$npm_dir"
  need_npm=0
  while read -r line; do
    line="${line%%#*}"; line="$(echo "$line" | xargs)"
    [ -z "$line" ] && continue
    name="${line%@*}"
    [ -f "$npm_dir/node_modules/$name/package.json" ] || need_npm=1
  done < "$here/npm-packages.txt"
  if [ "$need_npm" -eq 1 ]; then
    echo "setup: installing npm packages into third_party_npm/"
    pkgs=$(sed -e 's/#.*//' "$here/npm-packages.txt" | xargs)
    (cd "$npm_dir" && [ -f package.json ] || echo '{"private":true}' > "$npm_dir/package.json")
    (cd "$npm_dir" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error $pkgs >/dev/null)
  fi
fi
echo "setup: dependencies ready"
