/* The live thread page: new replies appear in place, replying needs no reload.
 *
 * Without this script the page still works: Reply links open the reply page and the
 * form posts and redirects. With it:
 * - the socket /ws/threads/<id>/ brings post.created / post.updated / post.removed /
 *   thread.updated / presence events, each a JSON text frame;
 * - after every (re)connect the catch-up endpoint fills what the page missed, unless the
 *   socket's first frame ("welcome") names the thread version the page already holds:
 *   then nothing changed since the page was rendered or last caught up;
 * - a reply whose parent is not on the page yet (it comes later, by the socket or the
 *   catch-up) waits and is placed when its parent arrives; the catch-up position never
 *   passes a reply still waiting, so nothing is dropped for good;
 * - the server sends a heartbeat every few seconds: a socket silent for three heartbeats
 *   is given up and reconnected (then caught up), and a "resync" (the server re-joined
 *   after losing its group, a Redis restart) makes the page catch up without a reload;
 * - reply forms post with fetch and the author's reply is inserted once, whichever of
 *   fetch and socket brings it first.
 * Words are translated through Django's JavaScript catalog (/jsi18n/, loaded by base.html).
 * No build step, no dependencies.
 */
(function () {
  "use strict";

  var thread = document.getElementById("thread");
  if (!thread || !window.fetch || !window.WebSocket) return;

  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var interpolate = window.interpolate || function (format, values, named) {
    return format.replace(/%\(\w+\)s/g, function (match) { return values[match.slice(2, -2)]; });
  };

  var tree = document.getElementById("reply-tree");
  var announcer = document.getElementById("live-announcer");
  var presence = document.getElementById("presence");
  var newButton = document.getElementById("new-replies");
  var threadId = thread.dataset.threadId;
  // Catch-up asks for posts after the newest one this page holds (lastId), but never past
  // a reply still waiting for its parent (see `waiting` and cursor()).
  var lastId = Array.prototype.reduce.call(document.querySelectorAll("[data-post-id]"), function (max, element) {
    return Math.max(max, parseInt(element.dataset.postId, 10) || 0);
  }, 0);
  // Replies whose parent is not on the page yet, by parent id: placed when it arrives.
  var waiting = {};
  // Posts whose place is on another page of the thread (and so are their replies').
  var elsewhere = {};
  var catchUpRounds = 0;
  // The thread version this page holds everything of: the one it was rendered at, then
  // the one its last complete catch-up brought.
  var heldVersion = thread.dataset.version || null;
  var roundsVersion = null;
  var onLastPage = thread.dataset.lastPage === "1";
  var isModerator = thread.dataset.moderator === "1";
  var mainForm = document.querySelector(".reply-box form.reply-form");
  var unseen = [];
  var socket = null;
  var attempt = 0;
  var stopped = false;

  /* ---- Fragments ---------------------------------------------------------------- */

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function postElement(id) {
    return document.getElementById("post-" + id);
  }

  function authorName(article) {
    var author = article.querySelector(".author");
    return author ? author.textContent.trim() : gettext("someone");
  }

  // Fragments from the socket are rendered as an anonymous reader sees them. For anyone
  // else the page holds <template class="live-controls">: the controls this viewer gets
  // under a post of each kind (their own or another's; published, hidden, removed),
  // rendered by the server with stand-in ids. Here we only pick the template by the
  // post's own facts and fill in its ids: the server's rule, not a copy of it.
  var standIns = (thread.dataset.standIns || "").split(" ");
  var viewerId = thread.dataset.viewerId || "";

  function controlsTemplate(article) {
    var own = viewerId !== "" && article.dataset.authorId === viewerId ? "1" : "0";
    return document.querySelector(
      'template.live-controls[data-own="' + own + '"][data-status="' + article.dataset.status + '"]'
    );
  }

  function applyControls(article) {
    var template = controlsTemplate(article);
    if (!template) return;
    var html = template.innerHTML.split(standIns[0]).join(article.dataset.postId)
      .split(standIns[1]).join(article.dataset.authorId || "0");
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var footer = article.querySelector(".post-actions");
    var freshFooter = holder.querySelector(".post-actions");
    if (footer && freshFooter) footer.replaceWith(freshFooter);
    var reactions = article.querySelector(".reactions");
    var freshReactions = holder.querySelector(".reactions");
    // A viewer who may react gets "React" and buttons instead of the counts the fragment
    // showed; static/js/reactions.js makes the buttons for those counts.
    if (reactions && freshReactions && freshReactions.querySelector(".reaction-more")) {
      var counts = {};
      Array.prototype.forEach.call(reactions.querySelectorAll("[data-kind] .reaction-count"), function (count) {
        counts[count.parentElement.dataset.kind] = parseInt(count.textContent, 10) || 0;
      });
      reactions.replaceWith(freshReactions);
      document.dispatchEvent(new CustomEvent("reactions:show", { detail: { container: freshReactions, counts: counts } }));
    }
  }

  // Where a new <li> goes: under its parent, nested as the server nests it. At the
  // deepest display level the fragment's depth equals its parent's, and it joins the
  // list its parent sits in (with its "in reply to" line).
  function listFor(parentId, item) {
    if (!parentId) return onLastPage ? tree : null;
    var parent = postElement(parentId);
    var parentItem = parent && parent.closest("li.reply");
    if (!parentItem) return null;
    if (parseInt(item.dataset.depth, 10) > parseInt(parentItem.dataset.depth, 10)) {
      return parentItem.querySelector(":scope > ol.children");
    }
    return parentItem.parentElement;
  }

  function isInView(element) {
    var box = element.getBoundingClientRect();
    return box.top < window.innerHeight && box.bottom > 0;
  }

  function announce(text) {
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function highlight(article) {
    article.classList.add("is-new");
    window.setTimeout(function () { article.classList.remove("is-new"); }, 4000);
  }

  /* ---- Receiving posts ---------------------------------------------------------- */

  // Where catch-up starts: after the newest post held, but before the parent of any
  // reply still waiting, so the parent (and the reply again) come with the next catch-up.
  function cursor() {
    var floor = lastId;
    Object.keys(waiting).forEach(function (parentId) { floor = Math.min(floor, parseInt(parentId, 10) - 1); });
    return floor;
  }

  function waitingHas(postId) {
    return Object.keys(waiting).some(function (parentId) {
      return waiting[parentId].some(function (held) { return held.post_id === postId; });
    });
  }

  function isWaiting(data) {
    return (waiting[data.parent_id] || []).some(function (held) { return held.post_id === data.post_id; });
  }

  // Its parent is not on the page: keep it until the parent comes. A parent on another
  // page of the thread (known once the catch-up brought it and it had no place here)
  // means the reply's place is there too.
  function hold(data) {
    if (elsewhere[data.parent_id]) {
      markElsewhere(data.post_id);
      return;
    }
    if (!isWaiting(data)) (waiting[data.parent_id] = waiting[data.parent_id] || []).push(data);
    // The parent is usually on its way (the socket, or a catch-up already asked for);
    // if it is still missing in a moment, ask for it.
    if (!waitingTimer) waitingTimer = window.setTimeout(function () {
      waitingTimer = null;
      if (Object.keys(waiting).length) catchUp();
    }, 1500);
  }
  var waitingTimer = null;

  function markElsewhere(postId) {
    elsewhere[postId] = true;
    lastId = Math.max(lastId, postId);
    var children = waiting[postId] || [];
    delete waiting[postId];
    children.forEach(function (child) { markElsewhere(child.post_id); });
  }

  function placeWaiting(parentId) {
    var children = waiting[parentId];
    if (!children) return;
    delete waiting[parentId];
    children.forEach(function (child) { receivePost(child, false); });
  }

  // own: the author's fetch response (rendered with Edit and Delete for them).
  function receivePost(data, own) {
    var existing = postElement(data.post_id);
    var item = fragment(data.html);
    var article = item.querySelector("article.post");
    // The header counts every published reply of the thread, wherever it is placed.
    if (!existing && article && article.classList.contains("status-published")) countReply(data.post_id, 1);
    if (existing) {
      lastId = Math.max(lastId, data.post_id);
      if (own) existing.replaceWith(article);  // the socket was first: take the author's version
      return article;
    }
    var list = listFor(data.parent_id, item);
    if (!list) {
      if (data.parent_id && !own) hold(data);  // its parent has not arrived yet
      else markElsewhere(data.post_id);  // its place is on another page of the thread
      return null;
    }
    lastId = Math.max(lastId, data.post_id);
    var empty = document.querySelector(".empty-replies");
    if (empty) empty.remove();
    list.appendChild(item);
    if (!own) applyControls(article);
    highlight(article);
    placeWaiting(data.post_id);
    if (own) return article;
    announce(interpolate(gettext("New reply from %(name)s."), { name: authorName(article) }, true));
    if (!isInView(article)) {
      unseen.push(article);
      showNewButton();
    }
    return article;
  }

  // The "N replies" count in the thread's header follows published replies.
  var replyCount = document.getElementById("reply-count");
  var counted = {};

  function countReply(postId, delta) {
    if (!replyCount || counted[postId] === delta) return;
    counted[postId] = delta;
    var n = Math.max(0, parseInt(replyCount.dataset.count, 10) + delta);
    replyCount.dataset.count = n;
    replyCount.textContent = interpolate(ngettext("%(count)s reply", "%(count)s replies", n), { count: n }, true);
  }

  function replacePost(data, removed) {
    var old = postElement(data.post_id);
    if (removed && !(old && old.classList.contains("post-opening"))) countReply(data.post_id, -1);
    if (!old) return;
    var fresh = fragment(data.html);
    var comesBack = !removed && !old.classList.contains("status-published") && fresh.classList.contains("status-published");
    if (comesBack && !old.classList.contains("post-opening")) countReply(data.post_id, 1);  // unhidden
    applyControls(fresh);
    // Keep the "in reply to" line of a deep reply.
    var inReplyTo = old.querySelector(".in-reply-to");
    var freshHead = fresh.querySelector(".post-head");
    if (inReplyTo && freshHead && !fresh.querySelector(".in-reply-to")) freshHead.after(inReplyTo);
    old.replaceWith(fresh);
  }

  function updateThread(data) {
    var heading = thread.querySelector(".thread-head h1");
    if (heading && data.title && heading.textContent !== data.title) {
      heading.textContent = data.title;
      document.title = document.title.replace(/^[^·]*/, data.title + " ");
    }
    var meta = thread.querySelector(".thread-head .meta");
    var badge = meta.querySelector(".badge-locked");
    if (data.locked && !badge) {
      badge = document.createElement("span");
      badge.className = "badge badge-locked";
      badge.textContent = gettext("Locked");
      meta.insertBefore(badge, meta.firstChild);
    } else if (!data.locked && badge) {
      badge.remove();
    }
    if (isModerator) return;
    var box = document.querySelector(".reply-box");
    document.querySelectorAll("form.reply-form, .inline-reply, .reply-link").forEach(function (element) {
      element.hidden = !!data.locked;
    });
    var note = box && box.querySelector(".locked-note");
    if (data.locked && box && !note) {
      note = document.createElement("p");
      note.className = "locked-note";
      note.textContent = gettext(
        "This thread was just locked, so it takes no new replies. Any draft you wrote is still in the form.");
      box.appendChild(note);
      announce(gettext("This thread was locked."));
    } else if (!data.locked && note) {
      note.remove();
    }
  }

  function showPresence(count) {
    presence.hidden = false;
    presence.textContent = interpolate(ngettext("%(count)s reading now", "%(count)s reading now", count),
      { count: count }, true);
  }

  /* ---- "N new replies" ---------------------------------------------------------- */

  function showNewButton() {
    unseen = unseen.filter(function (article) { return document.body.contains(article) && !isInView(article); });
    newButton.hidden = unseen.length === 0;
    newButton.textContent = interpolate(ngettext("%(count)s new reply", "%(count)s new replies", unseen.length),
      { count: unseen.length }, true);
  }

  newButton.addEventListener("click", function () {
    var first = unseen[0];
    unseen = [];
    newButton.hidden = true;
    if (!first) return;
    first.setAttribute("tabindex", "-1");
    first.scrollIntoView({ behavior: "smooth", block: "center" });
    first.focus({ preventScroll: true });
    highlight(first);
  });

  window.addEventListener("scroll", function () {
    if (unseen.length) showNewButton();
  }, { passive: true });

  /* ---- The socket, reconnecting with backoff, then catching up ------------------- */

  // Heartbeat: the server sends {"type": "heartbeat", "interval": s} every s seconds (15
  // by default). Hearing nothing for three of them (or 60 s before the first) means the
  // socket went silent (a dead connection the browser has not noticed, a server that
  // lost track of it): give it up, reconnect at once and catch up.
  var beatInterval = 20;
  var watchdog = null;
  // The catch-up position at the last heartbeat: a resync catches up from there, since
  // events after it may have been lost while the server was out of its group.
  var confirmedId = null;

  function listen(live) {
    window.clearTimeout(watchdog);
    watchdog = window.setTimeout(function () {
      if (socket !== live) return;
      giveUp(live);
    }, beatInterval * 3000);
  }

  function giveUp(live) {
    live.abandoned = true;
    socket = null;
    try { live.close(); } catch (error) { /* already closing */ }
    presence.textContent = gettext("Reconnecting…");
    connect();
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var live = socket = new WebSocket(scheme + window.location.host + "/ws/threads/" + threadId + "/");
    listen(live);
    live.addEventListener("open", function () {
      attempt = 0;
      catchUpFailures = 0;
      confirmedId = cursor();
      // A server that sends no welcome (an older one) still gets the page caught up.
      live.welcomeTimer = window.setTimeout(function () {
        if (socket === live) catchUp();
      }, 5000);
    });
    live.addEventListener("message", function (message) {
      if (live.abandoned) return;
      listen(live);
      var data = JSON.parse(message.data);
      if (data.type === "welcome") {
        window.clearTimeout(live.welcomeTimer);
        var holdsAll = data.version !== undefined && String(data.version) === heldVersion;
        if (!holdsAll || Object.keys(waiting).length) catchUp();
        return;
      }
      if (data.type === "heartbeat" || data.type === "resync") {
        if (data.interval) beatInterval = data.interval;
        listen(live);
        // A reply published lately that this page never heard of (its broadcast was lost):
        // catch up from just before it.
        var unheard = (data.recent || []).filter(function (id) {
          return !postElement(id) && !elsewhere[id] && !waitingHas(id);
        });
        if (data.type === "resync") catchUp(confirmedId);
        else if (unheard.length) catchUp(Math.min.apply(null, unheard) - 1);
        confirmedId = cursor();
        return;
      }
      if (data.type === "post.created") receivePost(data, false);
      else if (data.type === "post.updated") replacePost(data, false);
      else if (data.type === "post.removed") replacePost(data, true);
      else if (data.type === "thread.updated") updateThread(data);
      else if (data.type === "presence") showPresence(data.count);
      // Other page scripts (reactions.js) listen for the events they handle.
      document.dispatchEvent(new CustomEvent("thread:event", { detail: data }));
    });
    live.addEventListener("close", function (event) {
      window.clearTimeout(live.welcomeTimer);
      if (live.abandoned) return;  // given up as silent: already reconnecting
      window.clearTimeout(watchdog);
      socket = null;
      // 4403: may not read this thread (any more); 4404: it is gone. Don't knock again.
      if (stopped || event.code === 4403 || event.code === 4404) {
        presence.hidden = true;
        return;
      }
      presence.textContent = gettext("Reconnecting…");
      // Exponential backoff with full jitter: 0.5–1 s, 1–2 s, 2–4 s … up to 30 s.
      var ceiling = Math.min(30000, 1000 * Math.pow(2, attempt));
      attempt += 1;
      window.setTimeout(connect, ceiling / 2 + Math.random() * ceiling / 2);
    });
  }

  // Server time of the page or of the last catch-up: edits, removals and approvals after
  // it are asked for on the next catch-up (applying one twice changes nothing).
  var changedSince = thread.dataset.renderedAt || "";

  // from: where to start (a resync starts from the last heartbeat's position).
  function catchUp(from) {
    var after = from === null || from === undefined ? cursor() : Math.min(from, cursor());
    var url = thread.dataset.catchUpUrl + "?after=" + after + "&since=" + encodeURIComponent(changedSince);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) {
          retryCatchUp(from);
          return;
        }
        catchUpFailures = 0;
        if (catchUpRounds === 0) {
          changedSince = data.now;
          roundsVersion = data.version === undefined ? null : String(data.version);
        }
        (data.changed || []).forEach(function (change) {
          if (postElement(change.post_id)) replacePost(change, change.removed);
          else if (change.node) receivePost(change.node, false);
        });
        data.posts.forEach(function (post) { receivePost(post, false); });
        // Replies that waited for a parent the catch-up did not bring (a parent that is
        // not visible, or on another page): their place is not on this page.
        var upTo = data.posts.length ? data.posts[data.posts.length - 1].post_id : null;
        if (!data.more) {
          Object.keys(waiting).forEach(function (parentId) {
            if (after < parentId && (upTo === null || parentId <= upTo) && !postElement(parentId)) markElsewhere(parseInt(parentId, 10));
          });
        }
        // Pages other than the last get posts that live elsewhere: follow at most a few rounds.
        if (data.more && ++catchUpRounds < 10) catchUp();
        else {
          // Everything up to the first round's version is here now (unless rounds ran out).
          if (!data.more && roundsVersion !== null) heldVersion = roundsVersion;
          catchUpRounds = 0;
        }
      })
      .catch(function () { retryCatchUp(from); });
  }

  // A catch-up the server could not answer (busy, restarting) is asked again a few
  // seconds later, up to five times in a row; after that the next reconnect or resync does.
  var catchUpFailures = 0;
  var catchUpRetry = null;

  function retryCatchUp(from) {
    if (catchUpRetry || ++catchUpFailures > 5) return;
    catchUpRetry = window.setTimeout(function () {
      catchUpRetry = null;
      catchUp(from);
    }, 2000 + Math.random() * 2000);
  }

  /* ---- Replying with fetch ------------------------------------------------------ */

  function setStatus(form, text) {
    var status = form.querySelector(".form-status");
    if (!status) {
      status = document.createElement("p");
      status.className = "form-status";
      status.setAttribute("role", "alert");
      form.querySelector("button[type=submit]").before(status);
    }
    status.textContent = text;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form.reply-form")) return;
    // Preview is a plain submit without scripts; drafts.js shows it in place. Never post it.
    if (event.submitter && event.submitter.name === "preview") return;
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.status >= 500) {
        // Nothing was saved (a busy database, a worker restarting): keep the text, never re-post.
        return (type.indexOf("application/json") !== -1 ? response.json() : Promise.resolve({}))
          .then(function (data) { notSaved(form, data.error); });
      }
      if (type.indexOf("application/json") === -1) {
        form.submit();  // not for us to handle here (a login page, say): do it the plain way
        return;
      }
      return response.json().then(function (data) {
        if (response.ok) replied(form, data);
        else refused(form, data);
      });
    }).catch(function () {
      button.disabled = false;
      setStatus(form, gettext(
        "Your reply could not be sent. Check your connection and try again; your text is still here."));
    });
  });

  function notSaved(form, message) {
    form.querySelector("button[type=submit]").disabled = false;
    setStatus(form, message || gettext(
      "The forum could not save your reply just now. Nothing was posted; your text is still here. Please try again in a few seconds."));
  }

  function replied(form, data) {
    var article = receivePost(data, true);
    if (!article) {
      window.location.assign(data.url);  // it lives on another page of the thread
      return;
    }
    var inline = form.closest(".inline-reply");
    if (inline) {
      inline.remove();
    } else {
      form.reset();
      form.querySelector("button[type=submit]").disabled = false;
      clearMessages(form);
    }
    article.setAttribute("tabindex", "-1");
    if (!isInView(article)) article.scrollIntoView({ block: "center" });
    article.focus({ preventScroll: true });
    announce(gettext("Your reply was posted."));
  }

  // Errors and notes of an earlier attempt go once a reply is posted (or a form is copied).
  function clearMessages(form) {
    form.querySelectorAll(".form-errors, .errorlist, .form-status, .compose-support").forEach(function (element) {
      element.remove();
    });
    form.querySelectorAll(".field-invalid").forEach(function (element) { element.classList.remove("field-invalid"); });
  }

  function refused(form, data) {
    var fresh = fragment(data.form_html);
    if (form.dataset.suffix) {
      renameIds(fresh, form.dataset.suffix);
      fresh.dataset.suffix = form.dataset.suffix;
      fresh.id = form.id;
    }
    form.replaceWith(fresh);
    var summary = fresh.querySelector(".form-errors") || fresh.querySelector(".errorlist");
    var field = fresh.querySelector(".field-invalid textarea, .field-invalid input") || fresh.querySelector("textarea");
    if (summary) summary.setAttribute("tabindex", "-1");
    (field || summary).focus();
  }

  /* ---- Inline reply forms under a post ------------------------------------------ */

  function renameIds(root, suffix) {
    if (!suffix) return;
    root.querySelectorAll("[id]").forEach(function (element) { element.id += suffix; });
    root.querySelectorAll("label[for]").forEach(function (label) { label.htmlFor += suffix; });
    root.querySelectorAll("[aria-describedby]").forEach(function (element) {
      element.setAttribute("aria-describedby", element.getAttribute("aria-describedby").split(" ").map(function (id) {
        return id + suffix;
      }).join(" "));
    });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.reply-link");
    if (!link || !mainForm) return;
    event.preventDefault();
    var postId = link.dataset.replyTo;
    var article = postElement(postId);
    var open = document.getElementById("inline-reply-" + postId);
    if (open) {
      open.querySelector("textarea").focus();
      return;
    }
    var box = document.createElement("div");
    box.className = "inline-reply";
    box.id = "inline-reply-" + postId;
    var head = document.createElement("p");
    head.className = "inline-reply-head";
    head.textContent = interpolate(gettext("Replying to %(name)s"), { name: authorName(article) }, true) + " ";
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "link-button";
    cancel.textContent = gettext("Cancel");
    cancel.addEventListener("click", function () {
      // Text is never thrown away without asking; drafts.js then lets the saved draft go.
      var written = box.querySelector("textarea").value.trim();
      if (written && !window.confirm(gettext("Discard this reply? What you wrote will be deleted."))) return;
      document.dispatchEvent(new CustomEvent("draft:discard", { detail: { form: box.querySelector("form") } }));
      box.remove();
      link.focus();
    });
    head.appendChild(cancel);
    var form = mainForm.cloneNode(true);
    clearMessages(form);
    form.querySelector("textarea").value = "";
    form.querySelectorAll("input[type=text], input:not([type])").forEach(function (input) { input.value = ""; });
    form.querySelector("input[name=parent]").value = postId;
    form.dataset.suffix = "-reply-" + postId;
    form.id = "reply-form" + form.dataset.suffix;
    renameIds(form, form.dataset.suffix);
    form.querySelector("button[type=submit]").disabled = false;
    coachFor(form, article);
    box.appendChild(head);
    box.appendChild(form);
    article.after(box);
    form.querySelector("textarea").focus();
  });

  // Answering a post from someone who may be at risk: the guide the server renders for it.
  function coachFor(form, article) {
    var shown = form.querySelector(".reply-coaching");
    var template = document.getElementById("reply-coaching-template");
    var wanted = article.dataset.crisis === "1" && article.dataset.authorId !== viewerId && template;
    if (shown && !wanted) shown.remove();
    if (!shown && wanted) form.insertBefore(template.content.firstElementChild.cloneNode(true), form.firstChild);
  }

  window.addEventListener("pagehide", function () {
    stopped = true;
    if (socket) socket.close();
  });

  // For the browser tests and the curious: the live socket of this page.
  window.forumLive = {
    socket: function () { return socket; },
    lastPostId: function () { return cursor(); },
    waiting: function () { return Object.keys(waiting).length; },
  };

  connect();
})();
