// Autocompletion for the site-wide search box (ARIA combobox with a listbox of suggestions grouped by type), from
// /api/search: names, alternative names and descriptions, with the text that matched.
(function () {
  "use strict";
  const input = document.getElementById("site-search-input");
  const listbox = document.getElementById("site-search-suggestions");
  if (!input || !listbox) return;

  const script = document.currentScript;
  if (script && !document.querySelector("link[data-search-css]")) {
    const css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = new URL("../css/search.css", script.src).toString();
    css.dataset.searchCss = "";
    document.head.append(css);
  }

  const form = input.form;
  let options = [];      // option elements in display order
  let active = -1;       // index of the highlighted option
  let timer = null;
  let controller = null;
  let lastQuery = null;

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-haspopup", "listbox");

  function close() {
    listbox.hidden = true;
    listbox.replaceChildren();
    options = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    if (!options.length) return;
    active = (index + options.length) % options.length;
    options.forEach((option, i) => option.setAttribute("aria-selected", i === active ? "true" : "false"));
    input.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({ block: "nearest" });
  }

  function go(option) {
    window.location.assign(option.dataset.url);
  }

  function render(hits, query) {
    listbox.replaceChildren();
    options = [];
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (!hits.length) {
      const empty = document.createElement("div");
      empty.className = "suggestion-empty";
      empty.setAttribute("role", "presentation");
      empty.textContent = listbox.dataset.none.replace("%(query)s", query);  // the page's words (base.html)
      listbox.append(empty);
    }
    let group = null;
    let groupType = null;
    hits.forEach((hit) => {
      if (hit.type !== groupType) {
        groupType = hit.type;
        group = document.createElement("div");
        group.setAttribute("role", "group");
        const heading = document.createElement("div");
        heading.className = "suggestion-group";
        heading.id = "site-search-group-" + listbox.children.length;
        heading.setAttribute("role", "presentation");
        heading.textContent = hit.type_label;
        group.setAttribute("aria-labelledby", heading.id);
        group.append(heading);
        listbox.append(group);
      }
      const option = document.createElement("div");
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.id = "site-search-option-" + options.length;
      option.className = "suggestion";
      option.dataset.url = hit.url;
      option.dataset.iri = hit.iri;
      const label = document.createElement("span");
      label.className = "suggestion-label";
      label.textContent = hit.label;
      option.append(label);
      if (hit.matched && (hit.matched !== hit.label || hit.field !== "label")) {
        // Why it matched: the alternative name or the words of the description, the matching part marked.
        const matched = document.createElement("span");
        matched.className = "suggestion-matched";
        matched.append(" (");
        (hit.snippet || [{ text: hit.matched, match: false }]).forEach((part) => {
          if (part.match) {
            const mark = document.createElement("mark");
            mark.textContent = part.text;
            matched.append(mark);
          } else {
            matched.append(part.text);
          }
        });
        matched.append(")");
        option.append(matched);
      }
      option.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus in the input
      option.addEventListener("click", () => go(option));
      group.append(option);
      options.push(option);
    });
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function fetchSuggestions() {
    const query = input.value.trim();
    if (query === lastQuery && !listbox.hidden) return;
    lastQuery = query;
    if (!query) {
      close();
      return;
    }
    if (controller) controller.abort();
    controller = new AbortController();
    fetch("/api/search?limit=12&q=" + encodeURIComponent(query), {
      headers: { Accept: "application/json" },
      signal: controller.signal,
    })
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(response.statusText))))
      .then((data) => {
        if (input.value.trim() === query && document.activeElement === input) render(data.results, query);
      })
      .catch((error) => {
        if (error.name !== "AbortError") close();
      });
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 120);
  });

  input.addEventListener("keydown", (event) => {
    const open = !listbox.hidden && options.length > 0;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (listbox.hidden) {
          lastQuery = null;
          fetchSuggestions();
        } else if (open) highlight(active + 1);
        break;
      case "ArrowUp":
        if (open) {
          event.preventDefault();
          highlight(active - 1);
        }
        break;
      case "Home":
      case "End":
        break;
      case "Enter":
        if (open && active >= 0) {
          event.preventDefault();
          go(options[active]);
        }
        break; // otherwise the form submits to /search
      case "Escape":
        if (!listbox.hidden) {
          event.preventDefault();
          close();
        } else if (input.value) {
          input.value = "";
        }
        break;
      default:
        break;
    }
  });

  input.addEventListener("blur", () => setTimeout(close, 150));
  input.addEventListener("focus", () => {
    if (input.value.trim()) {
      lastQuery = null;
      fetchSuggestions();
    }
  });
  if (form) form.addEventListener("submit", () => clearTimeout(timer));
})();
