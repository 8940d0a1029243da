/* Supportive reactions without a page reload.
 *
 * A post carries only the reactions someone gave, and "React": a link to the post's
 * reaction page, which is what readers without JavaScript get. Here "React" adds the
 * other buttons in place instead, cloned from the page's one <template id="reaction-buttons">
 * (its post id is a stand-in). Every button belongs to the page's one form
 * (#reaction-form, holding the CSRF token) and posts to its own post's URL: a plain form
 * post without JavaScript, fetch here. Counts sent to the thread's socket
 * (reaction.updated, counts only) keep every reader's page current, adding a count that
 * the page did not show yet. static/js/thread.js hands over the counts of a live post
 * whose controls it replaced, perhaps before the post is on the page ("reactions:show").
 */
(function () {
  "use strict";
  var gettext = window.gettext || function (text) { return text; };  // Django's JavaScript catalog (/jsi18n/)

  var choices = document.getElementById("reaction-buttons");
  var thread = document.getElementById("thread");
  var standIn = thread && thread.dataset.standIns ? thread.dataset.standIns.split(" ")[0] : "";
  var kinds = choices
    ? Array.prototype.map.call(choices.content.querySelectorAll("[data-kind]"), function (b) { return b.dataset.kind; })
    : [];

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // A new element for this post's reaction: a button for a reader who may react
  // (their post's reactions have "React"), otherwise the label with its count.
  function reactionFor(container, kind) {
    var model = choices && choices.content.querySelector('[data-kind="' + kind + '"]');
    if (!model) return null;
    var button = model.cloneNode(true);
    if (container.querySelector(".reaction-more")) {
      button.setAttribute("formaction", button.getAttribute("formaction").split(standIn).join(container.dataset.postId));
      return button;
    }
    var label = document.createElement("span");
    label.className = "reaction reaction-" + kind;
    label.dataset.kind = kind;
    label.appendChild(document.createTextNode(button.firstChild.textContent));
    label.appendChild(button.querySelector(".reaction-count"));
    return label;
  }

  // Into its place among the others, in the order the template gives them.
  function place(container, element) {
    var later = kinds.slice(kinds.indexOf(element.dataset.kind) + 1);
    var next = null;
    for (var i = 0; i < later.length && !next; i += 1) {
      next = container.querySelector(':scope > [data-kind="' + later[i] + '"]');
    }
    container.insertBefore(element, next || container.querySelector(":scope > .reaction-more"));
  }

  function showCountsIn(container, counts) {
    Object.keys(counts).forEach(function (kind) {
      var element = container.querySelector('[data-kind="' + kind + '"]');
      if (!element) {
        if (!counts[kind]) return;
        element = reactionFor(container, kind);
        if (!element) return;
        place(container, element);
      }
      var count = element.querySelector(".reaction-count");
      if (!count) return;
      count.textContent = counts[kind];
      count.hidden = !counts[kind];
      if (element.tagName === "SPAN") element.hidden = !counts[kind];
    });
  }

  function showCounts(postId, counts) {
    document.querySelectorAll('.reactions[data-post-id="' + postId + '"]').forEach(function (container) {
      showCountsIn(container, counts);
    });
  }

  /* "React": the reactions not given yet, in place of the reaction page. */
  document.addEventListener("click", function (event) {
    var more = event.target.closest && event.target.closest(".reactions .reaction-more");
    if (!more || !choices) return;
    event.preventDefault();
    var container = more.closest(".reactions");
    var open = !container.classList.contains("is-open");
    if (open) {
      kinds.forEach(function (kind) {
        if (!container.querySelector('[data-kind="' + kind + '"]')) place(container, reactionFor(container, kind));
      });
    }
    container.classList.toggle("is-open", open);
    more.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      var hidden = container.querySelector("button.reaction .reaction-count[hidden]");
      if (hidden) hidden.closest("button").focus();
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".reactions button[name=kind]");
    if (!button || !button.form) return;
    event.preventDefault();
    // Not `disabled`: a disabled button loses keyboard focus to the page body. A busy
    // button ignores further clicks until the answer comes, and keeps its focus.
    if (button.getAttribute("aria-busy") === "true") return;
    var body = new FormData();
    body.append("kind", button.value);
    button.setAttribute("aria-busy", "true");
    fetch(button.formAction, {
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
      .catch(function () { button.form.requestSubmit ? button.form.requestSubmit(button) : button.form.submit(); })
      .finally(function () {
        button.removeAttribute("aria-busy");
        if (document.activeElement === document.body && document.body.contains(button)) button.focus();
      });
  });

  document.addEventListener("thread:event", function (event) {
    var data = event.detail;
    if (data && data.type === "reaction.updated") showCounts(data.post_id, data.counts);
  });
  document.addEventListener("reactions:show", function (event) {
    showCountsIn(event.detail.container, event.detail.counts);
  });
})();
