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

  const poll = document.querySelector("[data-poll]");   // a live status (Phát khẩn cấp), until it is finished
  if (poll) {
    const tick = async () => {
      try {
        const response = await fetch(poll.dataset.poll, {cache: "no-store"});
        const html = await response.text();
        if (response.ok && html !== poll.innerHTML) poll.innerHTML = html;
      } catch (e) { /* the next tick tries again */ }
      if (!poll.querySelector("[data-finished]")) setTimeout(tick, 1000);
    };
    setTimeout(tick, 1000);
  }

  document.querySelectorAll(".zone-tools").forEach((tools) => {   // choose zones without unticking each
    tools.hidden = false;
    tools.addEventListener("click", (e) => {
      const how = e.target.dataset && e.target.dataset.zones;
      if (!how) return;
      const all = tools.closest("form").querySelectorAll("input[name=zones]");
      const mine = tools.closest("fieldset").querySelectorAll("input[name=zones]");
      if (how === "all" || how === "none") all.forEach((box) => { box.checked = how === "all"; });
      if (how === "only") all.forEach((box) => { box.checked = false; });
      if (how === "only" || how === "group") mine.forEach((box) => { box.checked = true; });
    });
  });

  document.querySelectorAll("button[data-take]").forEach((button) => {   // a conflict: take their text
    button.addEventListener("click", () => {
      const into = document.getElementById(button.dataset.into);
      into.value = document.getElementById(button.dataset.take).value;
      into.dispatchEvent(new Event("input", {bubbles: true}));
      into.focus();
    });
  });

  document.querySelectorAll("a[data-back]").forEach((link) => {
    link.addEventListener("click", (e) => { if (history.length > 1) { e.preventDefault(); history.back(); } });
  });
});
