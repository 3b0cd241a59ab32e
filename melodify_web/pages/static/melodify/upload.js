// Upload page: choose a photo (click, keyboard or drop), check it here, ask the API what it reads,
// let the person edit the brief, then make the track and go to its page.
import { API, api, briefWords, captionWords, errorText, instrumentLabels, show, t } from "./common.js";
import { clearDraft, keepDraftOnReload, loadDraft, saveDraft } from "./draft.js";

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
const fieldErrors = { mood: $("mood-error"), tempo: $("tempo-error") };   // the fields a person types in

const maxBytes = Number(form.dataset.maxMb) * 1024 * 1024;
const acceptedTypes = form.dataset.accept.split(",");
const acceptedExtensions = form.dataset.extensions.split(",");

let photo = null;          // the chosen File
let previewUrl = null;
let preview = null;        // the preview's answer: the reading, and the brief as Melodify wrote it
let previewRequest = 0;    // ignore answers to stale preview requests
let rewriteRequest = 0;    // ... and to stale rewrites of the description
let keptEdits = {};        // the person's edits, to put back on the card when a new brief comes
let rewriteTimer = 0;
const makeLabel = makeButton.textContent;

function showError(message) {
  errorBox.textContent = message;
  show(errorBox, Boolean(message));
  if (message) errorBox.focus();   // in view, and read out with the focus
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
  preview = null;
  keptEdits = {};
  previewRequest += 1;
  clearDraft();
  if (previewUrl) URL.revokeObjectURL(previewUrl);
  previewUrl = null;
  input.value = "";
  show($("chosen"), false);
  show($("brief-card"), false);
  show(dropzone, true);
  show(anotherButton, false);
  makeButton.disabled = false;
}

function choose(file, edits = {}) {
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
  keptEdits = edits;
  readPhoto();
}

function photoForm() {
  const body = new FormData();
  body.append("image", photo, photo.name);
  body.append("genre", optionGenre.value);
  body.append("duration", optionDuration.value);
  for (const select of form.querySelectorAll(".option-engine")) body.append(select.name, select.value);
  return body;
}

/** Read the photo and write its brief (again, after a new genre, length or engine: the edits stay). */
async function readPhoto() {
  if (preview) keptEdits = edits();
  saveDraft({ photo, edits: keptEdits, ...options() });
  const ticket = ++previewRequest;
  $("reading-status").textContent = t("reading");
  show($("reading-status"), true);
  try {
    const data = await api(`${API}/previews`, { method: "POST", body: photoForm() });
    if (ticket !== previewRequest) return;
    showReading(data.reading, data.colours);
    showBrief(data);
  } catch (error) {
    if (ticket !== previewRequest) return;
    reset();
    showError(errorText(error));
  }
}

function showReading(reading, names = []) {
  show($("reading-status"), false);
  const caption = captionWords(reading);
  $("caption").textContent = caption.text;
  $("caption").lang = caption.lang;
  show($("caption"), Boolean(caption.text));
  const palette = $("palette");
  palette.replaceChildren(...(reading.palette || []).map((colour, index) => {
    const li = document.createElement("li");
    li.className = "swatch";
    li.style.background = colour;
    // Its everyday name in the page's language (the preview names them): a hex code means nothing read out.
    const named = names[index];
    li.title = named ? (document.documentElement.lang === "ko" ? named.ko : named.name) : colour;
    li.setAttribute("aria-label", li.title);
    return li;
  }));
  show(palette, palette.children.length > 0);
}

/** A new brief on the card, with the person's edits kept on top of it. */
function showBrief(data) {
  const brief = data.brief;
  preview = data;
  briefFields.genre.value = brief.genre;
  briefFields.mood.value = (brief.mood || []).join(", ");
  briefFields.tempo.value = brief.tempo;
  briefFields.key.value = brief.key;
  briefFields.mode.value = brief.mode;
  for (const [name, value] of Object.entries(keptEdits)) briefFields[name].value = value;
  $("brief-instruments").textContent = (brief.instruments || []).map((name) => instrumentLabels[name] || name).join(", ");
  show($("brief-card"), true);
  if (Object.keys(keptEdits).length) rewrite(); else { showWords(data); saveDraft({ photo, edits: {}, ...options() }); }
}

/** The description and the mood's translation of a brief (data: {brief, brief_ko}). */
function showWords(data) {
  const words = briefWords(data);
  $("brief-description").textContent = words.description;
  $("brief-description").lang = words.lang;
  // The mood field stays in the words as typed (the engine's English at first); Korean pages show the
  // engine's Korean for them below it.
  $("mood-translation").textContent = words.lang === "en" ? "" : words.mood.join(", ");
  show($("mood-translation"), words.lang !== "en");
}

function moodWords() {
  return briefFields.mood.value.split(",").map((w) => w.trim()).filter(Boolean);
}

/** The brief fields the person changed, as the API's fields. */
function edits() {
  const brief = preview?.brief;
  if (!brief) return {};
  const changed = {};
  const mood = moodWords();
  if (mood.join(",") !== (brief.mood || []).join(",")) changed.mood = mood.join(", ");
  if (briefFields.tempo.value.trim() !== String(brief.tempo)) changed.tempo = briefFields.tempo.value.trim();
  if (briefFields.key.value !== brief.key) changed.key = briefFields.key.value;
  if (briefFields.mode.value !== brief.mode) changed.mode = briefFields.mode.value;
  return changed;
}

