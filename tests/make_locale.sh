#!/usr/bin/env bash
# make_locale.sh DIR - generate the de_DE.UTF-8 locale (comma as decimal
# point) into DIR without root, for the locale test (LOCPATH=DIR).
# Needs localedef (libc-bin) and the locale sources (Debian: the `locales`
# package, /usr/share/i18n/locales/de_DE). Fails when it cannot be made:
# the locale test must not pass without the locale.
set -euo pipefail
dir=${1:?usage: make_locale.sh DIR}
mkdir -p "$dir"
if [ -f "$dir/de_DE.UTF-8/LC_NUMERIC" ]; then
    echo "de_DE.UTF-8 already in $dir"
    exit 0
fi
if ! command -v localedef >/dev/null; then
    echo "make_locale.sh: localedef not found (Debian: apt-get install libc-bin locales)" >&2
    exit 1
fi
# localedef exits 1 on mere warnings while still writing the locale: judge
# by the result.
localedef -i de_DE -f UTF-8 "$dir/de_DE.UTF-8" || true
if [ ! -f "$dir/de_DE.UTF-8/LC_NUMERIC" ]; then
    echo "make_locale.sh: localedef could not build de_DE.UTF-8 into $dir" \
         "(Debian: apt-get install locales, for /usr/share/i18n/locales/de_DE)" >&2
    exit 1
fi
echo "de_DE.UTF-8 generated in $dir"
