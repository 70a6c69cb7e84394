#!/usr/bin/env bash
# The README's main command: builds the sample publications' English and
# Chinese PDFs into out/, going through the store as people would: an
# editor imports the Action Plan tracker and pushes each publication
# definition, authors submit the figures, datasets, bibliographies and
# chapter drafts, the
# editor accepts every chapter, and the release build reads the accepted
# revisions and the tracker's records from the store; the editor then
# publishes each build as release 2013 in the store's public catalogue.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
go build -buildvcs=auto -o out/aceo ./cmd/aceo   # the manifest names the commit
aceo=out/aceo
rm -rf out/store
export ACEO_STORE="file://$PWD/out/store"
# the Action Plan tracker the Outlook's appendices report on (illustrative)
$aceo activity import --by "Sample JISE" datasets/action-plan-2011-2013/tracker.xlsx
for pub in aceo-sample policy-study-sample; do
  dir=chapters/$pub
  echo "== $pub"
  $aceo publication push "$dir/publication.yaml"
  if ls "$dir"/figures/*.png >/dev/null 2>&1; then
    $aceo submit figure --pub "$pub" "$dir"/figures/*.png
  fi
  # the glossary, and the works the chapters cite, before the chapters
  if [ -f "$dir/glossary.yaml" ]; then
    $aceo submit glossary --pub "$pub" "$dir/glossary.yaml"
  fi
  if ls "$dir"/*.bib >/dev/null 2>&1; then
    $aceo submit bibliography --pub "$pub" "$dir"/*.bib
  fi
  if [ -d "datasets/$pub" ]; then
    $aceo submit dataset --pub "$pub" datasets/"$pub"/*.xlsx datasets/"$pub"/*.csv
  fi
  $aceo submit chapter "$dir"/en/*.md "$dir"/zh/*.md
  for f in "$dir"/en/*.md "$dir"/zh/*.md; do
    chapter=$(sed -n 's/^chapter: *//p' "$f" | head -1)
    lang=$(sed -n 's/^lang: *//p' "$f" | head -1)
    $aceo review accept --lang "$lang" --editor "Sample editor" --note "sample edition" "$pub" "$chapter" latest
  done
  $aceo status "$pub" >/dev/null
  $aceo build --out out "$pub" | tee out/build.log
  # the editor publishes the release build: the public catalogue
  # (aceo serve --store file://$PWD/out/store) lists it
  id=$(sed -n 's/^build \([^ ]*\) stored.*/\1/p' out/build.log)
  $aceo publish "$pub" "$id" --release 2013 --by "Sample editor"
done
rm -f out/build.log
