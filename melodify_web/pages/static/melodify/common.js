// Shared helpers: the page's strings (embedded per language by the server), time format, API calls.
const catalog = JSON.parse(document.getElementById("melodify-i18n")?.textContent || '{"strings":{},"genres":{}}');
export const strings = catalog.strings;
export const genreLabels = catalog.genres;
export const instrumentLabels = catalog.instruments || {};
export const API = "/api/v1";

/** A string from the catalog with its %(name)s placeholders filled in. */
export function t(key, params = {}) {
  const template = strings[key] ?? key;
  return template.replace(/%\((\w+)\)s/g, (_, name) => String(params[name] ?? "")).replace(/%%/g, "%");
}

export function mmss(seconds) {
  const total = Math.max(0, Math.round(Number(seconds) || 0));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}

/** The brief's mood words and description in the page's language (brief_ko on Korean pages), and
 * the language they are written in (the engine writes English). */
export function briefWords(data) {
  const korean = document.documentElement.lang === "ko" ? data.brief_ko : null;
  const source = korean || data.brief || {};
  return { mood: source.mood || [], description: source.description || "", lang: korean ? "ko" : "en" };
}

/** The photo's caption in the page's language (the reader's Korean caption on Korean pages, where it
 * wrote one), and the language it is written in. */
export function captionWords(reading) {
  const korean = document.documentElement.lang === "ko" && reading?.caption_ko;
  return { text: (korean ? reading.caption_ko : reading?.caption) || "", lang: korean ? "ko" : "en" };
}

/** The track's title in the page's language (a person's own title is the same in both). */
export function titleWords(data) {
  return (document.documentElement.lang === "ko" ? data?.title_ko : data?.title) || "";
}

export function keyLabel(key, mode) {
  return key ? `${key} ${strings[mode] ?? mode ?? ""}`.trim() : "";
}

export class ApiError extends Error {
  constructor(message, code, status, field) { super(message); this.code = code; this.status = status; this.field = field; }
}

/** An error ({code, message}) for the page: the server's words on English pages (capitalised: the engine's
 * messages start in lower case), the code's words in the page's language on others (labels.ERROR_TEXTS). */
export function errorText(error) {
  const message = error?.message || t("failedGeneric");
  if (document.documentElement.lang === "en" || error?.code === "network") return message[0].toUpperCase() + message.slice(1);
  return strings.errors?.[error?.code] || strings.errors?.failed || t("failedGeneric");
}

/** fetch() that returns the JSON body or throws ApiError with the server's own message. */
export async function api(url, { method = "GET", body, json } = {}) {
  const init = { method, headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" };
  if (json !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  } else if (body !== undefined) {
    init.body = body;
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new ApiError(t("network"), "network", 0);
  }
  let data = null;
  try { data = await response.json(); } catch { data = null; }
  if (!response.ok) {
    const error = data?.error || {};
    throw new ApiError(error.message || `${t("failedGeneric")} (HTTP ${response.status})`, error.code || "http",
                       response.status, error.field);
  }
  return data;
}

export function show(element, visible) {
  if (element) element.hidden = !visible;
}
