// The employer contact's client picker: a search box narrows the list of clients (chosen ones stay
// in view) and the line above the list names the chosen clients. Without script the list scrolls.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-picker]").forEach((box) => {
    const fieldset = document.getElementById(box.dataset.picker);
    const picked = document.getElementById(`${box.dataset.picker}-picked`);
    if (!fieldset || !picked) return;
    const items = Array.from(fieldset.querySelectorAll(".pick-list [data-search]"));
    box.closest(".pick-search").hidden = false;
    const narrow = () => {
      const words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      items.forEach((item) => {
        const checked = item.querySelector("input").checked;
        item.hidden = !checked && !words.every((w) => item.dataset.search.includes(w));
      });
    };
    const name = () => {
      const names = items
        .filter((item) => item.querySelector("input").checked)
        .map((item) => item.querySelector("label").textContent.trim());
      picked.textContent = names.length ? picked.dataset.prefix + names.join(", ") : picked.dataset.none;
    };
    box.addEventListener("input", narrow);
    // Enter in the search box must not send the form half filled.
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault();
    });
    fieldset.addEventListener("change", name);
  });
});
