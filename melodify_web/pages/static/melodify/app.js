// The scripts of the pages you move between without a reload: track pages and My tracks (nav.js).
import { onPage } from "./nav.js";
import { init as mine } from "./mine.js";
import { init as track } from "./track.js";

onPage((main) => {
  if (main.querySelector("#track-page")) return track(main);
  if (document.body.classList.contains("page-mine")) return mine(main);
  return () => {};
});
