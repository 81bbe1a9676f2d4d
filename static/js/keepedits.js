// No edit is ever lost. An htmx save from inside an element marked [data-keep] that cannot
// be saved — the session has ended (401), the CSRF token is stale (403 {"error": "csrf"}),
// the network is down, the server fails (5xx), or someone saved meanwhile (409) — keeps what
// was typed, marks the field "chưa lưu", and goes into a queue in localStorage that survives
// a reload. The queue is sent again, in order, once the cause is gone: back online, signed in
// again (in the dialog, or in another tab), or a moment later for a server error. A replay
// posts the version the user saw, so the server's version check refuses it if someone saved
// meanwhile (409), and the conflict is shown in the field; it never overwrites silently.
//
// Plain POST forms (not htmx) get the same care: before one is sent, the session is checked
// (signing in in the dialog if needed, with a fresh CSRF token), and what was typed is kept
// as a draft until a page other than an error page comes back; an error page
// (body[data-keep-failed]) keeps it, and the form's page puts it back.
//
// Markup it reads (nothing else about the page):
//   [data-keep]                 around htmx fields whose saves are kept (a table, a form…)
//   form[data-keep-off]         a POST form left alone (sign-in, language, log out)
//   [data-keep-use][data-keep-for]  a button: put this value back in field #for and save it again
//   [data-keep-drop]            a button: forget the queued edit with this key (the request path)
//   body[data-keep-user]        who is signed in; #keep-status and #keep-login (includes/keep_edits.html)
(function () {
  "use strict";

  var QUEUE = "unionportal.keep.queue.v1";
  var DRAFTS = "unionportal.keep.drafts.v1";
  var SENT = "unionportal.keep.sent.v1"; // sessionStorage: the draft of the form just sent
  var DONE = "unionportal.keep.done.v1"; // the last answer to a replay, for the other tabs
  var RETRY_MS = 20000;
  var EXPECTED = { 401: "login", 403: "csrf", 500: "server", 502: "server", 503: "server", 504: "server" };

  var reason = null; // why the queue waits: offline, login, server
  var replaying = false;
  var retryTimer = null;
  var waitingSubmit = null; // a form whose sending waits for the dialog

  // --- storage -----------------------------------------------------------------------------------

  function read(name) {
    try {
      var value = JSON.parse(localStorage.getItem(name));
      return value && typeof value === "object" ? value : null;
    } catch (e) {
      return null;
    }
  }

  function write(name, value) {
    try {
      localStorage.setItem(name, JSON.stringify(value));
    } catch (e) {
      // Full or forbidden: the edit still stays in the page, marked as not saved.
    }
  }

  function queue() {
    var list = read(QUEUE);
    return Array.isArray(list) ? list : [];
  }

  function setQueue(list) {
    write(QUEUE, list);
    render();
  }

  function put(entry) {
    var list = queue().filter(function (e) {
      return e.key !== entry.key;
    });
    list.push(entry);
    setQueue(list);
  }

  function find(key) {
    return queue().filter(function (e) {
      return e.key === key;
    })[0];
  }

  function drop(key) {
    setQueue(
      queue().filter(function (e) {
        return e.key !== key;
      })
    );
  }

  // --- who, where, which token ---------------------------------------------------------------------

  function user() {
    return document.body.getAttribute("data-keep-user") || "";
  }

  function here() {
    return location.pathname + location.search;
  }

  function keyOf(path) {
    return new URL(path, location.href).pathname;
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function setCsrfToken(token) {
    if (!token) return;
    var headers = {};
    try {
      headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    } catch (e) {
      headers = {};
    }
    headers["X-CSRFToken"] = token;
    document.body.setAttribute("hx-headers", JSON.stringify(headers));
    document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
      input.value = token;
    });
  }

  function statusBox() {
    return document.getElementById("keep-status");
  }

  function session() {
    var box = statusBox();
    if (!box) return Promise.reject(new Error("no session url"));
    return fetch(box.getAttribute("data-session-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      cache: "no-store",
    }).then(function (response) {
      if (!response.ok) throw new Error("session " + response.status);
      return response.json();
    });
  }

  function signedInAs(state) {
    setCsrfToken(state.csrf_token);
    if (state.authenticated) document.body.setAttribute("data-keep-user", state.username);
    return state.authenticated;
  }

  // --- the marks on the fields ---------------------------------------------------------------------

  function mark(entry) {
    var field = entry.fieldId && document.getElementById(entry.fieldId);
    if (!field) return;
    var box = statusBox();
    var label = entry.state === "conflict" ? "conflict" : "unsaved";
    field.setAttribute("data-keep-state", label);
    var badge = field.parentElement.querySelector(".keep-badge");
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "keep-badge";
      field.insertAdjacentElement("afterend", badge);
    }
    badge.textContent = box ? box.getAttribute("data-" + label + "-label") : "";
  }

  function unmark(field) {
    if (!field) return;
    field.removeAttribute("data-keep-state");
    var badge = field.parentElement && field.parentElement.querySelector(".keep-badge");
    if (badge) badge.remove();
  }

  function render() {
    var box = statusBox();
    if (!box) return;
    var mine = queue().filter(function (e) {
      return e.user === user();
    });
    var drafts = Object.keys(read(DRAFTS) || {}).length;
    var count = mine.length + drafts;
    box.hidden = count === 0;
    box.querySelector("[data-keep-count]").textContent = String(count);
    var shown = reason;
    if (!shown && mine.some(isConflict)) shown = "conflict";
    if (!shown && (mine.some(elsewhere) || drafts)) shown = "elsewhere";
    box.querySelectorAll("[data-keep-reason]").forEach(function (line) {
      line.hidden = line.getAttribute("data-keep-reason") !== shown;
    });
    mine.forEach(mark);
  }

  function isConflict(entry) {
    return entry.state === "conflict";
  }

  function elsewhere(entry) {
    return !document.getElementById(entry.targetId || "");
  }

  // --- htmx saves ------------------------------------------------------------------------------------

  function kept(elt) {
    return elt && elt.closest && elt.closest("[data-keep]");
  }

  function entryFor(detail) {
    var elt = detail.elt;
    var params = {};
    var data = detail.formData;
    if (data && data.forEach) {
      data.forEach(function (value, name) {
        if (name !== "csrfmiddlewaretoken" && typeof value === "string") params[name] = value;
      });
    } else {
      Object.keys(detail.parameters || {}).forEach(function (name) {
        params[name] = String(detail.parameters[name]);
      });
    }
    var target = detail.target || elt;
    return {
      key: keyOf(detail.path),
      url: keyOf(detail.path),
      verb: (detail.verb || "post").toUpperCase(),
      params: params,
      value: elt.name ? params[elt.name] : "",
      fieldId: elt.id || "",
      targetId: target.id || "",
      label: elt.getAttribute("aria-label") || elt.name || "",
      page: here(),
      user: user(),
      state: "waiting",
      at: Date.now(),
    };
  }

  function wait(why) {
    reason = why;
    render();
    if (why === "server") {
      clearTimeout(retryTimer);
      retryTimer = setTimeout(replay, RETRY_MS);
    }
    if (why === "login") signIn();
    if (why === "csrf") {
      // The token is stale: a fresh one, then the queue again; or the session ended with it.
      session().then(
        function (state) {
          if (signedInAs(state)) {
            reason = null;
            replay();
          } else {
            wait("login");
          }
        },
        function () {
          wait(navigator.onLine ? "server" : "offline");
        }
      );
    }
  }

  // The request's own element (htmx gives the target as `elt` in some events' details).
  function entryOf(detail) {
    var config = detail.requestConfig;
    var elt = (config && config.elt) || detail.elt;
    return elt ? elt._keepEntry : null;
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    if (!kept(detail.elt) || (detail.verb || "get").toLowerCase() === "get") return;
    detail.elt._keepEntry = entryFor(detail);
  });

  // Offline: not even tried (the browser would only log a network error); queued at once.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var entry = entryOf(event.detail);
    if (!entry || navigator.onLine) return;
    event.preventDefault();
    put(entry);
    wait("offline");
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var entry = entryOf(event.detail);
    if (!entry) return;
    var xhr = event.detail.xhr;
    var why = EXPECTED[xhr.status];
    if (xhr.status === 403 && !isCsrfRefusal(xhr.responseText)) why = null;
    if (why) {
      // Nothing to show in the field: it keeps what was typed, marked as not saved.
      event.detail.shouldSwap = false;
      event.detail.isError = false;
      put(entry);
      wait(why);
    } else if (xhr.status === 409) {
      entry.state = "conflict";
      put(entry);
    } else if (xhr.status < 400 || xhr.status === 422) {
      // Saved, or refused with a message shown in the field: nothing is waiting any more.
      if (find(entry.key)) drop(entry.key);
    }
  });

  document.addEventListener("htmx:sendError", function (event) {
    var entry = entryOf(event.detail);
    if (!entry) return;
    put(entry);
    wait(navigator.onLine ? "server" : "offline");
  });

  function isCsrfRefusal(text) {
    try {
      return JSON.parse(text).error === "csrf";
    } catch (e) {
      return false;
    }
  }

  // --- replaying the queue ---------------------------------------------------------------------------

  function send(entry) {
    var body = new URLSearchParams();
    Object.keys(entry.params).forEach(function (name) {
      body.append(name, entry.params[name]);
    });
    var headers = {
      "X-CSRFToken": csrfToken(),
      "HX-Request": "true",
      "HX-Current-URL": location.href,
      "Content-Type": "application/x-www-form-urlencoded",
    };
    if (entry.targetId) headers["HX-Target"] = entry.targetId;
    return fetch(entry.url, {
      method: entry.verb,
      body: body,
      headers: headers,
      credentials: "same-origin",
      cache: "no-store",
    });
  }

  function answered(entry, response) {
    var why = EXPECTED[response.status];
    return response.text().then(function (text) {
      if (response.status === 403 && !isCsrfRefusal(text)) why = null;
      if (why) return why;
      var target = entry.targetId && document.getElementById(entry.targetId);
      // Another tab may show the same field (the grid, while this tab is the one signed in again).
      write(DONE, { key: entry.key, targetId: entry.targetId, status: response.status, html: text, at: Date.now() });
      if (response.status === 409) {
        entry.state = "conflict";
        put(entry);
      } else {
        drop(entry.key);
      }
      if (target && (response.ok || response.status === 409 || response.status === 422)) {
        put_in(target, text);
      }
      return null;
    });
  }

  // The answer in place of the field's target, and its out-of-band parts (hx-swap-oob) in
  // place of the elements with their ids, as htmx would have swapped the original request.
  function put_in(target, html) {
    var holder = document.createElement("template");
    var table = /^\s*<t[dh][\s>]/i.test(html);
    holder.innerHTML = table ? "<table><tbody><tr>" + html + "</tr></tbody></table>" : html;
    var root = holder.content;
    Array.prototype.slice.call(root.querySelectorAll("[hx-swap-oob]")).forEach(function (part) {
      var old = part.id && document.getElementById(part.id);
      part.remove();
      part.removeAttribute("hx-swap-oob");
      if (old) {
        old.replaceWith(part);
        if (window.htmx) window.htmx.process(part);
      }
    });
    var main = root.querySelector("#" + CSS.escape(target.id)) || root.firstElementChild;
    if (!main) return;
    target.replaceWith(main);
    if (window.htmx) window.htmx.process(main);
  }

  // Sends the waiting edits of this user, one at a time, oldest first; stops at the first
  // that meets a cause still there. Conflicts wait for the user's choice (the buttons).
  function replay() {
    if (replaying) return;
    if (!navigator.onLine) return wait("offline");
    var waiting = queue().filter(function (e) {
      return e.user === user() && !isConflict(e);
    });
    if (!waiting.length) {
      reason = null;
      render();
      return;
    }
    replaying = true;
    clearTimeout(retryTimer);
    var step = function (index) {
      if (index >= waiting.length) {
        replaying = false;
        reason = null;
        render();
        return;
      }
      send(waiting[index])
        .then(function (response) {
          return answered(waiting[index], response);
        })
        .then(
          function (why) {
            if (why) {
              replaying = false;
              wait(why);
            } else {
              step(index + 1);
            }
          },
          function () {
            replaying = false;
            wait(navigator.onLine ? "server" : "offline");
          }
        );
    };
    step(0);
  }

  // --- signing in again ------------------------------------------------------------------------------

  function dialog() {
    return document.getElementById("keep-login");
  }

  function signIn() {
    var box = dialog();
    if (!box || box.open) return;
    var username = box.querySelector("[name=username]");
    if (!username.value) username.value = user();
    box.querySelector("[data-keep-login-error]").hidden = true;
    box.showModal();
    (username.value ? box.querySelector("[name=password]") : username).focus();
  }

  // Two-step sign-in: the password was right and the server asks for the one-time code. The
  // password stays in its field, so that the next sending carries both.
  function askForCode(form) {
    var field = form.querySelector("[data-keep-login-otp]");
    var token = form.querySelector("[name=token]");
    field.hidden = false;
    token.required = true;
    token.value = "";
    token.focus();
  }

  function afterSignIn(state) {
    signedInAs(state);
    reason = null;
    var box = dialog();
    if (box && box.open) box.close();
    replay();
    if (waitingSubmit) {
      var form = waitingSubmit;
      waitingSubmit = null;
      sendForm(form.form, form.submitter);
    }
  }

  document.addEventListener("submit", function (event) {
    var box = dialog();
    if (!box || event.target.closest("dialog") !== box) return;
    event.preventDefault();
    var form = event.target;
    var error = box.querySelector("[data-keep-login-error]");
    // A fresh token first: the one in the page may have gone with the session.
    session()
      .then(function (state) {
        setCsrfToken(state.csrf_token);
        return fetch(form.action, {
          method: "POST",
          body: new URLSearchParams(new FormData(form)),
          headers: { "X-CSRFToken": state.csrf_token, Accept: "application/json" },
          credentials: "same-origin",
        });
      })
      .then(function (response) {
        return response.json().then(function (answer) {
          if (answer.otp_required) askForCode(form);
          if (!response.ok) throw new Error(answer.error || "");
          form.querySelector("[name=password]").value = "";
          form.querySelector("[name=token]").value = "";
          afterSignIn(answer);
        });
      })
      .catch(function (problem) {
        error.textContent = problem.message || error.textContent;
        error.hidden = !problem.message;
      });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-keep-close]");
    if (button && dialog()) dialog().close();
    if (event.target.closest("[data-keep-signin]")) signIn();
    if (event.target.closest("[data-keep-retry]")) {
      reason = null;
      queue().forEach(function (e) {
        if (e.user === user() && !elsewhere(e)) e.state = "waiting";
      });
      session().then(function (state) {
        if (signedInAs(state)) replay();
        else wait("login");
      }, function () {
        wait(navigator.onLine ? "server" : "offline");
      });
    }
    var use = event.target.closest("[data-keep-use]");
    if (use) {
      // "Keep mine": the field now carries the newer version; saving it again is a fresh edit.
      var field = document.getElementById(use.getAttribute("data-keep-for"));
      if (field) {
        field.value = use.getAttribute("data-keep-use");
        field.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
    var forget = event.target.closest("[data-keep-drop]");
    if (forget) {
      var forgotten = find(keyOf(forget.getAttribute("data-keep-drop")));
      if (forgotten) {
        unmark(document.getElementById(forgotten.fieldId));
        drop(forgotten.key);
      }
      var message = forget.closest(".cell-message, [role=alert]");
      if (message) message.remove();
    }
  });

  // Signed in in another tab: seen when this one comes back to the front.
  function checkBack() {
    if (reason !== "login" && reason !== "csrf") return;
    session().then(function (state) {
      if (signedInAs(state)) afterSignIn(state);
    }, function () {});
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") checkBack();
  });
  window.addEventListener("focus", checkBack);

  window.addEventListener("online", function () {
    reason = null;
    replay();
  });
  window.addEventListener("offline", function () {
    if (queue().length) wait("offline");
  });
  // Another tab changed the queue (saved some, or added): show the same count.
  window.addEventListener("storage", function (event) {
    if (event.key === QUEUE || event.key === DRAFTS) render();
    if (event.key === QUEUE) checkBack(); // signed in again in another tab, which replays
    if (event.key === DONE) {
      var done = read(DONE);
      var target = done && done.targetId && document.getElementById(done.targetId);
      var ok = done && (done.status < 300 || done.status === 409 || done.status === 422);
      if (target && ok) put_in(target, done.html);
    }
  });

  // Signing out on purpose (form[data-keep-clear]): what waits is this user's to drop, after a
  // confirmation; nothing typed stays behind in a shared computer's browser.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-keep-clear")) return;
    var mine = queue().filter(function (e) {
      return e.user === user();
    });
    var drafts = read(DRAFTS) || {};
    var draftKeys = Object.keys(drafts).filter(function (key) {
      return drafts[key].user === user();
    });
    var count = mine.length + draftKeys.length;
    if (count && !window.confirm(form.getAttribute("data-keep-clear").replace("[count]", String(count)))) {
      event.preventDefault();
      return;
    }
    write(QUEUE, queue().filter(function (e) {
      return e.user !== user();
    }));
    draftKeys.forEach(function (key) {
      delete drafts[key];
    });
    write(DRAFTS, drafts);
  });

  // --- plain forms -----------------------------------------------------------------------------------

  function formKey(form) {
    return here() + " → " + keyOf(form.getAttribute("action") || location.href);
  }

  function fields(form) {
    var values = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "file" || el.type === "password") return;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      if (el.type === "submit" || el.type === "button") return;
      if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (o) {
          values.push([el.name, o.value]);
        });
        return;
      }
      values.push([el.name, el.value]);
    });
    return values;
  }

  function keptForm(form) {
    return (
      form.tagName === "FORM" &&
      (form.getAttribute("method") || "").toLowerCase() === "post" &&
      !form.hasAttribute("data-keep-off") &&
      !form.hasAttribute("hx-post") &&
      !form.closest("dialog")
    );
  }

  function sendForm(form, submitter) {
    form._keepChecked = true;
    if (form.requestSubmit) form.requestSubmit(submitter || undefined);
    else form.submit();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!keptForm(form)) return;
    if (form._keepChecked) {
      form._keepChecked = false;
      var drafts = read(DRAFTS) || {};
      drafts[formKey(form)] = { page: here(), user: user(), values: fields(form), at: Date.now() };
      write(DRAFTS, drafts);
      try {
        sessionStorage.setItem(SENT, formKey(form));
      } catch (e) {
        // Without sessionStorage the draft is only cleared by its banner.
      }
      return;
    }
    event.preventDefault();
    var submitter = event.submitter || null;
    if (!statusBox()) return sendForm(form, submitter);
    session().then(
      function (state) {
        if (signedInAs(state)) return sendForm(form, submitter);
        waitingSubmit = { form: form, submitter: submitter };
        reason = "login";
        render();
        signIn();
      },
      function () {
        // Offline or the server down: keep the draft and say so; the user sends it again.
        var drafts = read(DRAFTS) || {};
        drafts[formKey(form)] = { page: here(), user: user(), values: fields(form), at: Date.now() };
        write(DRAFTS, drafts);
        wait(navigator.onLine ? "server" : "offline");
      }
    );
  });

  // After a form was sent: an ordinary page means it went through; an error page keeps the draft.
  function settleSentForm() {
    var sent = null;
    try {
      sent = sessionStorage.getItem(SENT);
      sessionStorage.removeItem(SENT);
    } catch (e) {
      sent = null;
    }
    if (!sent || document.body.hasAttribute("data-keep-failed")) return;
    var drafts = read(DRAFTS) || {};
    delete drafts[sent];
    write(DRAFTS, drafts);
  }

  function restoreDrafts() {
    var drafts = read(DRAFTS) || {};
    document.querySelectorAll("form").forEach(function (form) {
      if (!keptForm(form)) return;
      var draft = drafts[formKey(form)];
      if (!draft || draft.user !== user()) return;
      var seen = {};
      draft.values.forEach(function (pair) {
        var name = pair[0];
        var value = pair[1];
        var els = form.querySelectorAll('[name="' + name.replace(/"/g, "") + '"]');
        els.forEach(function (el) {
          if (el.type === "checkbox" || el.type === "radio") {
            if (!seen[name]) el.checked = false;
            if (el.value === value) el.checked = true;
          } else if (el.tagName === "SELECT" && el.multiple) {
            Array.prototype.forEach.call(el.options, function (o) {
              if (!seen[name]) o.selected = false;
              if (o.value === value) o.selected = true;
            });
          } else {
            el.value = value;
          }
        });
        seen[name] = true;
      });
      form.setAttribute("data-keep-state", "restored");
      var note = document.querySelector("#keep-status [data-keep-restored]");
      if (note && !form.querySelector(".keep-restored")) {
        var shown = document.createElement("div");
        shown.className = "keep-restored alert alert-warning small py-2";
        shown.setAttribute("role", "status");
        shown.textContent = note.textContent;
        form.insertAdjacentElement("afterbegin", shown);
      }
      delete drafts[formKey(form)];
    });
    write(DRAFTS, drafts);
  }

  // --- on every page -------------------------------------------------------------------------------

  function start() {
    settleSentForm();
    restoreDrafts();
    render();
    var waiting = queue().filter(function (e) {
      return e.user === user();
    });
    waiting.forEach(function (entry) {
      if (entry.page !== here()) return;
      // Back on the page after a reload: the field shows what was typed, not the saved value;
      // a conflict is sent again so that the server shows it, with the newer value, once more.
      var field = entry.fieldId && document.getElementById(entry.fieldId);
      if (field && entry.value !== undefined) field.value = entry.value;
      if (isConflict(entry)) entry.state = "waiting";
    });
    write(QUEUE, queue().map(function (e) {
      var same = waiting.filter(function (w) { return w.key === e.key; })[0];
      return same || e;
    }));
    if (waiting.length && user()) {
      if (!navigator.onLine) wait("offline");
      else replay();
    }
  }

  // A grid whose last rows join it after the first screen (grid.js): start once they are there.
  function startWhenReady() {
    if (document.getElementById("grid-rest")) document.addEventListener("grid:complete", start, { once: true });
    else start();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startWhenReady);
  else startWhenReady();
})();
