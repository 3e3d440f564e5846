// Optional: adds a "copy" button beside the badge's address. Without JavaScript the address stays a
// readonly field to select and copy by hand. Labels come from the page (data-copy-label and
// data-copied-label), so every text stays in the pages' one resource set.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const box of document.querySelectorAll(".copy[data-copy-label]")) {
    const input = box.querySelector("input");
    if (!input || !navigator.clipboard) { continue; }
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = box.dataset.copyLabel;
    const note = document.createElement("span");
    note.setAttribute("role", "status");
    note.className = "muted";
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(input.value);
        note.textContent = box.dataset.copiedLabel;
      } catch {
        input.select();
      }
    });
    input.addEventListener("focus", () => input.select());
    box.append(button, note);
  }
});
