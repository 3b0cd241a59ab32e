// Moving between your tracks without a reload, so the mini-player keeps playing: links to a track page
// or to My tracks, from a page that runs this script, fetch the page and swap its <main> in (title,
// language switch and history too). Anything else (the upload page, other sites, a failed fetch, a
// modifier key) is an ordinary navigation. We chose this over htmx's boosting: it is 50 lines, needs no
// library, and each page still renders whole on the server, with or without JavaScript.
const SOFT = /^\/(tracks\/[^/]+\/|mine\/)$/;

let leave = () => {};            // the current page's teardown
let start = () => () => {};      // (main) => teardown: runs the scripts of the page now in <main>

export function onPage(init) {
  start = init;
  leave = start(document.querySelector("main"));
}

function soft(url) {
  return url.origin === location.origin && SOFT.test(url.pathname);
}

export async function go(url, { push = true } = {}) {
  let html;
  try {
    const response = await fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" });
    if (!response.ok || !(response.headers.get("Content-Type") || "").includes("text/html")) throw new Error(String(response.status));
    html = await response.text();
  } catch {
    location.assign(url);
    return;
  }
  const next = new DOMParser().parseFromString(html, "text/html");
  const main = next.querySelector("main");
  if (!main || next.documentElement.lang !== document.documentElement.lang) { location.assign(url); return; }
  leave();
  if (push) history.pushState({ soft: true }, "", url);
  document.title = next.title;
  document.body.className = next.body.className;
  document.body.classList.toggle("has-mini-player", !document.getElementById("mini-player")?.hidden);
  document.querySelector("main").replaceChildren(...main.childNodes);
  for (const input of document.querySelectorAll('header input[name="next"]')) input.value = url.pathname + url.search;
  window.scrollTo(0, 0);
  leave = start(document.querySelector("main"));
  document.querySelector("main").focus({ preventScroll: true });   // screen readers start at the new page
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[href]");
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  if (link.target || link.hasAttribute("download")) return;
  const url = new URL(link.href, location.href);
  if (!soft(url) || (url.pathname === location.pathname && url.hash)) return;
  event.preventDefault();
  go(url);
});

window.addEventListener("popstate", () => {
  const url = new URL(location.href);
  if (soft(url)) go(url, { push: false }); else location.reload();
});
