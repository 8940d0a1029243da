/* Supportive reactions without a page reload. The buttons are a plain form that works
   without JavaScript; here the same form goes by fetch, and counts sent to the thread's
   socket (reaction.updated, counts only) keep every reader's page current. */
(function () {
  "use strict";
  var gettext = window.gettext || function (text) { return text; };  // Django's JavaScript catalog (/jsi18n/)

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function showCounts(postId, counts) {
    document.querySelectorAll('.reactions[data-post-id="' + postId + '"]').forEach(function (form) {
      Object.keys(counts).forEach(function (kind) {
        var button = form.querySelector('[data-kind="' + kind + '"]');
        if (!button) return;
        var count = button.querySelector(".reaction-count");
        if (!count) return;
        count.textContent = counts[kind];
        count.hidden = !counts[kind];
      });
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".reactions button[name=kind]");
    if (!button) return;
    var form = button.closest("form");
    event.preventDefault();
    // Not `disabled`: a disabled button loses keyboard focus to the page body. A busy
    // button ignores further clicks until the answer comes, and keeps its focus.
    if (button.getAttribute("aria-busy") === "true") return;
    var body = new FormData();
    body.append("kind", button.value);
    button.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
    })
      .then(function (response) {
        if (response.redirected && response.url.indexOf("/accounts/login/") !== -1) {
          window.location.href = response.url;
          return null;
        }
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        if (!result) return;
        if (!result.ok) {
          var note = document.getElementById("live-announcer");
          if (note) note.textContent = result.data.error || gettext("That didn't work. Please try again.");
          window.alert(result.data.error || gettext("That didn't work. Please try again."));
          return;
        }
        button.setAttribute("aria-pressed", result.data.given ? "true" : "false");
        showCounts(result.data.post_id, result.data.counts);
      })
      .catch(function () { form.requestSubmit ? form.requestSubmit(button) : form.submit(); })
      .finally(function () {
        button.removeAttribute("aria-busy");
        if (document.activeElement === document.body && document.body.contains(button)) button.focus();
      });
  });

  document.addEventListener("thread:event", function (event) {
    var data = event.detail;
    if (data && data.type === "reaction.updated") showCounts(data.post_id, data.counts);
  });
})();
