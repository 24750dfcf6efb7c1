/* Parcours: nothing typed is lost when a session ends.

   1. A warning a few minutes before the idle timeout, with « Rester connecté » (a POST to the
      keep-alive address, which extends the session).
   2. Drafts: what is typed in a form marked data-draft (a note, a saisine) is kept in this tab's
      sessionStorage, keyed by the form's address, and given back when the form shows again empty
      (after signing in again). It never goes to the server except by the form itself; it is dropped
      once the form was sent and the next page says so (a success message), and on sign-out.
   A file of its own: the Content-Security-Policy forbids inline scripts. */
(function () {
  "use strict";

  var PREFIX = "parcours-draft:";
  var store = null;
  try {
    store = window.sessionStorage;
    store.getItem(PREFIX);
  } catch (error) {
    store = null;  // Storage disabled: drafts are simply not kept.
  }

  // ---- Drafts ------------------------------------------------------------------------------

  function keyOf(form) {
    var action = form.getAttribute("action");
    return PREFIX + (action ? new URL(action, window.location.href).pathname : window.location.pathname);
  }

  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && field.name !== "csrfmiddlewaretoken" &&
        ["hidden", "password", "file", "submit", "button", "reset"].indexOf(field.type) === -1;
    });
  }

  function isText(field) {
    return field.tagName === "TEXTAREA" || (field.tagName === "INPUT" && field.type !== "checkbox" && field.type !== "radio");
  }

  function read(form) {
    var values = {};
    var typed = false;
    draftFields(form).forEach(function (field) {
      if (field.type === "checkbox" || field.type === "radio") {
        values[field.name] = values[field.name] || [];
        if (field.checked) { values[field.name].push(field.value); }
      } else if (field.tagName === "SELECT") {
        values[field.name] = Array.prototype.map.call(field.selectedOptions, function (option) { return option.value; });
      } else {
        values[field.name] = field.value;
        if (field.value.trim() !== "") { typed = true; }
      }
    });
    return typed ? values : null;
  }

  function save(form, submitted) {
    if (!store) { return; }
    var values = read(form);
    if (values) {
      store.setItem(keyOf(form), JSON.stringify({ values: values, submitted: submitted }));
    } else {
      store.removeItem(keyOf(form));
    }
  }

  function drafts() {
    var keys = [];
    if (!store) { return keys; }
    for (var index = 0; index < store.length; index += 1) {
      var key = store.key(index);
      if (key && key.indexOf(PREFIX) === 0) { keys.push(key); }
    }
    return keys;
  }

  function load(key) {
    try { return JSON.parse(store.getItem(key)); } catch (error) { return null; }
  }

  function fill(form, values) {
    draftFields(form).forEach(function (field) {
      var value = values[field.name];
      if (value === undefined) { return; }
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = value.indexOf(field.value) !== -1;
      } else if (field.tagName === "SELECT") {
        Array.prototype.forEach.call(field.options, function (option) { option.selected = value.indexOf(option.value) !== -1; });
      } else {
        field.value = value;
      }
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function announce(form) {
    var notice = document.createElement("p");
    notice.className = "alert alert-info draft-restored";
    notice.setAttribute("role", "status");
    notice.textContent = form.dataset.draftRestored ||
      "Votre saisie a été conservée sur cet appareil et remise dans le formulaire\u00a0: vérifiez-la puis envoyez-la.";
    form.insertBefore(notice, form.firstChild);
  }

  function restore(form) {
    var key = keyOf(form);
    var draft = store && load(key);
    if (!draft || !draft.values) { return; }
    var alreadyTyped = draftFields(form).some(function (field) { return isText(field) && field.value.trim() !== ""; });
    if (alreadyTyped) { return; }  // The server gave the form back with what was sent: it wins.
    fill(form, draft.values);
    store.setItem(key, JSON.stringify({ values: draft.values, submitted: false }));
    announce(form);
  }

  function settleDrafts() {
    if (!store) { return; }
    // The form was sent and the next page confirms it: its draft has done its job.
    if (document.querySelector(".alert-success")) {
      drafts().forEach(function (key) {
        var draft = load(key);
        if (!draft || draft.submitted) { store.removeItem(key); }
      });
    }
    document.querySelectorAll("form[data-draft]").forEach(restore);
    // The sign-in page: say that the session ended and that what was typed waits on this device.
    var expired = document.getElementById("session-expired");
    if (expired && drafts().length) {
      expired.hidden = false;
      var kept = document.getElementById("draft-kept");
      if (kept) { kept.hidden = false; }
    }
  }

  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-draft")) { save(form, false); }
  });
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-draft")) { save(form, false); }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-draft")) { save(form, true); }
    if (form.hasAttribute("data-drafts-clear")) {
      drafts().forEach(function (key) { store.removeItem(key); });
    }
  });

  // ---- Idle-timeout warning ----------------------------------------------------------------

  var WARN_BEFORE_SECONDS = 180;
  var warning = null;
  var timers = [];

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (error) { return ""; }
  }

  function showWarning(expired) {
    var text = document.getElementById("idle-warning-text");
    var stay = warning.querySelector("[data-keep-alive]");
    var signIn = warning.querySelector("[data-sign-in]");
    warning.hidden = false;
    text.textContent = expired ? text.dataset.expiredText : text.dataset.expiringText;
    stay.hidden = expired;
    signIn.hidden = !expired;
    signIn.href = warning.dataset.loginUrl + "?next=" + encodeURIComponent(window.location.pathname + window.location.search);
    var active = document.activeElement;
    var typing = active && active.closest && active.closest("input, textarea, select, [contenteditable]");
    // Not while someone types: the live text is announced anyway, and the keyboard stays where it was.
    if (!typing) { (expired ? signIn : stay).focus(); }
  }

  function arm() {
    timers.forEach(window.clearTimeout);
    var idle = parseInt(warning.dataset.idleSeconds, 10);
    if (!idle) { return; }
    var before = Math.min(WARN_BEFORE_SECONDS, idle / 3);
    timers = [
      window.setTimeout(function () { showWarning(false); }, (idle - before) * 1000),
      window.setTimeout(function () { showWarning(true); }, idle * 1000),
    ];
  }

  function stay() {
    fetch(warning.dataset.keepAliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    }).then(function (response) {
      if (response.status === 204) {
        warning.hidden = true;
        arm();
      } else {
        showWarning(true);
      }
    }).catch(function () { showWarning(true); });
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-keep-alive]")) { stay(); }
  });
  // An htmx request reached the server: the session was extended as by a page.
  document.addEventListener("htmx:afterRequest", function () { if (warning) { arm(); } });

  document.addEventListener("DOMContentLoaded", function () {
    settleDrafts();
    warning = document.getElementById("idle-warning");
    if (warning) { arm(); }
  });
})();
