#!/usr/bin/env bash
# Builds the Debian package dist/tapisd_VERSION_ARCH.deb with dpkg-deb: tapisd and tapis in
# release mode with the Swift runtime linked in (the package needs only Debian's libraries, which
# its Depends names from the binaries' own needs), the systemd unit, the PAM service, a default
# config (a conffile), tmpfiles entries, shell completions, man pages and the maintainer scripts in
# packaging/debian. Prints the package's path.
#   scripts/package.sh [--version 0.1.0]
set -euo pipefail
cd "$(dirname "$0")/.."
version=0.1.0
while [ $# -gt 0 ]; do
    case "$1" in
        --version) version=$2; shift 2 ;;
        *) echo "usage: $0 [--version X.Y.Z]" >&2; exit 2 ;;
    esac
done
build=(swift build -c release --static-swift-stdlib)
"${build[@]}" --product tapisd >&2
"${build[@]}" --product tapis >&2
bin=$("${build[@]}" --show-bin-path)
arch=$(dpkg --print-architecture)
root=$(mktemp -d /tmp/tapisd-package.XXXXXX)
trap 'rm -rf "$root"' EXIT
install -D -m 0755 -s "$bin/tapisd" "$root/usr/bin/tapisd"
install -D -m 0755 -s "$bin/tapis" "$root/usr/bin/tapis"
sed 's|/usr/local/bin/tapisd|/usr/bin/tapisd|' systemd/tapisd.service | install -D -m 0644 /dev/stdin "$root/usr/lib/systemd/system/tapisd.service"
install -D -m 0644 systemd/tapisd.socket "$root/usr/lib/systemd/system/tapisd.socket"
install -D -m 0644 systemd/tapisd-jobs.slice "$root/usr/lib/systemd/system/tapisd-jobs.slice"
install -D -m 0644 systemd/tapisd.tmpfiles.conf "$root/usr/lib/tmpfiles.d/tapisd.conf"
install -D -m 0644 systemd/tapisd.sysusers.conf "$root/usr/lib/sysusers.d/tapisd.conf"
install -D -m 0644 etc/pam.d/tapisd "$root/etc/pam.d/tapisd"
install -D -m 0644 etc/tapisd/tapisd.yaml "$root/etc/tapisd/tapisd.yaml"
install -d -m 0755 "$root/etc/tapisd/systems.d" "$root/etc/tapisd/apps.d"
"$bin/tapis" --generate-completion-script bash | install -D -m 0644 /dev/stdin "$root/usr/share/bash-completion/completions/tapis"
"$bin/tapis" --generate-completion-script zsh | install -D -m 0644 /dev/stdin "$root/usr/share/zsh/vendor-completions/_tapis"
"$bin/tapis" --generate-completion-script fish | install -D -m 0644 /dev/stdin "$root/usr/share/fish/vendor_completions.d/tapis.fish"
# Man pages from the commands' own definitions (ArgumentParser's generate-manual plugin).
swift package generate-manual >&2
for command in tapisd tapis; do
    gzip -9n < ".build/plugins/GenerateManual/outputs/$command/$command.1" | install -D -m 0644 /dev/stdin "$root/usr/share/man/man1/$command.1.gz"
done
install -D -m 0644 README.md "$root/usr/share/doc/tapisd/README.md"
install -D -m 0644 etc/grafana/tapisd-dashboard.json "$root/usr/share/doc/tapisd/grafana-dashboard.json"
printf 'tapisd\nCopyright: the tapisd developers\n' | install -D -m 0644 /dev/stdin "$root/usr/share/doc/tapisd/copyright"
# Depends: the Debian package of every shared library the binaries load (none is Swift's own).
libraries=$( (ldd "$root/usr/bin/tapisd"; ldd "$root/usr/bin/tapis") | awk '/=> \// { print $3 }' | sort -u)
if grep -q swift <<< "$libraries"; then echo "package: the binaries still load Swift's shared runtime: $libraries" >&2; exit 1; fi
depends=$(for library in $libraries; do dpkg -S "$(readlink -f "$library")" 2>/dev/null || dpkg -S "$library"; done \
    | cut -d: -f1 | sort -u | while read -r package; do
        printf '%s (>= %s)\n' "$package" "$(dpkg-query -W -f='${Version}' "$package" | sed 's/-[^-]*$//')"
    done | paste -sd, | sed 's/,/, /g')
mkdir -p "$root/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@SIZE@|$size|" -e "s|@DEPENDS@|$depends|" packaging/debian/control.in > "$root/DEBIAN/control"
printf '/etc/tapisd/tapisd.yaml\n/etc/pam.d/tapisd\n' > "$root/DEBIAN/conffiles"
for script in postinst prerm postrm; do install -m 0755 "packaging/debian/$script" "$root/DEBIAN/$script"; done
mkdir -p dist
dpkg-deb --build --root-owner-group -Zxz "$root" "dist/tapisd_${version}_${arch}.deb" >&2
echo "dist/tapisd_${version}_${arch}.deb"
