// My tracks: play a track in the mini-player without opening it, rename and delete in place, search
// without a reload (so what plays keeps playing).
import { t } from "./common.js";
import { go } from "./nav.js";
import { bindPlayButtons } from "./nowplaying.js";

async function send(form) {
  const response = await fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin",
                                              headers: { Accept: "text/html" }, redirect: "follow" });
  if (!response.ok) {
    const text = new DOMParser().parseFromString(await response.text(), "text/html").querySelector("main")?.textContent;
    throw new Error((text || "").trim() || t("failedGeneric"));   // the error page, already in the page's language
  }
}

export function init(main) {
  const list = main.querySelector("#track-list");
  const teardown = list ? bindPlayButtons(list) : () => {};
  main.querySelector("#search-form")?.addEventListener("submit", (event) => {
    event.preventDefault();
    const url = new URL(event.target.action, location.href);
    url.search = new URLSearchParams(new FormData(event.target)).toString();
    go(url);
  });
  for (const form of main.querySelectorAll(".row-rename")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await send(form);
        const title = form.elements.title.value.trim() || form.elements.title.placeholder;
        form.closest(".track-item").querySelector(".track-title").textContent = title;
        form.closest("details").open = false;
      } catch (error) { window.alert(error.message); }
    });
  }
  for (const form of main.querySelectorAll(".row-delete")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!window.confirm(form.dataset.confirm)) return;
      try {
        await send(form);
        form.closest(".track-item").remove();
      } catch (error) { window.alert(error.message); }
    });
  }
  return teardown;
}
