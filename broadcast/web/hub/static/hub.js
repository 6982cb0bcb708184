// The bulletin's page stays current: every few seconds its live part is fetched again from
// data-refresh and swapped in when it changed (no library, no CDN).
(function () {
  "use strict";
  var box = document.querySelector("[data-refresh]");
  if (!box) { return; }
  var last = box.innerHTML;
  function refresh() {
    fetch(box.getAttribute("data-refresh"), {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html && html !== last) { last = html; box.innerHTML = html; } })
      .catch(function () {})
      .then(function () { setTimeout(refresh, 3000); });
  }
  setTimeout(refresh, 3000);
})();
