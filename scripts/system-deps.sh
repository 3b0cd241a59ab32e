#!/usr/bin/env bash
# Install what Melodify needs from the operating system, where we can; otherwise say what to run.
# Needed: libfluidsynth (the sampler). Wanted: FluidR3_GM SoundFont (else pretty_midi's small font is used).
# With MELODIFY_TEST_DEPS=1 (CI): also chromium (browser tests), gettext (translations) and
# fonts-nanum (Korean glyphs in the screenshots).
set -euo pipefail

need=()
ldconfig -p 2>/dev/null | grep -q libfluidsynth || need+=(libfluidsynth3)
[ -f /usr/share/sounds/sf2/FluidR3_GM.sf2 ] || need+=(fluid-soundfont-gm)
if [ "${MELODIFY_TEST_DEPS:-0}" = 1 ]; then
  command -v chromium >/dev/null || need+=(chromium)
  command -v msgfmt >/dev/null || need+=(gettext)
  [ -d /usr/share/fonts/truetype/nanum ] || need+=(fonts-nanum)
fi
[ ${#need[@]} -eq 0 ] && exit 0

if command -v apt-get >/dev/null; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "Installing ${need[*]} with apt-get"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
elif command -v brew >/dev/null; then
  brew list fluid-synth >/dev/null 2>&1 || brew install fluid-synth
else
  echo "Please install the FluidSynth library (package libfluidsynth3, or fluid-synth) and re-run." >&2
  exit 1
fi