/** Why a typed field cannot be used, in the page's words; "" when it can. */
function fieldProblem(name) {
  const field = briefFields[name];
  if (name === "tempo") {
    const text = field.value.trim();
    const ok = /^\d+$/.test(text) && Number(text) >= Number(field.min) && Number(text) <= Number(field.max);
    return ok ? "" : t("badTempo", { value: text, min: field.min, max: field.max });
  }
  const words = moodWords();
  const long = words.find((word) => word.length > Number(field.dataset.maxLetters));
  if (!words.length) return t("moodEmpty");
  if (words.length > Number(field.dataset.maxWords)) return t("moodTooMany", { count: words.length, max: field.dataset.maxWords });
  return long ? t("moodTooLong", { word: long, length: long.length, max: field.dataset.maxLetters }) : "";
}

/** Mark a field as wrong next to it (or clear the mark with ""). */
function markField(name, message) {
  const field = briefFields[name];
  fieldErrors[name].textContent = message;
  show(fieldErrors[name], Boolean(message));
  if (message) field.setAttribute("aria-invalid", "true"); else field.removeAttribute("aria-invalid");
}

/** Check every typed field; the first wrong one gets the focus. True when all can be used. */
function fieldsUsable() {
  const wrong = Object.keys(fieldErrors).filter((name) => {
    const problem = fieldProblem(name);
    markField(name, problem);
    return problem;
  });
  if (wrong.length) briefFields[wrong[0]].focus();
  return wrong.length === 0;
}

/** A refusal from the server: at its field when it names one, else above the card. */
function showServerError(error) {
  if (fieldErrors[error.field]) {
    markField(error.field, document.documentElement.lang === "en" ? errorText(error) : t("badField"));
    briefFields[error.field].focus();
  } else {
    showError(errorText(error));
  }
}

/** The description rewritten to say the person's edits (the engine's description writers). */
async function rewrite() {
  const changed = edits();
  const ticket = ++rewriteRequest;
  saveDraft({ photo, edits: changed, ...options() });
  if (!Object.keys(changed).length) { showWords(preview); return; }
  try {
    const data = await api(`${API}/previews/brief`, { method: "POST", json: { reading: preview.reading, brief: preview.brief, edits: changed } });
    if (ticket === rewriteRequest) showWords(data);
  } catch (error) {
    if (ticket === rewriteRequest) showServerError(error);
  }
}

/** A typed field: its mark goes as soon as it is right; when left (change), a wrong one is marked. */
function onFieldEdit(name, event) {
  const problem = fieldErrors[name] ? fieldProblem(name) : "";
  clearTimeout(rewriteTimer);
  if (!problem) {
    if (fieldErrors[name]) markField(name, "");
    rewriteTimer = setTimeout(rewrite, event.type === "input" ? 300 : 0);   // not at every key
  } else if (event.type === "change") {
    // A moment later: marking moves what is below, and a Make pressed to leave the field must stay
    // under the pointer until its click (Make marks the field itself).
    setTimeout(() => markField(name, fieldProblem(name)), 250);
  }
}

async function make(event) {
  event.preventDefault();
  if (!photo) {
    showError(t("noPhoto"));
    dropzone.focus();
    return;
  }
  if (preview && !fieldsUsable()) return;
  makeButton.disabled = true;
  makeButton.textContent = t("making");
  const body = photoForm();
  for (const [name, value] of Object.entries(edits())) body.append(name, value);
  try {
    const track = await api(`${API}/tracks`, { method: "POST", body });
    window.location.assign(track.urls.page);
  } catch (error) {
    makeButton.disabled = false;
    makeButton.textContent = makeLabel;
    showServerError(error);
  }
}

/** The options a person set (genre, length, engines), to keep with the photo and its edits. */
function options() {
  const engines = Object.fromEntries([...form.querySelectorAll(".option-engine")].map((s) => [s.name, s.value]));
  return { genre: optionGenre.value, duration: optionDuration.value, engines };
}

/** Back on this page (the Back button, a reload, another language): the photo, options and edits as they were. */
async function restore(event) {
  makeButton.disabled = false;          // back from the making page as it was left: "Starting…"
  makeButton.textContent = makeLabel;
  if (event.persisted && photo) return;
  const draft = await loadDraft();
  if (photo) return;
  if (!draft) { if (input.files[0]) choose(input.files[0]); return; }   // the browser kept the file in the input
  optionGenre.value = draft.genre;
  optionDuration.value = draft.duration;
  showDuration();
  for (const select of form.querySelectorAll(".option-engine")) select.value = draft.engines[select.name] ?? select.value;
  choose(draft.photo, draft.edits);
}

// Choosing: click or keyboard on the drop zone opens the picker; drop a file on it. Without the script
// the drop zone is only a picture and the file input is the control.
dropzone.setAttribute("role", "button");
dropzone.tabIndex = 0;
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
briefFields.genre.addEventListener("change", () => { optionGenre.value = briefFields.genre.value; if (photo) readPhoto(); });
optionGenre.addEventListener("change", () => { if (photo) readPhoto(); });
// Another reader or briefer reads the photo and writes the brief its own way.
for (const select of form.querySelectorAll(".option-engine:not([name=composer])")) {
  select.addEventListener("change", () => { if (photo) readPhoto(); });
}
function showDuration() {
  $("duration-output").textContent = optionDuration.value;
  optionDuration.setAttribute("aria-valuetext", t("seconds", { seconds: optionDuration.value }));
}
optionDuration.addEventListener("input", showDuration);
optionDuration.addEventListener("change", () => { if (photo) readPhoto(); });
for (const name of ["mood", "tempo", "key", "mode"]) {
  for (const type of ["input", "change"]) briefFields[name].addEventListener(type, (event) => onFieldEdit(name, event));
}
form.noValidate = true;   // the script explains a missing photo and wrong fields itself
form.addEventListener("submit", make);
// The language switch reloads the page: keep the work for the page in the other language.
document.querySelector(".lang-switch")?.addEventListener("submit", keepDraftOnReload);
window.addEventListener("pageshow", restore);
