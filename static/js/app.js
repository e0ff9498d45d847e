// Small progressive enhancements; every page works without script.
document.addEventListener("DOMContentLoaded", () => {
  // Forms marked data-progress show a progress indicator while a large upload is processed.
  document.querySelectorAll("form[data-progress]").forEach((form) => {
    form.addEventListener("submit", () => {
      const target = document.getElementById(form.dataset.progress);
      if (target) target.hidden = false;
    });
  });
});
