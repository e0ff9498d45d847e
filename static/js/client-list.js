// The clients list: the search box narrows the rows in the page as one types, so a name never
// leaves the browser. The Search button (a POST) still does the whole search without script.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("q");
  const count = document.getElementById("client-count");
  const rows = Array.from(document.querySelectorAll("table.client-list tbody tr[data-search]"));
  if (!box || !count || rows.length === 0) return;
  const narrow = () => {
    const words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    rows.forEach((row) => {
      const keep = words.every((w) => row.dataset.search.includes(w));
      row.hidden = !keep;
      if (keep) shown += 1;
    });
    const template = shown === 1 ? count.dataset.templateOne : count.dataset.templateMany;
    count.textContent = template.replace("{n}", String(shown));
  };
  box.addEventListener("input", narrow);
  if (box.value) narrow();
});
