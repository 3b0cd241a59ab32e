// The custom player: play/pause/replay, a seek bar drawn over the waveform (the time under the pointer
// shown above it), -5 s / +5 s, volume and mute, loop, time display and keyboard control. The native
// <audio controls> stays for pages without JS. destroy() removes its page-wide listeners, for pages that
// are swapped in without a reload.
import { mmss, t } from "./common.js";
import { nowPlaying, rememberVolume, savedVolume } from "./nowplaying.js";

const STEP = 5;
const UNPLAYED = "#8f86a8";   // 3.4:1 on the page: bars are graphics a person must see (3:1)
const FORM_CONTROLS = new Set(["INPUT", "SELECT", "TEXTAREA", "BUTTON", "A", "SUMMARY"]);

export function createPlayer(root, meta = {}) {
  // A video track plays its <video> (named by data-media) through the same controls.
  const audio = root.dataset.media ? document.querySelector(root.dataset.media) : root.querySelector("audio");
  const listening = new AbortController();
  const signal = listening.signal;
  const button = root.querySelector("#play-button");
  const seek = root.querySelector("#seek");
  const canvas = root.querySelector("#waveform");
  const current = root.querySelector("#time-current");
  const total = root.querySelector("#time-total");
  let peaks = [];
  let fallbackDuration = Number(root.dataset.duration) || 0;
  let frame = 0;

  audio.controls = false;
  Object.assign(audio, savedVolume());
  root.classList.add("enhanced");
  root.querySelector(".player-ui").hidden = false;

  const duration = () => (Number.isFinite(audio.duration) && audio.duration > 0 ? audio.duration : fallbackDuration);

  function setState() {
    const state = !audio.paused ? "pause" : audio.ended || (duration() && audio.currentTime >= duration() - 0.05) ? "replay" : "play";
    button.dataset.state = state;
    button.setAttribute("aria-label", t(state === "pause" ? "pause" : state === "replay" ? "replay" : "play"));
  }

  function render() {
    const now = audio.currentTime || 0;
    const length = duration();
    current.textContent = mmss(now);
    total.textContent = mmss(length);
    seek.setAttribute("aria-valuemax", String(Math.round(length)));
    seek.setAttribute("aria-valuenow", String(Math.round(now)));
    seek.setAttribute("aria-valuetext", t("timeOf", { current: mmss(now), total: mmss(length) }));
    draw(length ? now / length : 0);
  }

  function draw(played) {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
    const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
    if (canvas.width !== width || canvas.height !== height) { canvas.width = width; canvas.height = height; }
    const ctx = canvas.getContext("2d");
    ctx.clearRect(0, 0, width, height);
    const style = getComputedStyle(root);   // the theme's colours (dark mode sets its own)
    const colours = { unplayed: style.getPropertyValue("--wave-unplayed").trim() || UNPLAYED,
                      head: style.getPropertyValue("--wave-head").trim() || "#1c1a2b" };
    const barWidth = 3 * ratio;
    const gap = 2 * ratio;
    const bars = Math.max(1, Math.floor(width / (barWidth + gap)));
    const top = Math.max(1e-6, ...peaks, 1e-6);
    const accent = ctx.createLinearGradient(0, 0, width, 0);
    accent.addColorStop(0, "#7c3aed");
    accent.addColorStop(1, "#ec4899");
    for (let i = 0; i < bars; i++) {
      const from = Math.floor((i / bars) * peaks.length);
      const to = Math.max(from + 1, Math.floor(((i + 1) / bars) * peaks.length));
      let value = 0;
      for (let j = from; j < to && j < peaks.length; j++) value = Math.max(value, Math.abs(peaks[j]));
      const h = Math.max(2 * ratio, (peaks.length ? value / top : 0.15) * (height - 4 * ratio));
      const x = i * (barWidth + gap);
      ctx.fillStyle = (i + 0.5) / bars <= played ? accent : colours.unplayed;
      ctx.fillRect(x, (height - h) / 2, barWidth, h);
    }
    ctx.fillStyle = colours.head;
    ctx.fillRect(Math.min(width - ratio, played * width), 0, Math.max(1, ratio), height);
  }

  function tick() {
    render();
    frame = audio.paused ? 0 : requestAnimationFrame(tick);
  }

  function seekTo(seconds) {
    const length = duration();
    audio.currentTime = Math.min(Math.max(0, seconds), length || 0);
    render();
    setState();
  }

  function toggle() {
    if (audio.paused) {
      if (button.dataset.state === "replay") audio.currentTime = 0;
      audio.play().catch(() => setState());
    } else {
      audio.pause();
    }
  }

  function pointerTime(event) {
    const box = seek.getBoundingClientRect();
    return Math.min(1, Math.max(0, (event.clientX - box.left) / box.width)) * duration();
  }

  function seekFromPointer(event) {
    seekTo(pointerTime(event));
  }

  const tip = root.querySelector("#seek-tip");
  function showTip(event) {
    if (!tip || !duration()) return;
    const box = seek.getBoundingClientRect();
    tip.textContent = mmss(pointerTime(event));
    tip.style.left = `${Math.min(box.width, Math.max(0, event.clientX - box.left))}px`;
    tip.hidden = false;
  }

  const volume = root.querySelector("#volume");
  const mute = root.querySelector("#mute-button");
  const loop = root.querySelector("#loop-button");
  function showVolume() {
    const silent = audio.muted || audio.volume === 0;
    volume.value = String(Math.round((audio.muted ? 0 : audio.volume) * 100));
    volume.setAttribute("aria-valuetext", `${volume.value}%`);
    mute.setAttribute("aria-pressed", String(silent));
    mute.dataset.state = silent ? "muted" : "on";
    mute.setAttribute("aria-label", t(silent ? "unmute" : "mute"));
  }

  function onKey(event) {
    const keys = { ArrowLeft: -STEP, ArrowRight: STEP, ArrowDown: -STEP, ArrowUp: STEP, PageDown: -10, PageUp: 10 };
    if (event.key === " " || event.key === "Spacebar" || event.key === "k") { toggle(); }
    else if (event.key in keys) { seekTo(audio.currentTime + keys[event.key]); }
    else if (event.key === "Home") { seekTo(0); }
    else if (event.key === "End") { seekTo(duration()); }
    else return;
    event.preventDefault();
  }

  volume?.addEventListener("input", () => {
    audio.volume = Number(volume.value) / 100;
    audio.muted = audio.volume === 0;
    rememberVolume(audio);
    showVolume();   // at once: "volumechange" comes a task later
  });
  mute?.addEventListener("click", () => {
    if (audio.muted && audio.volume === 0) audio.volume = 1;
    audio.muted = !audio.muted;
    rememberVolume(audio);
    showVolume();
  });
  loop?.addEventListener("click", () => {
    audio.loop = !audio.loop;
    loop.setAttribute("aria-pressed", String(audio.loop));
  });
  audio.addEventListener("volumechange", () => { if (volume) showVolume(); }, { signal });
  if (volume) showVolume();
  seek.addEventListener("pointermove", showTip);
  seek.addEventListener("pointerleave", () => { if (tip) tip.hidden = true; });
  button.addEventListener("click", toggle);
  root.querySelector("#back-button").addEventListener("click", () => seekTo(audio.currentTime - STEP));
  root.querySelector("#forward-button").addEventListener("click", () => seekTo(audio.currentTime + STEP));
  seek.addEventListener("keydown", onKey);
  seek.addEventListener("pointerdown", (event) => {
    seek.setPointerCapture(event.pointerId);
    seekFromPointer(event);
    seek.focus();
  });
  seek.addEventListener("pointermove", (event) => { if (seek.hasPointerCapture(event.pointerId)) seekFromPointer(event); });
  // Anywhere on the page (outside form controls, which keep their own keys), the keys drive the player.
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || root.closest("[hidden]")) return;
    if (FORM_CONTROLS.has(event.target.tagName) || event.target.isContentEditable || event.target === seek) return;
    onKey(event);
  }, { signal });
  for (const type of ["play", "pause", "ended", "seeked", "loadedmetadata", "durationchange"]) {
    audio.addEventListener(type, () => { setState(); render(); }, { signal });
  }
  audio.addEventListener("play", () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(tick);
    nowPlaying.playingOnPage(audio, meta);   // the mini-player gives way, the lock screen shows this track
  }, { signal });
  audio.addEventListener("timeupdate", render, { signal });
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => render(), { signal });
  const resizing = new ResizeObserver(() => render());
  resizing.observe(canvas);

  return {
    audio,
    /** Stop listening (the page is being swapped out); the audio element itself is left as it is. */
    destroy() {
      listening.abort();
      resizing.disconnect();
      cancelAnimationFrame(frame);
    },
    /** Point the player at a track (used when the result swaps in without a reload). */
    load({ src, peaks: newPeaks, duration: newDuration, title, photo, page, id }) {
      Object.assign(meta, { title: title ?? meta.title, photo: photo ?? meta.photo, page: page ?? meta.page,
                            id: id ?? meta.id, src: src ?? meta.src });
      peaks = Array.isArray(newPeaks) ? newPeaks : [];
      fallbackDuration = Number(newDuration) || fallbackDuration;
      if (src && audio.getAttribute("src") !== src) {
        audio.src = src;
        audio.load();
      }
      setState();
      render();
    },
  };
}
