// The compare picker's type-ahead: suggestions from the roles API as the reader types; picking one
// adds it to the chosen roles as a ticked box. Without this script the same form finds roles on
// the server ("Find"), so nothing here is needed to compare.
(function () {
  "use strict";
  var form = document.querySelector("form[data-role-search]");
  if (!form || !window.fetch) return;
  var input = form.querySelector("#compare-find");
  var chosen = form.querySelector(".picker-chosen");
  if (!input || !chosen) return;

  var endpoint = form.getAttribute("data-role-search");
  var lang = document.documentElement.lang || "en";
  var list = document.createElement("ul");
  list.id = "compare-suggestions";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", input.labels && input.labels[0] ? input.labels[0].textContent : "");
  list.hidden = true;
  input.parentNode.insertBefore(list, input.nextSibling);
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  form.appendChild(status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  var timer = null;
  var active = -1;
  var latest = 0;

  function options() { return list.querySelectorAll("[role=option]"); }

  function close() {
    list.hidden = true;
    list.textContent = "";
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    var items = options();
    if (!items.length) return;
    active = (index + items.length) % items.length;
    items.forEach(function (item, i) { item.setAttribute("aria-selected", i === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  }

  function isChosen(slug) {
    return Array.prototype.some.call(chosen.querySelectorAll("input[name=roles]"), function (box) {
      return box.value === slug;
    });
  }

  function choose(slug, title) {
    if (!isChosen(slug)) {
      var empty = chosen.querySelector(".empty");
      if (empty) empty.remove();
      var item = document.createElement("li");
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = "roles";
      box.value = slug;
      box.checked = true;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + title));
      item.appendChild(label);
      chosen.appendChild(item);
      // The same role further down (the server's list) would send its slug twice.
      form.querySelectorAll(".picker-found input[name=roles]").forEach(function (other) {
        if (other.value === slug) other.closest("li").remove();
      });
    }
    status.textContent = title + " ✓";
    input.value = "";
    close();
    input.focus();
  }

  function show(results) {
    list.textContent = "";
    active = -1;
    results.forEach(function (role, i) {
      var item = document.createElement("li");
      item.id = "compare-suggestion-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.textContent = role.title;
      item.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep the focus in the box
        choose(role.slug, role.title);
      });
      list.appendChild(item);
    });
    list.hidden = results.length === 0;
    input.setAttribute("aria-expanded", results.length ? "true" : "false");
  }

  function search() {
    var query = input.value.trim();
    if (query.length < 2) { close(); return; }
    var ticket = ++latest;
    var url = endpoint + "?search=" + encodeURIComponent(query) + "&fields=slug,title&page_size=8&lang=" + lang;
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        if (ticket !== latest) return; // an answer to an older query
        show((data.results || []).filter(function (role) { return !isChosen(role.slug); }));
      })
      .catch(close);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  input.addEventListener("keydown", function (event) {
    if (list.hidden) return;
    if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
    else if (event.key === "Escape") { event.preventDefault(); close(); }
    else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      var item = options()[active];
      item.dispatchEvent(new MouseEvent("mousedown"));
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();
