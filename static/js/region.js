/* When nothing tells the forum where a reader is (no setting, no region cookie, no
   country in the browser's languages), the banner shows the international directory.
   This sends the browser's time zone once and, if it lies in a country we have lines
   for, swaps in that country's banner. For a reader without an account it is a GET and
   nothing is stored; a member's page POSTs it once and their session keeps the answer.
   Without JavaScript the banner's own choice of region still works. */
(function () {
  "use strict";

  var banner = document.getElementById("crisis-support");
  if (!banner || banner.dataset.regionSource !== "unknown" || !window.fetch || !window.Intl) return;
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) return;

  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  var member = banner.dataset.member === "1" && token;
  var url = banner.dataset.guessUrl;
  var here = window.location.pathname + window.location.search;
  var request;
  if (member) {
    var data = new FormData();
    data.append("tz", zone);
    data.append("next", here);
    request = fetch(url, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": token.value, Accept: "application/json" },
    });
  } else {
    request = fetch(url + "?tz=" + encodeURIComponent(zone) + "&next=" + encodeURIComponent(here), {
      credentials: "same-origin", headers: { Accept: "application/json" },
    });
  }
  request
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (result) {
      if (!result || !result.changed || !result.banner_html) return;
      var template = document.createElement("template");
      template.innerHTML = result.banner_html.trim();  // our own server-rendered banner
      var fresh = template.content.firstElementChild;
      if (fresh && fresh.id === "crisis-support") banner.replaceWith(fresh);
    })
    .catch(function () { /* offline: the directory and the region choice stay */ });
})();
