// The header search box as an ARIA combobox: htmx fetches the options, this file lets the
// keyboard walk them. Without JavaScript the box is a plain form that opens the results page.
(function () {
  "use strict";
  const input = document.getElementById("site-search");
  const list = document.getElementById("search-suggestions");
  if (!input || !list) return;
  let active = -1;

  function options() {
    return Array.from(list.querySelectorAll('[role="option"]'));
  }

  function open(isOpen) {
    list.hidden = !isOpen;
    input.setAttribute("aria-expanded", isOpen ? "true" : "false");
    if (!isOpen) choose(-1);
  }

  function choose(index) {
    const all = options();
    active = index;
    all.forEach(function (option, n) {
      option.setAttribute("aria-selected", n === index ? "true" : "false");
    });
    if (index >= 0 && all[index]) {
      input.setAttribute("aria-activedescendant", all[index].id);
      all[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.target !== list) return;
    active = -1;
    open(options().length > 0 && document.activeElement === input);
  });

  input.addEventListener("keydown", function (event) {
    const all = options();
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!all.length) return;
      event.preventDefault();
      if (list.hidden) open(true);
      // Positions -1 (back in the text) to length - 1, wrapping round at both ends.
      const step = event.key === "ArrowDown" ? 1 : -1;
      const next = ((active + 1 + step + all.length + 1) % (all.length + 1)) - 1;
      choose(next);
    } else if (event.key === "Enter" && !list.hidden && active >= 0 && all[active]) {
      event.preventDefault();
      window.location.assign(all[active].dataset.url);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      open(false);
    }
  });

  input.addEventListener("blur", function () {
    // Later than a click on an option, which must still reach its link.
    window.setTimeout(function () { open(false); }, 200);
  });
  input.addEventListener("focus", function () {
    if (options().length) open(true);
  });
})();
