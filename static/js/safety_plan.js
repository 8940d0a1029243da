/* The safety plan's two conveniences: a Print button and "Copy the text". Both buttons
   stay hidden without JavaScript; the browser's own Print command and selecting the text
   do the same. */
(function () {
  "use strict";
  var gettext = window.gettext || function (text) { return text; };

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.dataset.copy);
    var status = button.parentElement.querySelector(".copy-status");
    if (!source || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(function () {
        if (status) status.textContent = gettext("Copied. Paste it wherever you want to share it.");
      }, function () {
        source.select();
        if (status) status.textContent = gettext("Select the text and copy it with your keyboard.");
      });
    });
  });
})();
