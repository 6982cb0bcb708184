// Nhập văn bản: the reading's progress, polled once a second; the page reloads when it is done.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-progress]");
  if (!box) return;
  const bar = document.getElementById("tien-do-thanh");
  const words = document.getElementById("tien-do-chu");
  const poll = async () => {
    const state = await (await fetch(box.dataset.progress, {cache: "no-store"})).json();
    if (state.stage === "done" || state.stage === "failed") { window.location.reload(); return; }
    if (state.total) {
      bar.value = Math.round(100 * state.done / state.total);
      words.textContent = words.dataset.pages.replace("{done}", state.done).replace("{total}", state.total);
    }
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 500);
});
