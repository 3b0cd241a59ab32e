// More ways to choose the photo on the upload page: paste one from the clipboard, or give its address
// (the server fetches it: /api/v1/photos/by-url). Either way the photo goes into the page's own file
// input, so upload.js checks, previews and sends it as if it had been chosen from the disk.
import { API, ApiError, errorText, t } from "./common.js";

const input = document.getElementById("photo-input");
const sources = document.getElementById("photo-sources");
const field = document.getElementById("photo-url");
const button = document.getElementById("photo-url-button");
const error = document.getElementById("photo-url-error");

function use(file) {
  const files = new DataTransfer();
  files.items.add(file);
  input.files = files.files;
  input.dispatchEvent(new Event("change", { bubbles: true }));
}

function showError(message) {
  error.textContent = message;
  error.hidden = !message;
  if (message) field.setAttribute("aria-invalid", "true"); else field.removeAttribute("aria-invalid");
}

let asked = 0;   // only the latest address's answer counts

async function fetchByUrl() {
  const url = field.value.trim();
  const ask = ++asked;
  if (!url) { showError(t("noPhotoUrl")); field.focus(); return; }
  showError("");
  button.disabled = true;
  try {
    const response = await fetch(`${API}/photos/by-url`, {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json", Accept: "image/jpeg, application/json" },
      body: JSON.stringify({ url }),
    });
    if (!response.ok) {
      const body = await response.json().catch(() => null);
      throw new ApiError(body?.error?.message || `${t("failedGeneric")} (HTTP ${response.status})`, body?.error?.code, response.status);
    }
    if (ask !== asked) return;
    const name = decodeURIComponent(new URL(url).pathname.split("/").pop() || "photo").replace(/\.\w+$/, "") || "photo";
    use(new File([await response.blob()], `${name}.jpg`, { type: "image/jpeg" }));
  } catch (failure) {
    if (ask !== asked) return;
    showError(failure instanceof ApiError ? errorText(failure) : t("network"));
    field.focus();
  } finally {
    if (ask === asked) button.disabled = false;
  }
}

if (input && sources && "DataTransfer" in window) {
  sources.hidden = false;
  button.addEventListener("click", fetchByUrl);
  field.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); fetchByUrl(); } });
  document.addEventListener("paste", (event) => {
    const file = [...(event.clipboardData?.files || [])].find((f) => f.type.startsWith("image/"));
    if (file) {
      event.preventDefault();
      use(file.name && file.name !== "image.png" ? file : new File([file], `pasted-photo.${file.type.split("/")[1] || "png"}`, { type: file.type }));
      return;
    }
    const text = event.clipboardData?.getData("text/plain")?.trim();
    if (text && /^https?:\/\//i.test(text) && event.target !== field) {   // a pasted address: fetch it
      event.preventDefault();
      field.value = text;
      fetchByUrl();
    }
  });
}
