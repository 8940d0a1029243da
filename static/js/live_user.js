/* The member's own socket (/ws/me/): keeps the inbox count in the header current, and
   hands every event to the page as a "forum:member-event" DOM event (a private message
   from the team, for static/js/modmail.js). Reconnects with backoff; the page works the
   same without it. */
(function () {
  "use strict";
  var count = document.getElementById("inbox-count");
  if (!count || !("WebSocket" in window)) return;
  var attempt = 0;

  function show(n) {
    count.textContent = "(" + n + " new)";
    count.hidden = !n;
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
