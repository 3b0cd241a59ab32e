// The upload page's work in progress, kept so that a reload, the Back button or the language switch finds
// it again: the options and the brief's edits in sessionStorage (written at once, so a page left right
// after an edit keeps it), the photo in IndexedDB (it can be far larger than sessionStorage holds).
// A fresh visit starts fresh: the draft is only taken back on those ways in.
const DB = "melodify";
const STORE = "drafts";
const KEY = "upload";
const KEEP_FLAG = "melodify-keep-draft";   // set by the language switch, whose reload is a plain navigation

let connection = null;   // one, so that the saves are written in the order they were made

function open() {
  connection ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return connection;
}

async function run(mode, action) {
  try {
    const db = await open();
    return await new Promise((resolve, reject) => {
      const request = action(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } catch {
    return undefined;   // private windows may refuse storage: the page works, it just forgets
  }
}

let savedPhoto = null;

/** draft: {photo: File, edits, genre, duration, engines}. */
export function saveDraft({ photo, ...settings }) {
  if (!photo) return;
  sessionStorage.setItem(KEY, JSON.stringify({ ...settings, name: photo.name }));
  if (photo !== savedPhoto) run("readwrite", (store) => store.put(photo, KEY));
  savedPhoto = photo;
}

export function clearDraft() {
  sessionStorage.removeItem(KEY);
  savedPhoto = null;
  return run("readwrite", (store) => store.delete(KEY));
}

/** The kept draft when this page was reached by Back/Forward, a reload or the language switch; else none. */
export async function loadDraft() {
  const kept = sessionStorage.getItem(KEEP_FLAG);
  sessionStorage.removeItem(KEEP_FLAG);
  const how = performance.getEntriesByType("navigation")[0]?.type;
  if (!kept && how !== "back_forward" && how !== "reload") {
    await clearDraft();
    return null;
  }
  const settings = JSON.parse(sessionStorage.getItem(KEY) || "null");
  const stored = settings && await run("readonly", (store) => store.get(KEY));
  if (!stored) return null;
  const photo = stored instanceof File ? stored : new File([stored], settings.name, { type: stored.type });
  savedPhoto = photo;
  return { ...settings, photo };
}

export function keepDraftOnReload() {
  sessionStorage.setItem(KEEP_FLAG, "1");
}
