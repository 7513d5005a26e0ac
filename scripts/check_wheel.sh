#!/usr/bin/env bash
# The wheel on its own: build it (python -m build: an sdist, then the wheel from the sdist),
# install it into a fresh venv, and run the README's first command from it in a directory
# that holds only a copy of fixtures/, so nothing can come from the checkout.
#     bash scripts/check_wheel.sh [DIST_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dist="${1:-$work/dist}"

python3 -m venv "$work/tools"
"$work/tools/bin/pip" install -q build
# build from a clean copy of the tracked files: the checkout keeps no build/ or egg-info
git -C "$root" ls-files -z -co --exclude-standard | (cd "$root" && xargs -0 tar cf -) | (mkdir "$work/src" && tar xf - -C "$work/src")
"$work/tools/bin/python" -m build --outdir "$dist" "$work/src" >"$work/build.log" 2>&1 \
    || { tail -30 "$work/build.log"; exit 1; }
wheel="$(ls "$dist"/timeline_reconstruction-*.whl)"
echo "built $(basename "$wheel") and $(basename "$(ls "$dist"/*.tar.gz)")"

# what the wheel must carry: models, resources, the page's assets, the licences
listing="$("$work/tools/bin/python" -m zipfile -l "$wheel")"
for need in timeline/analyze/models/en.crfsuite timeline/analyze/models/ru.json.gz \
        timeline/resources/es/temporal.toml timeline/resources/detect.toml \
        timeline/web/timeline.js timeline/web/page.html dist-info/.*LICENSE dist-info/.*NOTICE.md; do
    grep -q "$need" <<<"$listing" || { echo "the wheel lacks $need"; exit 1; }
done

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q "$wheel"
mkdir "$work/run"
cp -r "$root/fixtures" "$work/run/fixtures"
cd "$work/run"
where="$("$work/venv/bin/python" -c 'import timeline; print(timeline.__file__)')"
case "$where" in "$work/venv/"*) ;; *) echo "timeline imported from $where"; exit 1 ;; esac
"$work/venv/bin/timeline" run fixtures/ --db x.db
"$work/venv/bin/timeline" show --db x.db >show.txt
grep -qE "[0-9]+ sources?( |$)" show.txt || { echo "show printed no events"; head show.txt; exit 1; }
"$work/venv/bin/timeline" html --db x.db -o page
test -s page/index.html
"$work/venv/bin/pip" show timeline-reconstruction | sed -n '1,3p'
echo "wheel OK: $(wc -l <show.txt) lines of show from the wheel alone"
