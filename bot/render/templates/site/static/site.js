// packman: sorting, filtering and search for the home page's matrix. The page is complete
// without this script; it only adds the buttons and the filter form.
"use strict";
(function () {
  const table = document.getElementById("matrix");
  const form = document.querySelector("[data-filters]");
  if (!table || !form) return;
  const body = table.tBodies[0];
  const headers = Array.from(table.tHead.rows[0].cells);
  const count = document.getElementById("matrix-count");

  function value(row, index, numeric) {
    const cell = row.cells[index];
    const text = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
    return numeric ? Number(text) : text.toLowerCase();
  }

  function sortBy(index) {
    const header = headers[index];
    const numeric = header.dataset.sort === "number";
    const order = header.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    const sign = order === "ascending" ? 1 : -1;
    const rows = Array.from(body.rows);
    rows.sort(function (a, b) {
      const x = value(a, index, numeric), y = value(b, index, numeric);
      if (x < y) return -sign;
      if (x > y) return sign;
      return value(a, 0, false) < value(b, 0, false) ? -1 : 1;
    });
    headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", order);
    rows.forEach(function (row) { body.appendChild(row); });
  }

  headers.forEach(function (header, index) {
    if (!header.dataset.sort) return;
    const button = document.createElement("button");
    button.type = "button";
    while (header.firstChild) button.appendChild(header.firstChild);
    button.addEventListener("click", function () { sortBy(index); });
    header.appendChild(button);
  });

  function filter() {
    const query = form.elements.q.value.trim().toLowerCase();
    const language = form.elements.language.value;
    const tier = form.elements.tier.value;
    const status = form.elements.status.value;
    let shown = 0;
    Array.from(body.rows).forEach(function (row) {
      const visible =
        (!query || row.dataset.search.includes(query)) &&
        (!language || row.dataset.languages.split("|").includes(language)) &&
        (!tier || row.dataset.tier === tier) &&
        (!status || row.dataset.status === status);
      row.hidden = !visible;
      if (visible) shown += 1;
    });
    count.textContent = shown + (shown === 1 ? " registry" : " registries") +
      (shown === body.rows.length ? "" : " of " + body.rows.length);
  }

  form.addEventListener("input", filter);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
})();
