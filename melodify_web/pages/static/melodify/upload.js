// Upload page: choose a photo (click, keyboard or drop), check it here, ask the API what it reads,
// let the person edit the brief, then make the track and go to its page.
import { API, ApiError, api, briefWords, captionWords, instrumentLabels, show, t } from "./common.js";

const $ = (id) => document.getElementById(id);
const form = $("upload-form");
const input = $("photo-input");
const dropzone = $("dropzone");
const errorBox = $("upload-error");
const makeButton = $("make-button");
const anotherButton = $("another-button");
const optionGenre = $("option-genre");
const optionDuration = $("option-duration");
const briefFields = { genre: $("brief-genre"), mood: $("brief-mood"), tempo: $("brief-tempo"), key: $("brief-key"), mode: $("brief-mode") };

const maxBytes = Number(form.dataset.maxMb) * 1024 * 1024;
const acceptedTypes = form.dataset.accept.split(",");
const acceptedExtensions = form.dataset.extensions.split(",");

let photo = null;          // the chosen File
let previewUrl = null;
let previewBrief = null;   // the brief as Melodify wrote it, to send only what the person changed
let previewRequest = 0;    // ignore answers to stale preview requests

function showError(message) {
  // The engine's messages start in lower case (they read well after "error:" in a terminal).
  errorBox.textContent = message ? message[0].toUpperCase() + message.slice(1) : "";
  show(errorBox, Boolean(message));
}

/** Why this file cannot be used, or "" when it looks like a photo we accept. */
function refusal(file) {
  const name = file.name;
  const extension = name.includes(".") ? name.slice(name.lastIndexOf(".")).toLowerCase() : "";
  const typeOk = acceptedTypes.includes(file.type) || (!file.type && acceptedExtensions.includes(extension))
    || (["image/heic", "image/heif", ""].includes(file.type) && [".heic", ".heif"].includes(extension));
  if (!typeOk) return t("badType", { name, type: file.type || extension || "?" });
  if (file.size === 0) return t("emptyFile", { name });
  if (file.size > maxBytes) return t("tooBig", { name, size: (file.size / 1024 / 1024).toFixed(1), max: form.dataset.maxMb });
  return "";
}

function reset() {
  photo = null;
  previewBrief = null;
  previewRequest += 1;
  if (previewUrl) URL.revokeObjectURL(previewUrl);
  previewUrl = null;
  input.value = "";
  show($("chosen"), false);
  show($("brief-card"), false);
  show(dropzone, true);
  show(anotherButton, false);
  makeButton.disabled = false;
}

function choose(file) {
  if (!file) return;
  const why = refusal(file);
  if (why) {
    reset();
    showError(why);
    return;
  }
  showError("");
  photo = file;
  if (previewUrl) URL.revokeObjectURL(previewUrl);
  previewUrl = URL.createObjectURL(file);
  const img = $("photo-preview");
  const isHeic = /hei[cf]$/i.test(file.type) || /\.hei[cf]$/i.test(file.name);
  show(img, !isHeic);
  show($("no-preview"), isHeic);
  $("no-preview").textContent = isHeic ? t("noPreview") : "";
  if (!isHeic) img.src = previewUrl;
  $("file-name").textContent = file.name;
  show($("chosen"), true);
  show(dropzone, false);
  show(anotherButton, true);
  preview();
}

function photoForm() {
  const body = new FormData();
  body.append("image", photo, photo.name);
  body.append("genre", optionGenre.value);
  body.append("duration", optionDuration.value);
  for (const select of form.querySelectorAll(".option-engine")) body.append(select.name, select.value);
  return body;
}

async function preview() {
  const ticket = ++previewRequest;
  $("reading-status").textContent = t("reading");
  show($("reading-status"), true);
  try {
    const data = await api(`${API}/previews`, { method: "POST", body: photoForm() });
    if (ticket !== previewRequest) return;
    showReading(data.reading);
    showBrief(data);
  } catch (error) {
    if (ticket !== previewRequest) return;
    reset();
    showError(error instanceof ApiError ? error.message : t("failedGeneric"));
  }
}

