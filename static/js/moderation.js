// The crisis responders' live queue and crisis alerts, over /ws/moderation/. Every event
// is also handed to the page as a "forum:moderation-event" DOM event (private messages,
// for static/js/modmail.js). Without JavaScript the queue still works: it is an ordinary page.
(function () {
  "use strict";
  var list = document.getElementById("queue-list");
  var alerts = document.getElementById("moderation-alerts");
  var retry = 1000;

  function rowFrom(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
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
      if (existing) existing.replaceWith(row); else { row.classList.add("is-new"); insertRow(row); }
      refreshCount();
    } else if (list && event.type === "moderation.item_resolved") {
      var gone = document.getElementById("item-" + event.item_id);
      if (gone) gone.remove();
      refreshCount();
    } else if (event.type === "moderation.crisis_alert" && alerts) {
      var box = document.createElement("div");
      box.className = "crisis-alert";
      var text = document.createElement("p");
      text.textContent = (event.escalated ? "Still waiting: " : "Urgent: ") +
        "a member may be at risk, in “" + event.title + "”. ";
      var link = document.createElement("a");
      link.href = event.url;
      link.textContent = "Open the item";
      text.appendChild(link);
      if (event.guide_url) {
        text.appendChild(document.createTextNode(" · "));
        var guide = document.createElement("a");
        guide.href = event.guide_url;
        guide.textContent = "the moderators' guide";
        text.appendChild(guide);
      }
      var close = document.createElement("button");
      close.type = "button";
      close.className = "link-button";
      close.textContent = "Dismiss this alert";
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
})();
