// The album page: photos in a list that can be reordered by drag and drop and by keyboard (Alt+↑/↓ on a
// focused photo, or its buttons), each with a preview of its own brief; sent in that order to the API.
import { API, api, genreLabels, show } from "./common.js";

const form = document.getElementById("album-form");
const input = document.getElementById("album-input");
const list = document.getElementById("album-list");
const status = document.getElementById("album-status");
const error = document.getElementById("upload-error");
const template = document.getElementById("album-item");
const most = Number(form.dataset.maxPhotos) || 30;
let dragged = null;

function renumber() {
  [...list.children].forEach((item, i) => { item.querySelector(".album-index").textContent = String(i + 1); });
  show(document.getElementById("album-hint"), list.children.length > 1);
}

function announce(item) {
  const position = [...list.children].indexOf(item) + 1;
  status.textContent = `${item.querySelector(".album-name").textContent}: ${position} / ${list.children.length}`;
}

function move(item, by) {
  const target = by < 0 ? item.previousElementSibling : item.nextElementSibling?.nextElementSibling ?? null;
  if (by < 0 && !target) return;
  if (by > 0 && !item.nextElementSibling) return;
  list.insertBefore(item, target);
  item.focus();
  renumber();
  announce(item);
}

async function preview(item, file) {
  const brief = item.querySelector(".album-brief");
  brief.textContent = "…";
  const body = new FormData();
  body.append("image", file);
  try {
    const data = await api(`${API}/previews`, { method: "POST", body });
    const b = data.brief;
    brief.textContent = `${genreLabels[b.genre] || b.genre} · ${(data.brief_ko && document.documentElement.lang === "ko" ? data.brief_ko.mood : b.mood).join(", ")} · ${b.tempo} BPM`;
  } catch (e) {
    brief.textContent = e.message;
    item.classList.add("bad");
  }
}

function add(file) {
  const item = template.content.firstElementChild.cloneNode(true);
  item.file = file;
  item.querySelector("img").src = URL.createObjectURL(file);
  item.querySelector(".album-name").textContent = file.name;
  item.querySelector(".album-up").addEventListener("click", () => move(item, -1));
  item.querySelector(".album-down").addEventListener("click", () => move(item, 1));
  item.querySelector(".album-remove").addEventListener("click", () => { item.remove(); renumber(); });
  item.addEventListener("keydown", (event) => {
    if (event.target !== item || !event.altKey) return;
    if (event.key === "ArrowUp") { move(item, -1); event.preventDefault(); }
    if (event.key === "ArrowDown") { move(item, 1); event.preventDefault(); }
  });
  item.addEventListener("dragstart", () => { dragged = item; item.classList.add("dragging"); });
  item.addEventListener("dragend", () => { item.classList.remove("dragging"); dragged = null; renumber(); });
  item.addEventListener("dragover", (event) => {
    event.preventDefault();
    if (!dragged || dragged === item) return;
    const box = item.getBoundingClientRect();
    list.insertBefore(dragged, event.clientY < box.top + box.height / 2 ? item : item.nextElementSibling);
  });
  list.append(item);
  preview(item, file);
}

input.addEventListener("change", () => {
  for (const file of input.files) add(file);
  input.value = "";
  input.required = list.children.length === 0;
  renumber();
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const items = [...list.children];
  if (items.length < 2 || items.length > most) {
    error.textContent = form.dataset.countError;
    show(error, true);
    return;
  }
  const body = new FormData();
  for (const item of items) body.append("photos", item.file, item.file.name);
  body.append("genre", form.elements.genre.value);
  body.append("seconds", form.elements.seconds.value);
  form.querySelector("#make-button").disabled = true;
  try {
    const track = await api(`${API}/albums`, { method: "POST", body });
    window.location.assign(`/tracks/${track.id}/`);
  } catch (e) {
    error.textContent = e.message;
    show(error, true);
    form.querySelector("#make-button").disabled = false;
  }
});
