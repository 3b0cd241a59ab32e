// What is playing, across pages that are swapped in without a reload (nav.js): a mini-player bar that
// lives outside <main>, so its <audio> keeps playing while you move between your tracks. It plays a
// track from My tracks or a take to compare, or holds a track page's own <audio> when you leave that
// page while it plays (the element is moved, not copied, so playback does not stop). It also tells the
// Media Session (lock screen, headset and hardware keys) what is playing.
import { mmss, t } from "./common.js";

const VOLUME_KEY = "melodify-volume";
const STEP = 5;

/** The volume and mute the person chose last, for every player on every page. */
export function savedVolume() {
  try {
    const saved = JSON.parse(localStorage.getItem(VOLUME_KEY) || "null");
    if (saved && typeof saved.volume === "number") return { volume: Math.min(1, Math.max(0, saved.volume)), muted: Boolean(saved.muted) };
  } catch { /* private mode or a bad value: the defaults */ }
  return { volume: 1, muted: false };
}

export function rememberVolume(audio) {
  try { localStorage.setItem(VOLUME_KEY, JSON.stringify({ volume: audio.volume, muted: audio.muted })); } catch { /* ignore */ }
}

function mediaSession(audio, meta) {
  if (!("mediaSession" in navigator) || !audio) return;
  const session = navigator.mediaSession;
  try {
    session.metadata = new MediaMetadata({
      title: meta.title || "Melodify", artist: "Melodify", album: meta.genre || "Melodify",
      artwork: meta.photo ? [{ src: new URL(meta.photo, location.href).href, sizes: "512x512", type: "image/jpeg" }] : [],
    });
  } catch { /* MediaMetadata missing: the keys still work */ }
  const actions = {
    play: () => audio.play(),
    pause: () => audio.pause(),
    stop: () => { audio.pause(); audio.currentTime = 0; },
    seekbackward: (details) => { audio.currentTime = Math.max(0, audio.currentTime - (details.seekOffset || STEP)); },
    seekforward: (details) => { audio.currentTime = Math.min(audio.duration || 0, audio.currentTime + (details.seekOffset || STEP)); },
    seekto: (details) => { audio.currentTime = details.seekTime; },
  };
  for (const [action, handler] of Object.entries(actions)) {
    try { session.setActionHandler(action, handler); } catch { /* an action this browser does not know */ }
  }
}

class NowPlaying {
  constructor() {
    this.bar = document.getElementById("mini-player");
    this.audio = null;        // the <audio> in the bar, if any
    this.meta = {};
    this.pageAudio = null;    // a track page's own <audio> while it plays
    if (!this.bar) return;
    this.button = this.bar.querySelector("#mini-play");
    this.link = this.bar.querySelector("#mini-title");
    this.time = this.bar.querySelector("#mini-time");
    this.button.addEventListener("click", () => {
      if (!this.audio) return;
      if (this.audio.paused) this.audio.play().catch(() => {}); else this.audio.pause();
    });
    this.bar.querySelector("#mini-close").addEventListener("click", () => this.stop());
  }

  /** Play `meta.src` in the bar (from `meta.start` seconds), pausing whatever else plays. */
  play(meta) {
    if (!this.bar) return null;
    if (this.audio && this.meta.src === meta.src) {
      if (this.audio.paused) this.audio.play().catch(() => {}); else this.audio.pause();
      return this.audio;
    }
    this.pausePage();
    const audio = document.createElement("audio");
    audio.preload = "auto";
    Object.assign(audio, savedVolume());
    audio.src = meta.src;
    if (meta.start) audio.addEventListener("loadedmetadata", () => { audio.currentTime = Math.min(meta.start, audio.duration || meta.start); }, { once: true });
    this.hold(audio, meta);
    audio.play().catch(() => this.show());
    return audio;
  }

  /** Keep a track page's <audio> playing in the bar while that page goes away. */
  adopt(audio, meta) {
    if (!this.bar || audio.paused) return;
    this.hold(audio, meta);
  }

