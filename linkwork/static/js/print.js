// The printable report's "Print or save as PDF" button: hidden until this script runs,
// since without JavaScript the browser's own print command does the same.
document.querySelectorAll("[data-linkwork-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
