/* While someone writes a post, a gentle check of the draft: if it suggests they may be
   struggling, a note with their crisis lines appears under the text box. It never
   stops anyone posting, and without JavaScript nothing is lost (the lines are in the
   banner on every page). Listens on the document only, so forms that other scripts
   add or replace (thread.js's inline replies) are checked too. */
(function () {
  "use strict";

  var DELAY = 1200; // ms after the last keystroke
  var MIN_LENGTH = 12;
  var timers = new WeakMap();
  var lastChecked = new WeakMap();

  function formFor(target) {
    if (!target || !target.matches || !target.matches("textarea[name=body], input[name=title]")) return null;
    var form = target.closest("form[data-crisis-check]");
    return form || null;
  }

  function draftOf(form) {
    var title = form.querySelector("input[name=title]");
    var body = form.querySelector("textarea[name=body]");
    return ((title ? title.value + "\n" : "") + (body ? body.value : "")).trim();
  }

  function noteBox(form) {
    var box = form.querySelector(".compose-support");
    if (!box) {
      box = document.createElement("div");
      box.className = "compose-support";
      box.setAttribute("aria-live", "polite");
      var body = form.querySelector("textarea[name=body]");
      var field = body && body.closest(".field");
      (field || form.querySelector("button[type=submit]")).after(box);
    }
    return box;
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function check(form) {
    var text = draftOf(form);
    if (text === lastChecked.get(form)) return;
    lastChecked.set(form, text);
    if (text.length < MIN_LENGTH) {
      var existing = form.querySelector(".compose-support");
      if (existing) existing.innerHTML = "";
      return;
    }
    var data = new FormData();
    data.append("text", text);
    // A reply says what it answers, so a reply to someone at risk is checked as the server will.
    var parent = form.querySelector("input[name=parent]");
    if (form.dataset.thread) data.append("thread", form.dataset.thread);
    if (parent && parent.value) data.append("parent", parent.value);
    fetch(form.dataset.crisisCheck, {
      method: "POST",
      body: data,
      headers: { "X-CSRFToken": csrfToken(form), Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (result) {
        if (!result || draftOf(form) !== text) return; // a newer draft will be checked
        // The note is our own server-rendered template, never the member's text.
        noteBox(form).innerHTML = result.note_html || "";
      })
      .catch(function () { /* offline: the banner still shows the lines */ });
  }

  document.addEventListener("reset", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-crisis-check]")) return;
    lastChecked.delete(form);
    var box = form.querySelector(".compose-support");
    if (box) box.innerHTML = "";
  });

  document.addEventListener("input", function (event) {
    var form = formFor(event.target);
    if (!form) return;
    clearTimeout(timers.get(form));
    timers.set(form, setTimeout(function () { check(form); }, DELAY));
  });
})();