  /** The bar's <audio> if it holds the track `id` (a page opening that track takes it back). */
  release(id) {
    if (!this.audio || this.meta.id !== id) return null;
    const audio = this.audio;
    this.detach();
    return audio;
  }

  /** A page's own player started: the bar stops, and the lock screen shows the page's track. */
  playingOnPage(audio, meta) {
    if (this.audio && this.audio !== audio) this.stop();
    this.pageAudio = audio;
    mediaSession(audio, meta);
  }

  pausePage() {
    if (this.pageAudio && !this.pageAudio.paused) this.pageAudio.pause();
  }

  stop() {
    if (!this.audio) return;
    this.audio.pause();
    this.detach();
  }

  hold(audio, meta) {
    if (this.audio && this.audio !== audio) this.stop();
    if (this.pageAudio === audio) this.pageAudio = null;   // an adopted page <audio> is the bar's now
    this.audio = audio;
    this.meta = meta;
    this.watching = new AbortController();
    const signal = this.watching.signal;
    for (const type of ["play", "pause", "ended", "timeupdate", "loadedmetadata"]) audio.addEventListener(type, () => this.show(), { signal });
    audio.addEventListener("play", () => { this.pausePage(); mediaSession(audio, meta); }, { signal });
    this.bar.querySelector(".mini-audio").replaceChildren(audio);
    this.link.textContent = meta.title || "Melodify";
    this.link.href = meta.page || "#";
    this.bar.hidden = false;
    document.body.classList.add("has-mini-player");
    mediaSession(audio, meta);
    this.show();
    document.dispatchEvent(new CustomEvent("melodify:nowplaying", { detail: meta }));
  }

  detach() {
    this.watching?.abort();
    this.audio?.remove();
    this.audio = null;
    this.meta = {};
    this.bar.hidden = true;
    document.body.classList.remove("has-mini-player");
    document.dispatchEvent(new CustomEvent("melodify:nowplaying", { detail: {} }));
  }

  show() {
    if (!this.audio) return;
    const playing = !this.audio.paused;
    this.button.dataset.state = playing ? "pause" : "play";
    this.button.setAttribute("aria-label", t(playing ? "pause" : "play"));
    this.time.textContent = `${mmss(this.audio.currentTime)} / ${mmss(this.audio.duration || 0)}`;
    document.dispatchEvent(new CustomEvent("melodify:nowplaying", { detail: { ...this.meta, playing } }));
  }

  /** Whether `src` is what the bar is playing now. */
  isPlaying(src) {
    return Boolean(this.audio && this.meta.src === src && !this.audio.paused);
  }
}

export const nowPlaying = new NowPlaying();

/** Play buttons for other tracks (My tracks' rows, a track page's takes): each plays in the mini-player,
 * a take from where the page's own player was, so two takes compare at the same bar. */
export function bindPlayButtons(root, { startFrom } = {}) {
  const buttons = [...root.querySelectorAll("button[data-audio]")];
  const showPressed = () => {
    for (const button of buttons) {
      const on = nowPlaying.isPlaying(new URL(button.dataset.audio, location.href).href);
      button.setAttribute("aria-pressed", String(on));
      button.dataset.state = on ? "pause" : "play";
    }
  };
  for (const button of buttons) {
    button.hidden = false;
    const row = button.closest("[data-track], [data-take]");
    button.addEventListener("click", () => {
      nowPlaying.play({ src: new URL(button.dataset.audio, location.href).href, title: button.dataset.title,
                        page: button.dataset.page || `/tracks/${row?.dataset.track || row?.dataset.take}/`,
                        photo: button.dataset.photo || "", id: row?.dataset.track || row?.dataset.take,
                        start: startFrom ? startFrom() : 0 });
      showPressed();
    });
  }
  const listening = new AbortController();
  document.addEventListener("melodify:nowplaying", showPressed, { signal: listening.signal });
  showPressed();
  return () => listening.abort();
}
