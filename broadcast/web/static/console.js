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

  const player = document.getElementById("player");
  const listen = player && player.dataset.progress ? followRender(player) : null;
  document.querySelectorAll("button[data-listen]").forEach((button) => {
    button.addEventListener("click", () => {
      if (listen) listen(button.dataset.listen); else player.src = button.dataset.listen + "?t=" + Date.now();
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

  const recorder = document.getElementById("thu-am");
  if (recorder) setUpRecorder(recorder);
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

  document.querySelectorAll("form[data-draft]").forEach(keepDraft);

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

// Thu âm: record the reading with MediaRecorder (or take a file) and send it as the request body;
// every word shown comes from the page's data attributes (the message catalog).
function setUpRecorder(box) {
  const d = box.dataset;
  const $ = (id) => box.querySelector("#" + id);
  const start = $("bat-dau"), stop = $("dung"), send = $("gui"), playback = $("nghe-lai");
  const status = $("trang-thai-thu"), error = $("loi-thu"), file = $("tep-doc");
  let media = null, chunks = [], recorded = null, began = 0, timer = null;
  const say = (text) => { status.textContent = text; };
  const fail = (text) => { error.textContent = text; error.hidden = false; };
  const clock = (s) => Math.floor(s / 60) + ":" + String(Math.floor(s % 60)).padStart(2, "0");

  start.addEventListener("click", async () => {
    error.hidden = true;
    if (!navigator.mediaDevices || !window.MediaRecorder) { fail(d.noRecorder); return; }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({audio: {echoCancellation: false, noiseSuppression: false}});
    } catch (e) { fail(d.noMic); return; }
    chunks = [];
    media = new MediaRecorder(stream);
    media.addEventListener("dataavailable", (e) => { if (e.data.size) chunks.push(e.data); });
    media.addEventListener("stop", () => {
      stream.getTracks().forEach((track) => track.stop());
      recorded = new Blob(chunks, {type: media.mimeType || "audio/webm"});
      playback.src = URL.createObjectURL(recorded);
      playback.hidden = false;
      send.disabled = false;
      start.disabled = false;
      say(d.stopped);
    });
    media.start(1000);
    began = Date.now();
    start.disabled = true; stop.disabled = false; send.disabled = true;
    timer = setInterval(() => {
      const seconds = (Date.now() - began) / 1000;
      say(d.recording + " " + clock(seconds));
      if (seconds >= Number(d.maxSeconds)) stop.click();
    }, 500);
  });

  stop.addEventListener("click", () => {
    clearInterval(timer);
    stop.disabled = true;
    if (media && media.state !== "inactive") media.stop();
  });

  const upload = async (blob, name) => {
    error.hidden = true;
    if (blob.size > Number(d.cap)) { fail(d.tooLarge); return; }
    say(d.sending);
    send.disabled = true;
    const response = await fetch(d.upload + "?ten=" + encodeURIComponent(name), {
      method: "POST", body: blob,
      headers: {"x-csrf-token": d.csrf, "content-type": blob.type || "application/octet-stream"}});
    if (response.ok) { window.location = (await response.json()).next; return; }
    say("");
    fail(await response.text());
    send.disabled = false;
  };
  send.addEventListener("click", () => {
    if (recorded) upload(recorded, "thu-am." + (recorded.type.includes("ogg") ? "ogg" : recorded.type.includes("mp4") ? "m4a" : "webm"));
  });
  $("gui-tep").addEventListener("submit", (e) => {     // sent as the body: refusals shown here
    e.preventDefault();
    if (file.files.length) upload(file.files[0], file.files[0].name); else fail(d.noFile);
  });
}

// An edit is never lost: leaving with unsaved changes asks first, and every change is kept in
// this browser (localStorage) until the form shows it saved; a kept draft is offered back.
function keepDraft(form) {
  const key = "broadcast-nhap:" + form.dataset.draft;
  const fields = () => Array.from(form.elements).filter((el) => el.name && el.name !== "csrf_token" &&
    el.name !== "version" && el.type !== "hidden" && el.type !== "submit" && el.type !== "button" && el.type !== "file");
  const values = () => {
    const out = {};
    fields().forEach((el) => {
      const id = el.id || el.name;
      out[id] = (el.type === "checkbox" || el.type === "radio") ? el.checked : el.value;
    });
    return out;
  };
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const unsaved = "unsaved" in form.dataset;      // a refused save came back: what the form shows is not saved
  const loaded = unsaved ? {} : values();
  let dirty = unsaved;
  let saved = null;
  try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
  if (saved && same(saved.values, values())) saved = null;          // the form shows it already
  if (saved && !unsaved) offer(saved);
  if (!saved && !unsaved) localStorage.removeItem(key);             // saved: the draft is done with
  if (unsaved) localStorage.setItem(key, JSON.stringify({at: Date.now(), values: values()}));

  form.addEventListener("input", () => {
    dirty = !same(values(), loaded);
    if (dirty) localStorage.setItem(key, JSON.stringify({at: Date.now(), values: values()}));
    else localStorage.removeItem(key);
  });
  form.addEventListener("change", () => form.dispatchEvent(new Event("input")));
  form.addEventListener("submit", () => { dirty = false; });      // the draft stays until the page shows it saved
  window.addEventListener("beforeunload", (e) => {
    if (!dirty) return;
    e.preventDefault();
    e.returnValue = "";
  });

  function offer(draft) {
    const box = document.createElement("div");
    box.className = "warning draft-offer";
    box.setAttribute("role", "alert");
    const when = new Date(draft.at);
    const two = (n) => String(n).padStart(2, "0");
    const text = document.createElement("p");
    text.textContent = form.dataset.draftOffer.replace("{time}",
      `${two(when.getHours())}:${two(when.getMinutes())} ${two(when.getDate())}/${two(when.getMonth() + 1)}/${when.getFullYear()}`);
    const restore = document.createElement("button");
    restore.type = "button";
    restore.className = "primary";
    restore.textContent = form.dataset.draftRestore;
    const discard = document.createElement("button");
    discard.type = "button";
    discard.textContent = form.dataset.draftDiscard;
    box.append(text, restore, " ", discard);
    form.before(box);
    restore.addEventListener("click", () => {
      fields().forEach((el) => {
        const value = draft.values[el.id || el.name];
        if (value === undefined) return;
        if (el.type === "checkbox" || el.type === "radio") el.checked = value; else el.value = value;
      });
      dirty = true;
      box.remove();
      form.querySelector("textarea, input:not([type=hidden])").focus();
    });
    discard.addEventListener("click", () => { localStorage.removeItem(key); box.remove(); });
  }
}

// "Nghe thử" of a long item: each request carries a new token, and once the player starts the
// page follows that render's progress (server-sent events) in the bar under the player. The
// words come from the server (the message catalog); the bar is full only once the audio is whole.
function followRender(player) {
  const box = document.getElementById("nghe-tien-do");
  const bar = document.getElementById("nghe-thanh");
  const words = document.getElementById("nghe-chu");
  const base = player.getAttribute("src");
  let token = null, followed = true, events = null;
  const fresh = (url) => {
    if (events) events.close();                 // a new request: the last one's progress is no longer shown
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    token = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    followed = false;
    player.src = url + "?tien-do=" + token;
  };
  player.addEventListener("play", () => {
    if (followed || !token) return;
    followed = true;
    events = new EventSource(player.dataset.progress + "?t=" + token);
    events.addEventListener("progress", (e) => {
      const state = JSON.parse(e.data);
      box.hidden = false;
      bar.value = state.percent;
      bar.textContent = state.percent + " %";
      words.textContent = state.text;
      if (state.stage === "done" || state.stage === "failed") e.target.close();
    });
  });
  player.addEventListener("ended", () => { if (followed) fresh(base); });   // the next play asks again
  fresh(base);
  return fresh;
}