function showReading(reading) {
  show($("reading-status"), false);
  const caption = captionWords(reading);
  $("caption").textContent = caption.caption;
  $("caption").lang = caption.lang;
  show($("caption"), Boolean(caption.caption));
  const palette = $("palette");
  palette.replaceChildren(...(reading.palette || []).map((colour) => {
    const li = document.createElement("li");
    li.className = "swatch";
    li.style.background = colour;
    li.title = colour;
    li.setAttribute("aria-label", colour);
    return li;
  }));
  show(palette, palette.children.length > 0);
}

function showBrief(data) {
  const brief = data.brief;
  const words = briefWords(data);
  previewBrief = brief;
  briefFields.genre.value = brief.genre;
  briefFields.mood.value = (brief.mood || []).join(", ");
  briefFields.tempo.value = brief.tempo;
  briefFields.key.value = brief.key;
  briefFields.mode.value = brief.mode;
  $("brief-instruments").textContent = (brief.instruments || []).map((name) => instrumentLabels[name] || name).join(", ");
  $("brief-description").textContent = words.description;
  $("brief-description").lang = words.lang;
  // The mood field stays in the engine's English words (what edits send); Korean pages show them in Korean below it.
  $("mood-translation").textContent = words.lang === "en" ? "" : words.mood.join(", ");
  show($("mood-translation"), words.lang !== "en");
  show($("brief-card"), true);
}

/** The brief fields the person changed, as the API's form fields. */
function edits() {
  if (!previewBrief) return {};
  const changed = {};
  const mood = briefFields.mood.value.split(",").map((w) => w.trim()).filter(Boolean);
  if (mood.join(",") !== (previewBrief.mood || []).join(",")) changed.mood = mood.join(", ");
  if (Number(briefFields.tempo.value) !== previewBrief.tempo) changed.tempo = briefFields.tempo.value;
  if (briefFields.key.value !== previewBrief.key) changed.key = briefFields.key.value;
  if (briefFields.mode.value !== previewBrief.mode) changed.mode = briefFields.mode.value;
  return changed;
}

async function make(event) {
  event.preventDefault();
  if (!photo) {
    showError(t("noPhoto"));
    dropzone.focus();
    return;
  }
  const label = makeButton.textContent;
  makeButton.disabled = true;
  makeButton.textContent = t("making");
  const body = photoForm();
  for (const [name, value] of Object.entries(edits())) body.append(name, value);
  try {
    const track = await api(`${API}/tracks`, { method: "POST", body });
    window.location.assign(track.urls.page);
  } catch (error) {
    makeButton.disabled = false;
    makeButton.textContent = label;
    showError(error.message);
  }
}

// Choosing: click or keyboard on the drop zone opens the picker; drop a file on it.
dropzone.addEventListener("click", (event) => { if (event.target !== input) input.click(); });
dropzone.addEventListener("keydown", (event) => {
  if (event.key === "Enter" || event.key === " ") { event.preventDefault(); input.click(); }
});
input.addEventListener("change", () => choose(input.files[0]));
for (const type of ["dragenter", "dragover"]) {
  dropzone.addEventListener(type, (event) => { event.preventDefault(); dropzone.classList.add("dragging"); });
}
for (const type of ["dragleave", "drop"]) {
  dropzone.addEventListener(type, () => dropzone.classList.remove("dragging"));
}
dropzone.addEventListener("drop", (event) => {
  event.preventDefault();
  choose(event.dataTransfer.files[0]);
});
anotherButton.addEventListener("click", () => { reset(); showError(""); input.click(); });

// The genre on the card and in the options are one choice; a new genre means a new brief.
briefFields.genre.addEventListener("change", () => { optionGenre.value = briefFields.genre.value; if (photo) preview(); });
optionGenre.addEventListener("change", () => { if (photo) preview(); });
// Another reader or briefer reads the photo and writes the brief its own way.
for (const select of form.querySelectorAll(".option-engine:not([name=composer])")) {
  select.addEventListener("change", () => { if (photo) preview(); });
}
optionDuration.addEventListener("input", () => { $("duration-output").textContent = optionDuration.value; });
optionDuration.addEventListener("change", () => { if (photo) preview(); });
form.noValidate = true;   // the script explains a missing photo itself
form.addEventListener("submit", make);
