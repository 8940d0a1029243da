/* The member's own socket (/ws/me/): keeps the inbox count in the header current, and
   hands every event to the page as a "forum:member-event" DOM event (a private message
   from the team, for static/js/modmail.js). Reconnects with backoff; the page works the
   same without it. */
(function () {
  "use strict";
  // Django's JavaScript catalog (/jsi18n/, loaded by base.html); plain English without it.
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (all, name) { return values[name]; });
  };
  var count = document.getElementById("inbox-count");
  if (!count || !("WebSocket" in window)) return;
  var attempt = 0;

  var menuCount = document.getElementById("menu-count");
  var menuNumber = document.getElementById("menu-count-n");

  function show(n) {
    count.textContent = interpolate(ngettext("(%(n)s new)", "(%(n)s new)", n), { n: n }, true);
    count.hidden = !n;
    if (menuCount && menuNumber) {  // the phone menu's badge says the same
      menuNumber.textContent = n;
      menuCount.hidden = !n;
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/me/");
    socket.addEventListener("open", function () { attempt = 0; });
    socket.addEventListener("message", function (message) {
      var data = JSON.parse(message.data);
      if (data.type === "inbox.unread") show(data.count);
      document.dispatchEvent(new CustomEvent("forum:member-event", { detail: data }));
    });
    socket.addEventListener("close", function (event) {
      if (event.code === 4403) return;  // signed out: nothing to listen for
      var ceiling = Math.min(30000, 1000 * Math.pow(2, attempt));
      attempt += 1;
      window.setTimeout(connect, ceiling / 2 + Math.random() * ceiling / 2);
    });
  }
  connect();
})();
