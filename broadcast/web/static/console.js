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
      // the words come from the page (the message catalog), not from here
      const target = document.getElementById(button.dataset.target || "cach-doc");
      target.textContent = button.dataset.busy;
      const response = await fetch(button.dataset.preview, {method: "POST", body: new FormData(button.form)});
      const heading = document.createElement("h2");
      heading.textContent = button.dataset.heading;
      target.innerHTML = await response.text();
      target.prepend(heading);
    });
  });

  document.querySelectorAll("button[data-listen]").forEach((button) => {
    button.addEventListener("click", () => {
      const player = document.getElementById("player");
      player.src = button.dataset.listen + "?t=" + Date.now();
      player.play();
    });
  });

  document.querySelectorAll("form[data-play]").forEach((form) => {   // play the answer here, not on a new page
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const player = document.getElementById(form.dataset.play);
      player.src = form.action + "?" + new URLSearchParams(new FormData(form)) + "&t=" + Date.now();
      player.play();
    });
  });

  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (e) => { if (!window.confirm(form.dataset.confirm)) e.preventDefault(); });
  });

  document.querySelectorAll("input[type=file][data-max-bytes]").forEach((input) => {   // too large: said before sending
    const check = () => {
      const file = input.files[0];
      const over = file && file.size > Number(input.dataset.maxBytes);
      const size = file ? (file.size / 1048576).toFixed(1).replace(".", ",") + " MB" : "";
      input.setCustomValidity(over ? input.dataset.tooLarge.replace("{size}", size) : "");
      if (over) input.reportValidity();
    };
    input.addEventListener("change", check);
    if (input.form) input.form.addEventListener("submit", (e) => { check(); if (!input.checkValidity()) e.preventDefault(); });
  });

  document.querySelectorAll("a[data-back]").forEach((link) => {
    link.addEventListener("click", (e) => { if (history.length > 1) { e.preventDefault(); history.back(); } });
  });
});
