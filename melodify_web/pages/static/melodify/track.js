// Track page: while the job runs, poll its state and show the stages (and the percentage in the tab's
// title; a notification when it is ready while the tab is in the background); when done, swap the
// result in without a reload and load the audio at once. Also: rename, takes to compare, edit and make
// again, variations, votes, share link. init() runs per page shown (nav.js swaps pages in) and returns
// its teardown.
import { API, api, briefWords, captionWords, errorText, genreLabels, instrumentLabels, keyLabel, mmss, show, strings, t, titleWords } from "./common.js";
import { bindPlayButtons, nowPlaying } from "./nowplaying.js";
import { createPlayer } from "./player.js";

const POLL_MS = 250;
const POLL_MASTER_MS = 100;   // mastering is the short last stage: look more often so "done" shows at once
const STAGE_ORDER = ["read", "brief", "compose", "master"];
const $ = (id) => document.getElementById(id);

export function init() {
  const page = $("track-page");
  let track = JSON.parse($("track-data").textContent);
  let player = null;
  let stopped = false;
  const teardowns = [];
  const wasRunning = track.status === "queued" || track.status === "running";
  let previousStatus = track.status;   // a page opened on a finished track announces nothing

  /** The values the page shows, by data-bind name. */
  function view(data) {
    const brief = data.brief || {};
    const words = briefWords(data);
    const engine = data.engine || {};
    return {
      caption: captionWords(data.reading).text,
      title: titleWords(data) || genreLabels[brief.genre] || "",
      fallback: brief.fallback || "",
      genre_label: genreLabels[brief.genre] || brief.genre || "",
      mood: words.mood.join(", "),
      tempo: brief.tempo ? `${brief.tempo} ${t("bpm")}` : "",
      key_label: keyLabel(brief.key, brief.mode),
      instruments: (brief.instruments || []).map((name) => instrumentLabels[name] || name).join(", "),
      description: words.description || "",
      ...madeWith(engine, data.credits || []),
      take_facts: [genreLabels[brief.genre] || brief.genre, brief.tempo ? `${brief.tempo} ${t("bpm")}` : "",
                   keyLabel(brief.key, brief.mode), mmss(data.duration)].filter(Boolean).join(" · "),
    };
  }

  /** What made the track, whose sounds, what a person may do with it (labels.made_with says the same). */
  function madeWith(engine, credits) {
    const stages = ["reader", "briefer", "composer"];
    const maker = (stage) => {
      const name = engine[stage] || "embedded";
      if (name === "embedded") return "Melodify";
      const model = credits.find((c) => c.stage === stage && c.model)?.model;
      const who = strings.engineNames[name] || name;
      return model ? `${who} (${model.split("/").pop()})` : who;
    };
    const alone = stages.every((stage) => (engine[stage] || "embedded") === "embedded");
    const work = credits.find((c) => c.stage === "composer" && c.engine === "embedded")?.work;   // its SoundFont
    const named = /^the (.+) SoundFont by (.+)$/.exec(work || "");   // labels.SOUNDFONT: in the page's words
    const sound = named ? t("soundFontBy", { name: named[1], maker: named[2] }) : work;
    const flags = credits.map((c) => c.commercial_use);
    const use = flags.includes(false) ? "mayUseNonCommercial" : flags.includes(null) || !flags.length ? "mayUseCheck" : "mayUse";
    const names = [...new Set(credits.map((c) => c.licence).filter(Boolean))].join(", ");
    return {
      made: alone ? t("madeAlone") : t("madeBy", Object.fromEntries(stages.map((stage) => [stage, maker(stage)]))),
      sounds: sound ? t("sounds", { work: sound }) : "",
      use: t(use),
      licences: names ? t("licences", { names }) : "",
    };
  }

  function fill(data) {
    const values = view(data);
    const wordsLang = briefWords(data).lang;
    for (const element of page.querySelectorAll("[data-bind]")) {
      const value = values[element.dataset.bind];
      if (value !== undefined && element.textContent !== value) element.textContent = value;
      if (element.dataset.bind === "mood" || element.dataset.bind === "description") element.lang = wordsLang;
      if (element.dataset.bind === "caption") element.lang = captionWords(data.reading).lang;
    }
    show($("fallback-note"), Boolean(values.fallback));
    page.querySelectorAll("[data-bind=sounds]").forEach((element) => show(element, Boolean(values.sounds)));
    const urls = data.urls || {};
    for (const element of page.querySelectorAll("img[data-bind-src]")) {
      const url = urls[element.dataset.bindSrc];
      if (url && element.getAttribute("src") !== url) element.src = url;
      if (url) element.hidden = false;
    }
    for (const element of page.querySelectorAll("[data-bind-href]")) {
      const url = urls[element.dataset.bindHref];
      if (url) element.href = url;
      element.hidden = !url && data.status === "done";
    }
  }

  /** What a screen reader hears while a track is made: each stage once, then ready (or why not), never
   * the percent that changes four times a second (the progress bar has it for whoever asks). */
  function announce(data) {
    const status = $("making-status");
    if (!status) return;
    const stage = { read: "stageRead", brief: "stageBrief", compose: "stageCompose", master: "stageMaster" }[data.stage];
    const words = data.status === "done" ? t("ready") : data.status === "failed" ? t("failedTitle")
      : data.status === "running" && stage ? t(stage) : "";
    if (words && status.textContent !== words) status.textContent = words;
  }

  function showProgress(data) {
    const current = STAGE_ORDER.indexOf(data.stage);
    for (const item of page.querySelectorAll(".stage")) {
      const index = STAGE_ORDER.indexOf(item.dataset.stage);
      const done = data.status === "done" || (current >= 0 && index < current);
      const active = data.status === "running" && index === current;
      item.classList.toggle("done", done);
      item.classList.toggle("active", active);
      if (active) item.setAttribute("aria-current", "step"); else item.removeAttribute("aria-current");
    }
    const percent = Math.round(data.percent || 0);
    const bar = $("progress");
    bar.setAttribute("aria-valuenow", String(percent));
    bar.firstElementChild.style.width = `${percent}%`;
    $("percent-text").textContent = t("percentDone", { percent });
    let eta = "";
    if (data.status === "queued") {
      eta = data.queue ? t("queuedPlace", { position: data.queue.position, seconds: Math.ceil(data.queue.eta_seconds) }) : t("queued");
    }
    else if (data.eta_seconds > 0) eta = t("timeLeft", { seconds: Math.ceil(data.eta_seconds) });
    else if (data.status === "running" && percent >= 90) eta = t("almostDone");
    // running, composing, no time left known: the composer has not begun (a model loading), so say that
    else if (data.status === "running" && data.stage === "compose") eta = t("composerStarting");
    $("eta-text").textContent = eta;
    show($("making-reading"), Boolean(data.reading?.caption));
    show($("making-brief"), Boolean(data.brief));
  }

  function showFailure(data) {
    $("failed-message").textContent = errorText(data.error);
    show($("failed"), true);
    page.querySelectorAll(".stage.active").forEach((item) => item.classList.remove("active"));
    $("eta-text").textContent = "";
  }

  function showResult(data) {
    if (!$("result")) {   // a share page opened before the track was done: it has no result yet
      window.location.reload();
      return;
    }
    show($("result"), true);
    show($("making"), false);
    page.dataset.status = "done";
    if (!player) {
      const held = nowPlaying.release(data.id);   // this track was playing in the mini-player: carry on
      if (held) $("audio").replaceWith(Object.assign(held, { id: "audio" }));
      player = createPlayer($("player"));
    }
    const meta = { id: data.id, title: view(data).title, photo: data.urls?.photo, page: data.urls?.page, genre: view(data).genre_label };
    player.load({ src: (data.kind !== "photo" && data.urls?.video) || data.urls?.audio, peaks: data.peaks,
                  duration: data.duration, ...meta });
    document.title = `${view(data).title} — Melodify`;
    if (wasRunning) notifyReady(view(data).title);
  }

  function showTabProgress(data) {
    if (data.status === "queued" || data.status === "running") {
      document.title = `${Math.round(data.percent || 0)}% · ${t("makingTitle")} — Melodify`;
    } else if (data.status === "failed") {
      document.title = `${t("failedTitle")} — Melodify`;
    }
  }

  /** Only when the tab is in the background, and only if the person allowed it. */
  function notifyReady(title) {
    if (!document.hidden || !("Notification" in window) || Notification.permission !== "granted") return;
    try {
      const note = new Notification(t("readyTitle"), { body: title, icon: track.urls?.photo || undefined, tag: `melodify-${track.id}` });
      note.onclick = () => { window.focus(); note.close(); };
    } catch { /* some browsers allow notifications only from a service worker */ }
  }

  function bindNotify() {
    const button = $("notify-button");
    if (!button || !("Notification" in window) || Notification.permission !== "default") return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      const answer = await Notification.requestPermission();
      button.hidden = true;
      $("notify-status").textContent = answer === "granted" ? t("notifyOn") : t("notifyOff");
    });
  }

  /** KakaoTalk's share sheet, when the server has a Kakao app key; without it (or when the SDK cannot
   * load) the share link, its copy button and the system's share sheet remain. */
  function bindKakao() {
    const button = $("kakao-share");
    if (!button) return;
    const ready = () => {
      if (!window.Kakao) return;
      if (!window.Kakao.isInitialized()) window.Kakao.init(button.dataset.key);
      button.hidden = false;
    };
    if (window.Kakao) ready();
    else {
      const script = document.createElement("script");
      script.src = button.dataset.sdk;
      script.crossOrigin = "anonymous";
      script.onload = ready;
      document.head.append(script);
    }
    button.addEventListener("click", () => {
      const link = { mobileWebUrl: $("share-url").value, webUrl: $("share-url").value };
      window.Kakao.Share.sendDefault({
        objectType: "feed",
        content: { title: view(track).title, description: view(track).caption, imageUrl: track.urls?.photo || "", link },
        buttons: [{ title: t("listen"), link }],
      });
    });
  }

  function bindRename() {
    const form = $("rename-form");
    form?.addEventListener("submit", async (event) => {
      event.preventDefault();
      const error = $("rename-error");
      try {
        const data = await api(`${API}/tracks/${encodeURIComponent(track.id)}`, { method: "PATCH", json: { title: form.elements.title.value } });
        track = { ...track, title: data.title, title_ko: data.title_ko, title_custom: data.title_custom };
        fill(track);
        document.title = `${view(track).title} — Melodify`;
        form.elements.title.value = data.title_custom ? data.title : "";
        form.elements.title.placeholder = titleWords(data);
        form.elements.title.removeAttribute("aria-invalid");
        show(error, false);
        $("rename").open = false;
      } catch (failure) {
        error.textContent = errorText(failure);
        form.elements.title.setAttribute("aria-invalid", "true");
        show(error, true);
        form.elements.title.focus();
      }
    });
  }

  /** "Make again": the form's fields to the variations API (seed kept unless cleared). */
  function bindRemake() {
    const form = $("remake-form");
    form?.addEventListener("submit", async (event) => {
      event.preventDefault();
      const fields = new FormData(form);
      const json = {};
      for (const name of ["genre", "mood", "tempo", "key", "mode", "time_signature", "duration", "seed", "prompt"]) {
        const value = String(fields.get(name) ?? "").trim();
        if (value) json[name] = value;
      }
      json.instruments = fields.getAll("instrument").filter(Boolean).join(", ");
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      form.querySelectorAll("[aria-invalid]").forEach((element) => element.removeAttribute("aria-invalid"));
      try {
        const made = await api(`${API}/tracks/${encodeURIComponent(track.id)}/variations`, { method: "POST", json });
        window.location.assign(made.urls.page);
      } catch (failure) {
        button.disabled = false;
        const error = $("remake-error");
        error.textContent = errorText(failure);
        show(error, true);
        const field = form.elements[failure.field === "instruments" ? "instrument" : failure.field];
        const marked = field instanceof RadioNodeList ? field[0] : field;   // the field the server named, if any
        if (marked) {
          marked.setAttribute("aria-invalid", "true");
          marked.setAttribute("aria-describedby", "remake-error");
          marked.focus();
        } else {
          error.scrollIntoView({ block: "nearest" });
        }
      }
    });
  }

  function render(data) {
    track = data;
    page.dataset.status = data.status;
    showTabProgress(data);
    fill(data);
    if (data.status !== previousStatus || data.status === "running") announce(data);
    previousStatus = data.status;
    if (data.status === "done") showResult(data);
    else if ($("making")) {
      showProgress(data);
      if (data.status === "failed") showFailure(data);
    }
  }

  async function poll() {
    if (stopped) return;
    try {
      render(await api(`${API}/tracks/${encodeURIComponent(track.id)}`));
    } catch {
      // A missed poll is not fatal: the next one will catch up.
    }
    if (!stopped && (track.status === "queued" || track.status === "running")) {
      setTimeout(poll, track.stage === "master" ? POLL_MASTER_MS : POLL_MS);
    }
  }

  /** "Another version" / "another genre" / "try again": make a variation and go to its page. */
  function bindVariation(form) {
    form?.addEventListener("submit", async (event) => {
      event.preventDefault();
      const buttons = form.querySelectorAll("button");
      buttons.forEach((b) => { b.disabled = true; });
      const genre = form.elements.genre?.value || undefined;
      try {
        const made = await api(`${API}/tracks/${encodeURIComponent(track.id)}/variations`, { method: "POST", json: genre ? { genre } : {} });
        window.location.assign(made.urls.page);
      } catch (error) {
        buttons.forEach((b) => { b.disabled = false; });
        window.alert(errorText(error));
      }
    });
  }

  function bindVotes(form) {
    form?.addEventListener("submit", async (event) => {
      event.preventDefault();
      const pressed = event.submitter;
      if (!pressed) return;
      const vote = pressed.getAttribute("aria-pressed") === "true" ? "none" : pressed.value;
      try {
        const data = await api(`${API}/tracks/${encodeURIComponent(track.id)}/feedback`, { method: "POST", json: { vote } });
        for (const button of form.querySelectorAll("button[name=vote]")) {
          const on = button.value === data.vote;
          button.setAttribute("aria-pressed", String(on));
        }
      } catch (error) {
        window.alert(errorText(error));
      }
    });
  }

  function bindShare() {
    const field = $("share-url");
    if (!field) return;
    const status = $("copy-status");
    $("copy-button").addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(field.value);
        status.textContent = t("copied");
      } catch {
        field.select();
        status.textContent = document.execCommand && document.execCommand("copy") ? t("copied") : t("copyFailed");
      }
    });
    const native = $("native-share");
    if (navigator.share) {
      native.hidden = false;
      native.addEventListener("click", () => navigator.share({ title: document.title, url: field.value }).catch(() => {}));
    }
  }

  bindVariation($("another-version-form"));
  bindVariation($("another-genre-form"));
  bindVariation($("retry-form"));
  bindVotes($("vote-form"));
  bindShare();
  bindRename();
  bindRemake();
  bindKakao();
  bindNotify();
  if ($("takes")) teardowns.push(bindPlayButtons($("takes"), { startFrom: () => player?.audio.currentTime || 0 }));
  render(track);
  if (track.status === "queued" || track.status === "running") setTimeout(poll, POLL_MS);

  return () => {
    stopped = true;
    teardowns.forEach((teardown) => teardown());
    if (player) {
      player.destroy();
      nowPlaying.adopt(player.audio, { id: track.id, title: view(track).title, photo: track.urls?.photo,
                                       page: track.urls?.page, src: player.audio.currentSrc, genre: view(track).genre_label });
    }
  };
}
