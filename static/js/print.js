// The report's "Print" button: a script file rather than an inline onclick handler.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
