// UnionPortal's only script besides Bootstrap and htmx. There are no inline scripts
// anywhere (the Content-Security-Policy forbids them): behaviour hangs on classes here.
(function () {
  "use strict";

  // Language and filter selects submit their form on change.
  document.addEventListener("change", function (event) {
    var form = event.target.closest("form.js-autosubmit");
    if (form && event.target.tagName === "SELECT") {
      form.submit();
    }
  });

  // Merge form: show the fields of the chosen mode (new or existing organization) only.
  function syncMergeMode() {
    var chosen = document.querySelector("input[name=mode]:checked");
    if (!chosen) return;
    document.querySelectorAll("[data-merge-mode]").forEach(function (el) {
      el.hidden = el.getAttribute("data-merge-mode") !== chosen.value;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.name === "mode") syncMergeMode();
  });
  document.addEventListener("DOMContentLoaded", syncMergeMode);
})();
