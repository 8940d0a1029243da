/* @mention suggestions while writing: type "@" and a letter or two in any post box, and
 * members whose names start with them are listed under it. Up and Down move through the
 * list, Enter or Tab chooses, Escape closes; a click or tap chooses too. The list is a
 * listbox the text box points at (aria-activedescendant), and a polite live region says
 * how many names were found. Mentions match whatever the case (forum/mentions.py).
 */
(function () {
  "use strict";
  // Django's JavaScript catalog (/jsi18n/, loaded by base.html); plain English without it.
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (all, name) { return values[name]; });
  };

  var URL_ = "/mentions/suggest/";
  var DELAY = 150;
  var list = null, announcer = null, active = -1, target = null, range = null, timer = null, lastQuery = null;

  function setup() {
    list = document.createElement("ul");
    list.className = "mention-list";
    list.id = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", gettext("Members to mention"));
    list.hidden = true;
    announcer = document.createElement("div");
    announcer.className = "visually-hidden";
    announcer.setAttribute("aria-live", "polite");
    document.body.appendChild(list);
    document.body.appendChild(announcer);
  }

  function query(textarea) {
    var upTo = textarea.value.slice(0, textarea.selectionStart);
    var match = /(^|[^\w@./+-])@([\w.+-]{1,30})$/.exec(upTo);
    if (!match) return null;
    return { text: match[2], start: upTo.length - match[2].length - 1, end: upTo.length };
  }

  function close() {
    if (!list) return;
    list.hidden = true;
    list.innerHTML = "";
    active = -1;
    if (target) target.removeAttribute("aria-activedescendant");
    lastQuery = null;
  }

  function choose(index) {
    var option = list.children[index];
    if (!option || !target || !range) return;
    var name = option.dataset.username;
    var value = target.value;
    target.value = value.slice(0, range.start) + "@" + name + " " + value.slice(range.end);
    var caret = range.start + name.length + 2;
    target.setSelectionRange(caret, caret);
    target.focus();
    close();
    target.dispatchEvent(new Event("input", { bubbles: true }));  // drafts.js keeps it
  }

  function highlight(index) {
    Array.prototype.forEach.call(list.children, function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0) target.setAttribute("aria-activedescendant", list.children[index].id);
  }

  function place(textarea) {
    var box = textarea.getBoundingClientRect();
    list.style.left = (window.scrollX + box.left) + "px";
    list.style.top = (window.scrollY + box.bottom + 2) + "px";
    list.style.width = Math.min(box.width, 320) + "px";
  }

  function show(textarea, names) {
    list.innerHTML = "";
    if (!names.length) {
      close();
      return;
    }
    names.forEach(function (name, i) {
      var option = document.createElement("li");
      option.id = "mention-option-" + i;
      option.setAttribute("role", "option");
      option.dataset.username = name;
      option.textContent = "@" + name;
      list.appendChild(option);
    });
    target = textarea;
    place(textarea);
    list.hidden = false;
    highlight(0);
    announcer.textContent = interpolate(
      ngettext(
        "%(n)s member found. Up and down to choose, Enter to insert.",
        "%(n)s members found. Up and down to choose, Enter to insert.",
        names.length
      ),
      { n: names.length }, true
    );
  }

  function lookUp(textarea) {
    var found = query(textarea);
    if (!found) {
      close();
      return;
    }
    range = found;
    if (found.text === lastQuery) return;
    lastQuery = found.text;
    fetch(URL_ + "?q=" + encodeURIComponent(found.text), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { members: [] }; })
      .then(function (data) {
        var now = query(textarea);
        if (now && now.text === found.text) show(textarea, data.members || []);
      })
      .catch(close);
  }

  document.addEventListener("input", function (event) {
    if (!event.target.matches || !event.target.matches("textarea[name=body]")) return;
    if (!list) setup();
    var textarea = event.target;
    clearTimeout(timer);
    timer = setTimeout(function () { lookUp(textarea); }, DELAY);
  });

  document.addEventListener("keydown", function (event) {
    if (!list || list.hidden || event.target !== target) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var n = list.children.length;
      highlight((active + (event.key === "ArrowDown" ? 1 : n - 1)) % n);
    } else if (event.key === "Enter" || event.key === "Tab") {
      if (active >= 0) {
        event.preventDefault();
        choose(active);
      }
    } else if (event.key === "Escape") {
      close();
    }
  });

  document.addEventListener("mousedown", function (event) {
    if (!list || list.hidden) return;
    var option = event.target.closest && event.target.closest(".mention-list [role=option]");
    if (option) {
      event.preventDefault();  // keep the text box's focus
      choose(Array.prototype.indexOf.call(list.children, option));
    } else if (event.target !== target) {
      close();
    }
  });

  document.addEventListener("focusout", function (event) {
    if (event.target === target) setTimeout(function () { if (document.activeElement !== target) close(); }, 150);
  });
})();
