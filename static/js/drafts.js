/* The composer people can trust: what they write is kept on the server as they type
 * (forum/drafts.py), it comes back on reload, after confirming their email and on
 * another device, and it goes only on purpose (sent, or "Discard draft", which asks).
 * Also: Preview in place. Listens on the document, so the inline reply forms that
 * thread.js adds are kept too. Without JavaScript: Preview is a plain submit, and the
 * server keeps the draft of a post it refuses or holds for email confirmation.
 */
(function () {
  "use strict";
  var gettext = window.gettext || function (text) { return text; };  // Django's JavaScript catalog (/jsi18n/)
  var pgettext = window.pgettext || function (context, text) { return text; };

  function escapeText(text) {  // a translation is text, never markup
    var span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  var SAVE_DELAY = 800;  // ms after the last change
  var SAVE_URL = "/drafts/save/";
  var timers = new WeakMap();
  var saved = new WeakMap();  // the form's content as last saved

  function keyOf(form) {
    if (form.dataset.draftKey) return form.dataset.draftKey;
    if (!form.dataset.draftThread) return null;
    var parent = form.querySelector("input[name=parent]");
    return "reply:" + form.dataset.draftThread + (parent && parent.value ? ":" + parent.value : "");
  }

  function composer(target) {
    var form = target && target.closest && target.closest("form");
    return form && keyOf(form) ? form : null;
  }

  function value(form, name) {
    var field = form.querySelector("[name=" + name + "]");
    return field ? field.value : "";
  }

  function contentOf(form) {
    return {
      key: keyOf(form),
      title: value(form, "title"),
      body: value(form, "body"),
      content_warning_0: value(form, "content_warning_0"),
      content_warning_1: value(form, "content_warning_1"),
    };
  }

  function csrf(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]") || document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function payload(form) {
    var data = new FormData();
    var content = contentOf(form);
    Object.keys(content).forEach(function (name) { data.append(name, content[name]); });
    data.append("csrfmiddlewaretoken", csrf(form));
    return data;
  }

  function status(form, text) {
    var box = form.querySelector(".draft-status");
    if (box) box.textContent = text;
  }

  function discardForm(key) {
    return document.querySelector('form.discard-draft[data-draft-key="' + key + '"]');
  }

  function save(form) {
    clearTimeout(timers.get(form));
    timers.delete(form);
    var content = JSON.stringify(contentOf(form));
    if (saved.get(form) === content) return;
    fetch(SAVE_URL, {
      method: "POST", body: payload(form), credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrf(form) },
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (!result.ok) {
        status(form, result.data.error || gettext("Your draft couldn't be saved just now. Your text is still here."));
        return;
      }
      saved.set(form, content);
      status(form, result.data.saved ? gettext("Draft saved") : "");
      var discard = discardForm(keyOf(form));
      if (discard) discard.hidden = !result.data.saved;
    }).catch(function () {
      status(form, gettext("Offline: your draft will be saved when you're back. Your text is still here."));
    });
  }

  document.addEventListener("input", function (event) {
    var form = composer(event.target);
    if (!form) return;
    clearTimeout(timers.get(form));
    timers.set(form, setTimeout(function () { save(form); }, SAVE_DELAY));
  });
  document.addEventListener("change", function (event) {
    var form = composer(event.target);
    if (form && event.target.matches("select")) save(form);
  });

  // Sending: the server lets the draft go once the post is in. Nothing may save it again.
  document.addEventListener("submit", function (event) {
    var form = composer(event.target);
    if (form && !(event.submitter && event.submitter.name === "preview")) {
      clearTimeout(timers.get(form));
      timers.delete(form);
      saved.set(form, JSON.stringify(contentOf(form)));
    }
  }, true);

  // Leaving with a save still waiting: send it on the way out.
  window.addEventListener("pagehide", function () {
    document.querySelectorAll("form[data-draft-key], form[data-draft-thread]").forEach(function (form) {
      if (timers.has(form) && navigator.sendBeacon) {
        clearTimeout(timers.get(form));
        navigator.sendBeacon(SAVE_URL, payload(form));
      }
    });
  });

  /* ---- Discarding, only on purpose ------------------------------------------------ */

  function discard(key, form) {
    var data = new FormData();
    data.append("key", key);
    data.append("csrfmiddlewaretoken", csrf(form || document));
    return fetch("/drafts/discard/", {
      method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" },
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.discard-draft")) return;
    event.preventDefault();
    if (!window.confirm(gettext("Discard your draft? What you wrote will be deleted, here and on your other devices."))) return;
    var key = form.dataset.draftKey;
    discard(key, form).then(function () {
      form.hidden = true;
      document.querySelectorAll("form[data-draft-key], form[data-draft-thread]").forEach(function (composerForm) {
        if (keyOf(composerForm) !== key) return;
        composerForm.querySelectorAll("textarea, input[type=text], input:not([type])").forEach(function (field) { field.value = ""; });
        composerForm.querySelectorAll("select").forEach(function (field) { field.selectedIndex = 0; });
        saved.delete(composerForm);
        status(composerForm, gettext("Draft discarded"));
        var body = composerForm.querySelector("textarea");
        if (body) body.focus();
      });
    });
  });

  // thread.js's inline reply "Cancel", once the member said yes.
  document.addEventListener("draft:discard", function (event) {
    var form = event.detail && event.detail.form;
    if (!form || !keyOf(form)) return;
    clearTimeout(timers.get(form));
    timers.delete(form);
    discard(keyOf(form), form);
  });

  /* ---- An inline reply opens: bring back its draft -------------------------------- */

  function restore(form) {
    var key = keyOf(form);
    var body = form.querySelector("textarea[name=body]");
    if (!key || !body || body.value) return;
    fetch("/drafts/?key=" + encodeURIComponent(key), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (draft) {
        if (!draft || !draft.exists || body.value) return;
        body.value = draft.body;
        var choice = form.querySelector("[name=content_warning_0]");
        var other = form.querySelector("[name=content_warning_1]");
        if (choice) choice.value = draft.content_warning_choice;
        if (other) other.value = draft.content_warning_other;
        saved.set(form, JSON.stringify(contentOf(form)));
        status(form, gettext("Your unfinished reply is back."));
      })
      .catch(function () { /* nothing to bring back */ });
  }

  if (window.MutationObserver) {
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) {
          if (node.nodeType !== 1) return;
          var forms = node.matches("form[data-draft-thread]") ? [node] : node.querySelectorAll("form[data-draft-thread]");
          Array.prototype.forEach.call(forms, function (form) {
            if (form.closest(".inline-reply")) restore(form);
          });
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  /* ---- Preview in place ------------------------------------------------------------ */

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.preview-button");
    if (!button) return;
    var form = button.closest("form");
    event.preventDefault();
    var data = new FormData();
    data.append("body", value(form, "body"));
    fetch("/preview/", {
      method: "POST", body: data, credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrf(form) },
    }).then(function (response) { return response.ok ? response.json() : null; }).then(function (result) {
      if (!result) return;
      var pane = form.querySelector(".preview-pane");
      if (!pane) {
        pane = document.createElement("div");
        pane.className = "preview-pane";
        var field = form.querySelector("textarea[name=body]").closest(".field");
        field.after(pane);
      }
      // Our server's sanitized rendering (forum/markup.py), never the raw text.
      pane.innerHTML = "<h3>" + escapeText(pgettext("heading", "Preview")) + "</h3>" + (result.html ? '<div class="post-body" translate="no">' + result.html + "</div>" : '<p class="meta">' + escapeText(gettext("Nothing to preview yet.")) + "</p>");
      pane.setAttribute("tabindex", "-1");
      pane.focus();
    }).catch(function () { form.requestSubmit ? form.requestSubmit(button) : form.submit(); });
  });
})();
