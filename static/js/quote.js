/* Quote a passage: select some words of a post and a "Quote" button appears by the
 * selection; it opens a reply to that post (thread.js's inline reply) with the words as a
 * Markdown quote, ready to answer. Only on pages where the reader may reply.
 */
(function () {
  "use strict";
  var gettext = window.gettext || function (text) { return text; };  // Django's JavaScript catalog (/jsi18n/)

  var button = document.createElement("button");
  button.type = "button";
  button.className = "quote-button";
  button.textContent = gettext("Quote");
  button.hidden = true;
  document.body.appendChild(button);
  var chosen = null;  // {postId, text}

  function selected() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    var range = selection.getRangeAt(0);
    var node = range.commonAncestorContainer;
    var element = node.nodeType === 1 ? node : node.parentElement;
    var body = element && element.closest(".post-body");
    var article = body && body.closest("article.post");
    var text = selection.toString().trim();
    if (!article || !text) return null;
    if (!article.querySelector(".post-actions a.reply-link")) return null;  // no reply there
    return { postId: article.dataset.postId, text: text, rect: range.getBoundingClientRect() };
  }

  function update() {
    chosen = selected();
    if (!chosen) {
      button.hidden = true;
      return;
    }
    button.style.left = Math.max(8, window.scrollX + chosen.rect.left) + "px";
    button.style.top = (window.scrollY + chosen.rect.bottom + 6) + "px";
    button.hidden = false;
  }

  document.addEventListener("selectionchange", function () {
    window.clearTimeout(update.timer);
    update.timer = window.setTimeout(update, 120);
  });

  button.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep the selection
  button.addEventListener("click", function () {
    if (!chosen) return;
    var quote = chosen.text.split(/\r?\n/).map(function (line) { return "> " + line; }).join("\n") + "\n\n";
    var postId = chosen.postId;
    var link = document.querySelector('#post-' + postId + ' .post-actions a.reply-link');
    button.hidden = true;
    if (!link) return;
    link.click();  // thread.js opens (or focuses) the inline reply under the post
    var textarea = document.querySelector("#inline-reply-" + postId + " textarea");
    if (!textarea) {
      window.location.assign(link.href);  // no inline replies here: the reply page
      return;
    }
    var before = textarea.value && !/\n\n$/.test(textarea.value) ? textarea.value.replace(/\n*$/, "\n\n") : textarea.value;
    textarea.value = before + quote;
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));  // drafts.js keeps it
    window.getSelection().removeAllRanges();
  });
})();
