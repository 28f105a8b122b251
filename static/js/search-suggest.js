// Progressive enhancement: suggestions under the search box as you type (an ARIA combobox).
// Without JavaScript the box is a plain search form. Suggestions come from the API
// (GET /api/v1/search/suggest/?q=); choosing a role opens its page, choosing words searches for them.
(function () {
  "use strict";
  var DELAY = 120;

  function enhance(input) {
    var endpoint = input.getAttribute("data-suggest");
    var form = input.form;
    var list = document.createElement("ul");
    var listId = input.id + "-suggestions";
    var timer = null;
    var items = [];
    var active = -1;
    var latest = 0;

    list.id = listId;
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.getAttribute("data-suggest-label") || "");
    list.hidden = true;
    input.parentNode.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");

    function close() {
      list.hidden = true;
      list.textContent = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      active = index;
      items.forEach(function (item, i) {
        item.element.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].element.id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(item) {
      if (item.kind === "role") {
        window.location.assign(item.url);
      } else {
        input.value = item.text;
        close();
        form.submit();
      }
    }

    function show(suggestions) {
      close();
      if (!suggestions.length) {
        return;
      }
      suggestions.forEach(function (suggestion, i) {
        var element = document.createElement("li");
        var kind = document.createElement("span");
        element.id = listId + "-" + i;
        element.setAttribute("role", "option");
        element.setAttribute("aria-selected", "false");
        element.textContent = suggestion.text;
        kind.className = "kind";
        kind.textContent = input.getAttribute(suggestion.kind === "role" ? "data-role-label" : "data-term-label") || "";
        element.appendChild(kind);
        element.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the box
          choose(suggestion);
        });
        list.appendChild(element);
        items.push({ element: element, kind: suggestion.kind, text: suggestion.text, url: suggestion.url });
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function fetchSuggestions() {
      var query = input.value;
      var ticket = ++latest;
      if (query.trim().length < 2) {
        close();
        return;
      }
      var url = endpoint + "?q=" + encodeURIComponent(query) + "&lang=" + encodeURIComponent(document.documentElement.lang || "en");
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (data) {
          if (ticket === latest && document.activeElement === input) {
            show(data.suggestions || []);
          }
        })
        .catch(close); // no suggestions is the page without JavaScript: nothing is lost
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(items[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
  }

  document.querySelectorAll("input[data-suggest]").forEach(enhance);
})();
