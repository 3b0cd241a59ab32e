// Streaming: while a model composer (MusicGen) makes the track, play the chunks it writes
// (/tracks/<id>/preview/<n>) one after another without gaps; once the finished, mastered track is in,
// switch to it at the same point. The box shows only when a first chunk exists.
const box = document.getElementById("stream");
const making = document.getElementById("making");
const LOOK_MS = 300;

if (box && making && !making.hidden) {
  const base = box.dataset.url.replace(/0$/, "");
  const state = { next: 0, played: 0, pending: [], ctx: null, start: 0, end: 0, on: false, done: false, switchedAt: null };
  window.__melodifyStream = state;   // for the browser test: what was streamed and where it switched

  const schedule = async (data) => {
    const buffer = await state.ctx.decodeAudioData(data);
    const source = state.ctx.createBufferSource();
    source.buffer = buffer;
    source.connect(state.ctx.destination);
    const at = Math.max(state.ctx.currentTime + 0.05, state.end);
    if (!state.start) state.start = at;
    source.start(at);
    state.end = at + buffer.duration;
    state.played += 1;
  };

  const finish = () => {
    state.done = true;
    box.hidden = true;
    if (!state.on) return;
    const position = Math.max(0, state.ctx.currentTime - state.start);
    state.ctx.close();
    const audio = document.getElementById("audio");
    if (!audio) return;
    const go = () => {
      audio.currentTime = Math.min(position, audio.duration || position);
      audio.play().catch(() => {});
      state.switchedAt = position;
    };
    if (audio.readyState >= 1) go(); else audio.addEventListener("loadedmetadata", go, { once: true });
  };

  const look = async () => {
    if (making.hidden) { finish(); return; }
    try {
      const answer = await fetch(base + state.next, { cache: "no-store" });
      if (answer.ok) {
        const data = await answer.arrayBuffer();
        box.hidden = false;
        if (state.on) await schedule(data); else state.pending.push(data);
        state.next += 1;
        setTimeout(look, 0);   // the next may be there already
        return;
      }
    } catch {
      // a missed look is not fatal: the next one catches up
    }
    setTimeout(look, LOOK_MS);
  };

  document.getElementById("stream-button").addEventListener("click", async (event) => {
    event.currentTarget.hidden = true;
    const status = document.getElementById("stream-status");
    status.textContent = status.dataset.playing;
    state.ctx = new AudioContext();
    state.on = true;
    for (const data of state.pending.splice(0)) await schedule(data);
  });
  look();
}
