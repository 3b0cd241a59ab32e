#!/usr/bin/env bash
# Install what Melodify needs from the operating system, or stop at once with the command to run.
#   scripts/system-deps.sh          the sampler (libfluidsynth) and a General MIDI SoundFont: `make run`
#   scripts/system-deps.sh --test   also what the tests use: Chromium (browser tests), ffmpeg (a second
#                                   MP3 decoder), gettext (translations), fonts-nanum (Korean screenshots),
#                                   npm (axe-core, the browser tests' accessibility checks), g++ and
#                                   ninja (MusicGen's CPU kernels, which the tests build)
# Debian/Ubuntu: apt-get, as root or with sudo. macOS: Homebrew, for the sampler. Anywhere else, or
# without the rights to install, it names what is missing and how to install it, and exits 1.
set -euo pipefail

test_deps=0
[ "${1:-}" = "--test" ] && test_deps=1

need=()
ldconfig -p 2>/dev/null | grep -q libfluidsynth || need+=(libfluidsynth3)
[ -f /usr/share/sounds/sf2/FluidR3_GM.sf2 ] || need+=(fluid-soundfont-gm)
if [ "$test_deps" = 1 ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  command -v ffmpeg >/dev/null || need+=(ffmpeg)
  command -v msgfmt >/dev/null || need+=(gettext)
  [ -d /usr/share/fonts/truetype/nanum ] || need+=(fonts-nanum)
  command -v npm >/dev/null || need+=(npm)
  command -v g++ >/dev/null || need+=(g++)              # MusicGen's CPU kernels (int8, attention), built on first use
  command -v ninja >/dev/null || need+=(ninja-build)    # (torch's cpp_extension builds with ninja)
fi
[ ${#need[@]} -eq 0 ] && exit 0

refuse() {
  echo "Melodify needs these system packages: ${need[*]}" >&2
  echo "$1" >&2
  exit 1
}

if command -v apt-get >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    sudo=""
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo="sudo"
  else
    refuse "Install them with:  sudo apt-get update && sudo apt-get install -y ${need[*]}"
  fi
  echo "Installing ${need[*]} with apt-get"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
elif command -v brew >/dev/null && [ "$test_deps" = 0 ]; then
  brew list fluid-synth >/dev/null 2>&1 || brew install fluid-synth
else
  refuse "Install them with your system's package manager (Homebrew: brew install fluid-synth ffmpeg gettext;
the browser tests drive a Chromium at /usr/bin/chromium), then run this again."
fi
