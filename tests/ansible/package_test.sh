#!/usr/bin/env bash
# The Debian package: CPack packs what the build made (nothing is rebuilt),
# and `dpkg-deb --info/--contents` show it whole: the binary, the systemd
# unit, the default config (a conffile), the bundled templates, the docs, the
# maintainer scripts that create the system user; lintian finds no error.
# The package is left in BUILD/ansible-tests/package for the role test.
source "$(dirname "$0")/common.sh"
build_dir="$(cd "$1" && pwd)"
require cpack cmake dpkg-deb dpkg dpkg-shlibdeps dpkg-dev lintian lintian
out="$build_dir/ansible-tests/package"
rm -rf "$out"
mkdir -p "$out"

note "cpack -G DEB (the build's own binary)"
(cd "$build_dir" && cpack -G DEB -B "$out" >"$out/cpack.log" 2>&1) || { cat "$out/cpack.log"; fail "cpack"; }
version="$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build_dir/CPackConfig.cmake")"
deb="$out/switchyard_${version}_amd64.deb"
[[ -f "$deb" ]] || { ls -l "$out"; fail "no $deb"; }
echo "$deb: $(stat -c %s "$deb") bytes"

note "dpkg-deb --info"
dpkg-deb --info "$deb" | tee "$out/info.txt"
field() { dpkg-deb --field "$deb" "$1"; }
[[ "$(field Package)" == switchyard ]] || fail "Package is $(field Package)"
[[ "$(field Version)" == "$version" ]] || fail "Version is $(field Version)"
[[ "$(field Architecture)" == amd64 ]] || fail "Architecture is $(field Architecture)"
depends="$(field Depends)"
for dep in adduser init-system-helpers libssh libpqxx libjwt libyaml-cpp libc6; do
    grep -q "$dep" <<<"$depends" || fail "Depends lacks $dep: $depends"
done
grep -q postgresql <<<"$(field Recommends)" || fail "Recommends lacks postgresql"
for script in postinst prerm postrm conffiles; do
    grep -qw "$script" "$out/info.txt" || fail "no $script in the control archive"
done

note "dpkg-deb --contents"
dpkg-deb --contents "$deb" | tee "$out/contents.txt"
for path in ./usr/bin/switchyard ./lib/systemd/system/switchyard.service ./etc/switchyard/switchyard.yml \
            ./usr/share/switchyard/templates/frr/ ./usr/share/switchyard/templates/eos/ \
            ./usr/share/switchyard/templates/junos/ ./usr/share/switchyard/templates/settings/ \
            ./usr/share/doc/switchyard/copyright ./usr/share/doc/switchyard/changelog.gz; do
    grep -qE " $path\$| $path -> " "$out/contents.txt" || fail "$path is not in the package"
done
if awk '{print $2}' "$out/contents.txt" | grep -v '^root/root$'; then fail "files not owned by root/root"; fi
[[ "$(wc -l <"$out/contents.txt")" -lt 200 ]] || fail "more files than expected: did the install rules pick up tests?"

note "control files"
control="$out/control"
dpkg-deb --control "$deb" "$control"
grep -qx /etc/switchyard/switchyard.yml "$control/conffiles" || fail "the config is not a conffile"
grep -q "adduser --system" "$control/postinst" || fail "postinst creates no system user"
grep -q "deb-systemd-helper enable" "$control/postinst" || fail "postinst does not enable the unit"
for script in postinst prerm postrm; do
    sh -n "$control/$script" || fail "$script: shell syntax"
    [[ "$(stat -c %a "$control/$script")" == 755 ]] || fail "$script is not mode 755"
done

note "the unpacked binary runs"
unpacked="$out/root"
dpkg-deb --extract "$deb" "$unpacked"
"$unpacked/usr/bin/switchyard" --help >/dev/null || fail "the packaged binary does not run"
"$unpacked/usr/bin/switchyard" config show --config "$unpacked/etc/switchyard/switchyard.yml" >"$out/config.txt" 2>&1 ||
    { cat "$out/config.txt"; fail "the packaged config is refused"; }
grep -q "/usr/share/switchyard/templates" "$out/config.txt" || fail "the packaged config does not use the packaged templates"

note "lintian"
# Errors fail the test; warnings are shown (a test build's binary carries
# sanitizers and debug data that lintian may comment on).
lintian --fail-on error --display-level '>=warning' --tag-display-limit 0 "$deb" 2>&1 | tee "$out/lintian.txt" ||
    fail "lintian reports errors (above)"
echo "package checked: $deb"
