// Swagger UI follows its h1 with h3 and h4: one level up for screen readers, so none is skipped; its
// title block is outside its own main landmark: a region of its own.
new MutationObserver(() => {
  const about = document.querySelector("#swagger-ui .information-container:not([role])");
  if (about) { about.setAttribute("role", "region"); about.setAttribute("aria-label", "About the API"); }
  for (const heading of document.querySelectorAll("#swagger-ui :is(h3, h4, h5, h6):not([aria-level])")) {
    heading.setAttribute("aria-level", String(Number(heading.tagName[1]) - 1));
  }
}).observe(document.getElementById("swagger-ui"), { childList: true, subtree: true });
