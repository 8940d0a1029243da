// The crisis responders' live queue and crisis alerts, over /ws/moderation/. Every event
// is also handed to the page as a "forum:moderation-event" DOM event (private messages,
// for static/js/modmail.js). Without JavaScript the queue still works: it is an ordinary page.
(function () {
  "use strict";
  var list = document.getElementById("queue-list");
  var alerts = document.getElementById("moderation-alerts");
  var retry = 1000;

  var t = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var csrf = document.getElementById("queue-csrf");

  function rowFrom(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    var row = template.content.firstElementChild;
    // Rows sent live are rendered without a request: the page gives them its form token.
    if (csrf) row.querySelectorAll(".row-csrf").forEach(function (input) { input.value = csrf.value; });
    return row;
  }

  // Keep the server's order: priority first, then oldest.
  function insertRow(row) {
    var priority = Number(row.dataset.priority), created = Number(row.dataset.created);
    var rows = list.querySelectorAll(".queue-item");
    for (var i = 0; i < rows.length; i++) {
      var p = Number(rows[i].dataset.priority), c = Number(rows[i].dataset.created);
      if (priority > p || (priority === p && created < c)) { list.insertBefore(row, rows[i]); return; }
    }
    list.appendChild(row);
  }

  function refreshCount() {
    var count = list.querySelectorAll(".queue-item").length;
    var counter = document.getElementById("queue-count");
    if (counter) counter.textContent = String(count);
    var empty = document.getElementById("queue-empty");
    if (empty) empty.hidden = count > 0;
  }

  function onEvent(event) {
    if (list && (event.type === "moderation.item_added" || event.type === "moderation.item_changed")) {
      var existing = document.getElementById("item-" + event.item_id);
      var row = rowFrom(event.html);
      if (existing) {
        // Keep what the moderator was doing with the row: its tick, its reason, its place.
        var tick = existing.querySelector(".bulk-tick"), newTick = row.querySelector(".bulk-tick");
        if (tick && newTick) newTick.checked = tick.checked;
        var reason = existing.querySelector(".row-reason input"), newReason = row.querySelector(".row-reason input");
        if (reason && newReason) newReason.value = reason.value;
        if (existing.classList.contains("is-current")) row.classList.add("is-current");
        existing.replaceWith(row);
      } else { row.classList.add("is-new"); insertRow(row); }
      refreshCount();
    } else if (list && event.type === "moderation.item_resolved") {
      var gone = document.getElementById("item-" + event.item_id);
      if (gone) gone.remove();
      refreshCount();
    } else if (event.type === "moderation.crisis_alert" && alerts) {
      var box = document.createElement("div");
      box.className = "crisis-alert";
      var text = document.createElement("p");
      text.textContent = interpolate(event.escalated ? t("Still waiting: a member may be at risk, in “%s”. ")
        : t("Urgent: a member may be at risk, in “%s”. "), [event.title]);
      var link = document.createElement("a");
      link.href = event.url;
      link.textContent = t("Open the item");
      text.appendChild(link);
      if (event.guide_url) {
        text.appendChild(document.createTextNode(" · "));
        var guide = document.createElement("a");
        guide.href = event.guide_url;
        guide.textContent = t("the moderators' guide");
        text.appendChild(guide);
      }
      var close = document.createElement("button");
      close.type = "button";
      close.className = "link-button";
      close.textContent = t("Dismiss this alert");
      close.addEventListener("click", function () { box.remove(); });
      box.appendChild(text);
      box.appendChild(close);
      alerts.appendChild(box);
    }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/ws/moderation/");
    socket.onopen = function () { retry = 1000; };
    socket.onmessage = function (message) {
      var data;
      try { data = JSON.parse(message.data); } catch (error) { return; /* ignore a malformed frame */ }
      onEvent(data);
      document.dispatchEvent(new CustomEvent("forum:moderation-event", { detail: data }));
    };
    socket.onclose = function (event) {
      if (event.code === 4401 || event.code === 4403) return;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }
  if ("WebSocket" in window) connect();

  function interpolate(text, values) {
    if (window.interpolate) return window.interpolate(text, values);
    return text.replace("%s", values[0]);
  }

  if (!list) return;

  // Row actions without leaving the page: the form posts as it would, and the row goes
  // when the server says it is done (every moderator's queue drops it live too).
  list.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("row-actions") || !window.fetch) return;
    event.preventDefault();
    var button = event.submitter || form.querySelector("button[type=submit]");
    var action = (button && button.getAttribute("formaction")) || form.getAttribute("action");
    var row = form.closest(".queue-item");
    var status = row.querySelector(".row-status");
    if (!status) {
      status = document.createElement("p");
      status.className = "row-status";
      status.setAttribute("role", "status");
      form.appendChild(status);
    }
    status.textContent = t("Working…");
    fetch(action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        if (response.ok && response.redirected) {
          status.textContent = t("Done.");
          return fetch(location.href, { credentials: "same-origin" }).then(function (page) { return page.text(); })
            .then(function (html) {
              var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(row.id);
              if (fresh) row.replaceWith(rowFrom(fresh.outerHTML)); else row.remove();
              refreshCount();
            });
        }
        return response.text().then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var error = page.querySelector(".errorlist li, .form-errors li, .error-page p");
          status.textContent = error ? error.textContent : t("That did not work. Open the item to try again.");
          status.classList.add("is-error");
        });
      })
      .catch(function () {
        status.textContent = t("The connection dropped. Nothing was changed; please try again.");
        status.classList.add("is-error");
      });
  });

  // Unfolding distressing text in a row counts toward the moderator's shift, as opening
  // the item does; the panel says so, and suggests a break when it is time.
  list.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.open || !details.dataset || !details.dataset.openedUrl || details.dataset.counted) return;
    details.dataset.counted = "1";
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf ? csrf.value : "");
    fetch(details.dataset.openedUrl, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (shift) {
        if (!shift) return;
        var count = document.getElementById("shift-count");
        if (count) {
          count.textContent = interpolate(ngettext("You have opened %s distressing item this shift.",
            "You have opened %s distressing items this shift.", shift.opened), [shift.opened]);
        }
        var suggestion = document.getElementById("break-suggestion");
        if (suggestion) suggestion.hidden = !shift.suggest_break;
        var panel = document.getElementById("shift-panel");
        if (panel) panel.classList.toggle("suggest-break", shift.suggest_break);
      })
      .catch(function () { /* the count catches up when the page is next opened */ });
  }, true);

  // Keyboard shortcuts: j/k move, o opens, a approves (or disagrees), h hides (type the
  // reason, then Enter), x ticks for a bulk action, ? shows the help.
  function rows() { return Array.prototype.slice.call(list.querySelectorAll(".queue-item")); }
  function current() { return list.querySelector(".queue-item.is-current"); }
  function select(row) {
    var was = current();
    if (was) was.classList.remove("is-current");
    if (!row) return;
    row.classList.add("is-current");
    row.focus();
    row.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      if (event.key === "Escape") { target.blur(); var row = current(); if (row) row.focus(); }
      return;
    }
    var all = rows(), row = current(), index = all.indexOf(row);
    var help = document.getElementById("shortcut-help");
    switch (event.key) {
      case "j": select(all[Math.min(index + 1, all.length - 1)] || all[0]); break;
      case "k": select(all[Math.max(index - 1, 0)] || all[0]); break;
      case "o": if (row) { var link = row.querySelector(".queue-item-link"); if (link) link.click(); } break;
      case "a": if (row) { var approve = row.querySelector("[data-key=a]"); if (approve) approve.click(); } break;
      case "h":
        if (row) {
          var reason = row.querySelector(".row-reason input");
          if (reason) { event.preventDefault(); reason.focus(); }
        }
        break;
      case "x": if (row) { var tick = row.querySelector(".bulk-tick"); if (tick) tick.checked = !tick.checked; } break;
      case "?": if (help) { help.open = !help.open; if (help.open) help.querySelector("summary").focus(); } break;
      default: return;
    }
  });
})();
