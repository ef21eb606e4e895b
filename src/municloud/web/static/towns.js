/* 町字の入力補助（住所マスター）: a keyboard-first type-ahead for input[data-towns-url].
 *
 * Typing (kana or kanji) asks GET {data-towns-url}?q=…&on=… (the screen's own JSON, same
 * session; nothing from a CDN) and lists up to 20 町字 in the listbox named by
 * aria-controls. ↓/↑ move through them (aria-activedescendant), Enter or a click takes
 * one: the box gets the 町字's name and the element named by data-derived shows the
 * 郵便番号 and attributes the server will derive. Escape closes the list. Without
 * JavaScript the box is a plain text field: the server matches the typed name.
 */
(function () {
  "use strict";

  function setup(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var derived = document.getElementById(input.dataset.derived);
    var ido = input.form && input.form.elements.namedItem("ido_date");
    var items = [], active = -1, timer = null, asked = 0;

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function describe(town) {
      var parts = [];
      if (town.postal_code) {
        parts.push("郵便番号 〒" + town.postal_code.slice(0, 3) + "-" + town.postal_code.slice(3));
      }
      Object.keys(town.attributes || {}).forEach(function (name) {
        parts.push(name + "：" + town.attributes[name]);
      });
      return town.name + "（" + (parts.join("、") || "付加情報なし") + "）";
    }

    function show(found) {
      close();
      items = found;
      if (!items.length) {
        derived.textContent = "「" + input.value + "」を含む町字は住所マスターにありません";
        return;
      }
      items.forEach(function (town, i) {
        var li = document.createElement("li");
        li.id = "town-option-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = town.name + "（" + town.kana + "）" + (town.postal_code ? " 〒" + town.postal_code : "");
        li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(i); });
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function move(step) {
      if (!items.length) { return; }
      active = (active + step + items.length) % items.length;
      Array.prototype.forEach.call(list.children, function (li, i) {
        li.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", "town-option-" + active);
      list.children[active].scrollIntoView({block: "nearest"});
    }

    function pick(i) {
      var town = items[i];
      input.value = town.name;
      derived.textContent = describe(town);
      close();
    }

    function ask() {
      var q = input.value.trim();
      if (!q) { close(); return; }
      var mine = ++asked;
      var url = input.dataset.townsUrl + "?q=" + encodeURIComponent(q) +
        (ido && ido.value ? "&on=" + encodeURIComponent(ido.value) : "");
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (found) { if (mine === asked) { show(found); } })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (items.length) { move(e.key === "ArrowDown" ? 1 : -1); } else { ask(); }
      } else if (e.key === "Enter" && !list.hidden && active >= 0) {
        e.preventDefault();
        pick(active);
      } else if (e.key === "Escape" && !list.hidden) {
        e.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-towns-url]"), setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
