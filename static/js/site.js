/* On every page: the phone menu, quick exit, local and relative times, and folding
 * away live posts of members the reader blocked. No build step, no dependencies, no
 * inline script: everything is found by class or data attribute.
 * Without it the page still works: the menu is open (css/nojs.css), times are absolute
 * UTC, and Quick exit is a plain link.
 */
(function () {
  "use strict";
  // Django's JavaScript catalog (/jsi18n/, loaded by base.html); plain English without it.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (all, name) { return values[name]; });
  };

  /* ---- The phone menu ------------------------------------------------------------ */

  var toggle = document.querySelector(".menu-toggle");
  var menu = document.getElementById("site-menu");
  if (toggle && menu) {
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
      if (open) {
        var first = menu.querySelector("input, a, button");
        if (first) first.focus();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.classList.contains("is-open")) {
        menu.classList.remove("is-open");
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    });
  }

  /* ---- Quick exit: the button, or Esc three times within two seconds --------------- */

  var exitUrl = document.body.dataset.quickExit;

  function leave() {
    // replace(): the forum's page is not left behind as the "back" page.
    try { document.title = ""; document.body.hidden = true; } catch (e) { /* leave anyway */ }
    window.location.replace(exitUrl);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.quick-exit");
    if (!link || !exitUrl) return;
    event.preventDefault();
    leave();
  });

  var escapes = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !exitUrl) return;
    var now = Date.now();
    escapes = escapes.filter(function (time) { return now - time < 2000; });
    escapes.push(now);
    if (escapes.length >= 3) leave();
  });

  /* ---- Times: local and relative, with the full local date on hover ---------------- */

  // In the page's language (<html lang>), not only the browser's: a French page says
  // "il y a 5 min" and "30 nov." even in an English browser.
  var MINUTE = 60 * 1000, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
  var locale = document.documentElement.lang || undefined;
  var longFormat = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short" });
  var shortDate = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short" });
  var shortDateYear = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric" });
  var ago = Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(locale, { numeric: "auto", style: "short" }) : null;

  function relative(date, now) {
    var since = now - date.getTime();
    if (since < MINUTE) return gettext("just now");
    if (ago && since < HOUR) return ago.format(-Math.floor(since / MINUTE), "minute");
    if (ago && since < DAY) return ago.format(-Math.floor(since / HOUR), "hour");
    if (ago && since < 7 * DAY) return ago.format(-Math.floor(since / DAY), "day");
    return (date.getFullYear() === new Date(now).getFullYear() ? shortDate : shortDateYear).format(date);
  }

  function showTimes(root) {
    var now = Date.now();
    (root || document).querySelectorAll("time[datetime]").forEach(function (time) {
      var date = new Date(time.getAttribute("datetime"));
      if (isNaN(date.getTime()) || time.getAttribute("datetime").length < 11) return;  // a date alone
      time.textContent = relative(date, now);
      time.title = longFormat.format(date);
    });
  }

  showTimes(document);
  window.setInterval(function () { showTimes(document); }, MINUTE);

  /* ---- Posts that arrive live: their times, and folding away blocked authors -------- */

  var thread = document.getElementById("thread");
  var blocked = thread && thread.dataset.blockedAuthors ? thread.dataset.blockedAuthors.split(" ") : [];

  function foldBlocked(article) {
    if (!blocked.length || blocked.indexOf(article.dataset.authorId) === -1) return;
    if (article.querySelector(".blocked-post")) return;
    var body = article.querySelector(".content-warning") || article.querySelector(".post-body");
    if (!body) return;
    var details = document.createElement("details");
    details.className = "blocked-post";
    var summary = document.createElement("summary");
    var author = article.querySelector(".author");
    summary.textContent = author
      ? interpolate(gettext("You blocked %(name)s. Show this post"), { name: author.textContent.trim() }, true)
      : gettext("You blocked this member. Show this post");
    details.appendChild(summary);
    body.replaceWith(details);
    details.appendChild(body);
  }

  if (window.MutationObserver) {
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) {
          if (node.nodeType !== 1) return;
          showTimes(node);
          var articles = node.matches("article.post") ? [node] : node.querySelectorAll("article.post");
          Array.prototype.forEach.call(articles, foldBlocked);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  window.forumSite = { relativeTime: relative };
})();
