// The video page: the level of the video's own sound, shown as its slider moves (no inline handler:
// the Content-Security-Policy allows scripts from files only).
const slider = document.getElementById("keep-original");
const shown = document.getElementById("keep-output");
slider?.addEventListener("input", () => { shown.value = slider.value; });
