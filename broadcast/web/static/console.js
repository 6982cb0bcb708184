// The console works without JavaScript; this adds live updates, the inline reading preview,
// "Nghe thử" and confirmations. No library, nothing loaded from elsewhere.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const live = document.querySelector("[data-live]");
  if (live && window.EventSource) {
    const events = new EventSource(live.dataset.live);
    events.addEventListener("dashboard", (e) => { live.innerHTML = e.data; });
  }

  document.querySelectorAll("button[data-preview]").forEach((button) => {
    button.addEventListener("click", async (e) => {
      e.preventDefault();
      const target = document.getElementById("cach-doc");
      target.textContent = "Đang xử lý…";
      const response = await fetch(button.dataset.preview, {method: "POST", body: new FormData(button.form)});
      target.innerHTML = "<h2>Cách đọc</h2>" + await response.text();
    });
  });

  document.querySelectorAll("button[data-listen]").forEach((button) => {
    button.addEventListener("click", () => {
      const player = document.getElementById("player");
      player.src = button.dataset.listen + "?t=" + Date.now();
      player.play();
    });
  });

  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (e) => { if (!window.confirm(form.dataset.confirm)) e.preventDefault(); });
  });

  document.querySelectorAll("a[data-back]").forEach((link) => {
    link.addEventListener("click", (e) => { if (history.length > 1) { e.preventDefault(); history.back(); } });
  });
});
