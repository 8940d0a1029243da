/* A private conversation between the team and a member, live: a new message appears in
   place on the member's page (through static/js/live_user.js, /ws/me/) and on the team's
   (through static/js/moderation.js, /ws/moderation/). The team also hears, on any page,
   when a member writes. Without JavaScript the pages work the same, on reload. */
(function () {
  "use strict";
  // Django's JavaScript catalog (/jsi18n/, loaded by base.html); plain English without it.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (all, name) { return values[name]; });
  };
  var thread = document.getElementById("conversation");
  var current = thread ? Number(thread.dataset.conversationId) : null;

  function fromHtml(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function onMessage(data) {
    if (!data || data.type !== "modmail.message") return;
    if (thread && data.conversation_id === current) {
      if (!document.getElementById("message-" + data.message_id)) {
        var item = fromHtml(data.html);
        item.classList.add("is-new");
        thread.appendChild(item);
      }
      return;
    }
    var alerts = document.getElementById("moderation-alerts");
    if (alerts && data.url && !data.from_team) {
      var box = document.createElement("div");
      box.className = "crisis-alert modmail-alert";
      var text = document.createElement("p");
      text.textContent = interpolate(gettext("%(name)s wrote to the team."), { name: data.member }, true) + " ";
      var link = document.createElement("a");
      link.href = data.url;
      link.textContent = gettext("Read it");
      text.appendChild(link);
      var close = document.createElement("button");
      close.type = "button";
      close.className = "link-button";
      close.textContent = gettext("Dismiss");
      close.addEventListener("click", function () { box.remove(); });
      box.appendChild(text);
      box.appendChild(close);
      alerts.appendChild(box);
    }
  }

  document.addEventListener("forum:member-event", function (event) { onMessage(event.detail); });
  document.addEventListener("forum:moderation-event", function (event) { onMessage(event.detail); });
})();
