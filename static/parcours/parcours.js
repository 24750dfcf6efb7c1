/* Parcours: the little behaviour the pages need, in one file because the Content-Security-Policy
   forbids inline scripts and event attributes (onclick=…). Every page works without it; it only
   hides what does not apply, adds keyboard shortcuts and draws progress bars. */
(function () {
  "use strict";

  // Anonymous saisine: the identity fields are hidden (the server ignores them anyway).
  function syncAnonymous(root) {
    var box = root.querySelector ? root.querySelector("#id_anonymous") : null;
    if (!box) { return; }
    document.querySelectorAll("#identity-section .row").forEach(function (row) { row.hidden = box.checked; });
  }

  // Séance decision: only the fieldset of the chosen kind of decision is shown.
  function syncDecision(root) {
    var form = root.querySelector ? root.querySelector("#decision-form") : null;
    if (!form) { return; }
    var checked = form.querySelector("input[name='decision-kind']:checked");
    form.querySelectorAll(".decision-detail").forEach(function (fieldset) {
      fieldset.hidden = !checked || fieldset.dataset.kinds !== checked.value;
    });
  }

  // Progress bars carry their value in data-progress: a style="width: …" attribute is inline style.
  // Setting the width through the CSSOM is allowed by the policy.
  function drawProgress(root) {
    if (!root.querySelectorAll) { return; }
    root.querySelectorAll("[data-progress]").forEach(function (bar) {
      var value = Math.max(0, Math.min(100, parseInt(bar.dataset.progress, 10) || 0));
      bar.style.width = value + "%";
    });
  }

  // A table wider than a phone scrolls inside its box: the box takes the keyboard focus so that the
  // arrow keys scroll it (WCAG 2.1.1), and is named after the table's caption.
  function focusableScrollers(root) {
    if (!root.querySelectorAll) { return; }
    root.querySelectorAll(".table-responsive:not([tabindex])").forEach(function (box) {
      var caption = box.querySelector("caption");
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", caption ? caption.textContent.trim() : (document.title.split(" — ")[0]));
    });
  }

  // A form sent back with errors: the focus goes to the summary at its top, which names each error
  // and links to its field (a screen reader reads it at once; the keyboard starts from there).
  function focusErrors(root) {
    var summary = root.querySelector ? root.querySelector("#form-errors") : null;
    if (summary) { summary.focus(); }
  }

  function init(root) {
    focusErrors(root);
    focusableScrollers(root);
    syncAnonymous(root);
    syncDecision(root);
    drawProgress(root);
  }

  document.addEventListener("change", function (event) {
    if (event.target.id === "id_anonymous") { syncAnonymous(document); }
    if (event.target.closest("#decision-form")) { syncDecision(document); }
  });

  // Keyboard shortcuts: a link with data-hotkey="ArrowRight" is followed when that key is pressed
  // (mode séance: previous and next point), unless the person is typing in a field.
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    if (event.target.closest && event.target.closest("input, textarea, select, [contenteditable]")) { return; }
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") { return; }
    var link = document.querySelector("a[data-hotkey='" + event.key + "']");
    if (link) { window.location.href = link.href; }
  });

  // A button with data-print prints the page (the information notices).
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });

  // A passkey just added (django-otp-webauthn's script): show the page again, with it in the list.
  document.addEventListener("otp_webauthn.register_complete", function () { window.location.reload(); });

  // The first load, then every fragment htmx swaps in (htmx:load bubbles from the new content).
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
