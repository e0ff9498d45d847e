// Small progressive enhancements; every page works without script.
document.addEventListener("DOMContentLoaded", () => {
  // Forms marked data-progress show a progress indicator while a large upload is processed.
  document.querySelectorAll("form[data-progress]").forEach((form) => {
    form.addEventListener("submit", () => {
      const target = document.getElementById(form.dataset.progress);
      if (target) target.hidden = false;
    });
  });

  // The main menu folds away on a phone; on wider screens it is always open (its summary hidden).
  const menu = document.getElementById("main-menu");
  if (menu) {
    const narrow = window.matchMedia("(max-width: 48rem)");
    const fit = () => {
      menu.open = !narrow.matches;
    };
    fit();
    narrow.addEventListener("change", fit);
  }
});
