/* Suggestions as you type, over a search form that works without them (a plain GET form).
   WAI-ARIA 1.2 combobox with a listbox popup: focus stays in the input and the option in
   use is pointed at by aria-activedescendant, so typing never stops. Served as is, no build. */
(function () {
  "use strict";
  if (!window.fetch || !window.AbortController) return; // the plain form still works

  var en = /^en\b/i.test(document.documentElement.lang);
  var KINDS = en
    ? { layanan: "Service", berita: "News", pengumuman: "Announcement", dokumen: "Document",
        agenda: "Event", dataset: "Data", aplikasi: "Application", opd: "Government agency",
        halaman: "Page", kueri: "Search" }
    : { layanan: "Layanan", berita: "Berita", pengumuman: "Pengumuman", dokumen: "Dokumen",
        agenda: "Agenda", dataset: "Data", aplikasi: "Aplikasi", opd: "Perangkat daerah",
        halaman: "Halaman", kueri: "Pencarian" };
  var LISTBOX_NAME = en ? "Search suggestions" : "Saran pencarian";
  function countText(n) {
    return en ? n + (n === 1 ? " suggestion" : " suggestions") + " available" : n + " saran tersedia";
  }

  function make(tag, props, attributes) {
    var element = Object.assign(document.createElement(tag), props);
    for (var name in attributes) element.setAttribute(name, attributes[name]);
    return element;
  }

  function enhance(input) {
    var form = input.form;
    var host = input.parentElement;
    var listbox = make("ul", { id: input.id + "-saran", className: "suggest", hidden: true },
      { role: "listbox", "aria-label": LISTBOX_NAME });
    // Polite; in the page before it is filled, or screen readers miss the first message.
    var status = make("div", { className: "vh" }, { role: "status" });
    var cache = new Map(); // typed string → suggestions, for this page view
    var items = [];
    var active = -1;
    var timer = 0;
    var controller = null;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listbox.id);
    host.classList.add("suggest-host");
    host.append(listbox, status);
    expand(false);

    function expand(open) {
      listbox.hidden = !open;
      input.setAttribute("aria-expanded", String(open));
    }

    function close() {
      expand(false);
      setActive(-1);
    }

    function setActive(index) {
      var previous = listbox.children[active];
      if (previous) previous.setAttribute("aria-selected", "false");
      active = index;
      var option = listbox.children[index];
      if (option) {
        option.setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(found) {
      items = found;
      active = -1;
      input.removeAttribute("aria-activedescendant");
      listbox.textContent = "";
      listbox.append.apply(listbox, found.map(function (item, i) {
        var option = make("li", { id: listbox.id + "-" + i, className: "suggest__option" },
          { role: "option", "aria-selected": "false" });
        option.append(
          make("span", { className: "suggest__label", textContent: item.label }),
          make("span", { className: "vh", textContent: ", " }),
          make("span", { className: "suggest__kind", textContent: KINDS[item.kind] || "" })
        );
        return option;
      }));
      if (found.length) expand(true);
      else close();
      status.textContent = found.length ? countText(found.length) : "";
    }

    function choose(index) {
      var item = items[index];
      if (!item) return;
      close();
      if (item.kind === "kueri" || !item.url) {
        input.value = item.label;
        if (form.requestSubmit) form.requestSubmit();
        else form.submit();
        return;
      }
      var target = new URL(item.url, location.href);
      if (target.protocol === "https:" || target.protocol === "http:") location.assign(target.href);
    }

    async function load(typed) {
      if (controller) controller.abort();
      if (!navigator.onLine) return show([]);
      controller = new AbortController();
      try {
        var url = input.dataset.suggest + "?q=" + encodeURIComponent(typed);
        var response = await fetch(url, {
          signal: controller.signal,
          headers: { Accept: "application/json" },
        });
        if (!response.ok) throw new Error(response.status);
        var found = (await response.json()).suggestions || [];
        cache.set(typed, found);
        if (input.value === typed && document.activeElement === input) show(found);
      } catch (error) {
        if (error.name !== "AbortError") show([]); // none this time; the form still works
      }
    }

    input.addEventListener("input", function () {
      var typed = input.value;
      clearTimeout(timer);
      if (controller) controller.abort();
      if (typed.trim().length < 2) return show([]);
      if (cache.has(typed)) return show(cache.get(typed));
      timer = setTimeout(load, 150, typed);
    });

    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden;
      var count = items.length;
      if (event.isComposing) return; // Enter or arrows that belong to an input method
      switch (event.key) {
        case "ArrowDown":
        case "ArrowUp":
          if (!count) return;
          event.preventDefault();
          if (!open) {
            expand(true);
            if (event.altKey) return;
          }
          var step = event.key === "ArrowDown" ? 1 : -1;
          setActive(active < 0 && step < 0 ? count - 1 : (active + step + count) % count);
          break;
        case "Enter":
          if (open && active >= 0) {
            event.preventDefault();
            choose(active);
          }
          break;
        case "Escape":
          if (open) {
            event.preventDefault(); // else the search field also clears what was typed
            close();
          }
          break;
        case "Tab":
          close();
          break;
      }
    });

    input.addEventListener("blur", close);
    // Keep focus in the input while the pointer is on the list, so blur does not close it first.
    listbox.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) choose(Array.prototype.indexOf.call(listbox.children, option));
    });
  }

  document.querySelectorAll("input[data-suggest][id]").forEach(enhance);
})();
