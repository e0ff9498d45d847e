// The page of a background import: polls its status and reloads when the import has ended.
(() => {
  const box = document.getElementById("import-job");
  if (!box) return;
  const bar = document.getElementById("import-job-bar");
  const count = document.getElementById("import-job-count");
  const poll = () => {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => response.json())
      .then((status) => {
        if (status.state === "done" || status.state === "failed") {
          window.location.reload();
          return;
        }
        if (status.total > 0) {
          bar.max = status.total;
          bar.value = status.done;
          count.textContent = `${status.done} / ${status.total}`;
        }
        setTimeout(poll, 1000);
      })
      .catch(() => setTimeout(poll, 3000));
  };
  poll();
})();
