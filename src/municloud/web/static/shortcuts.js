/* Keyboard shortcuts of the screens (standard: keyboard-only operation).
 *
 * Alt+letter activates the element marked data-shortcut="letter": a field is focused, a
 * link or button is followed / pressed. An element inside <main> wins over one in the
 * header (so on a resident page Alt+N opens the notification for that resident). The keys
 * are listed on every screen in the "キーボード操作" box. event.code is used, so the
 * shortcuts work whatever Alt+letter types on the keyboard layout (macOS: ß, ©, …).
 *
 * On load: an error summary (data-autofocus) takes the focus, so a screen reader reads it
 * and Tab goes on to its links; otherwise the element with autofocus keeps it.
 */
(function () {
  "use strict";

  function target(letter) {
    var selector = '[data-shortcut="' + letter + '"]';
    return document.querySelector("main " + selector) || document.querySelector(selector);
  }

  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    var match = /^Key([A-Z])$/.exec(event.code || "");
    if (!match) {
      return;
    }
    var element = target(match[1].toLowerCase());
    if (!element) {
      return;
    }
    event.preventDefault();
    var tag = element.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") {
      element.focus();
      if (element.select && element.type !== "checkbox") {
        element.select();
      }
    } else {
      element.focus();
      element.click();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-autofocus]");
    if (summary) {
      summary.focus();
      return;
    }
    var first = document.querySelector("[autofocus]");
    if (first && document.activeElement !== first) {
      first.focus();
    }
  });
})();
