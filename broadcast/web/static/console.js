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

  const recorder = document.getElementById("thu-am");
  if (recorder) setUpRecorder(recorder);

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
