// The console's only script: pages work without it; it adds copy buttons and confirmations.
// Loaded as a module from the same origin, so the CSP can forbid inline script.

for (const button of document.querySelectorAll("button[data-copy]")) {
  button.addEventListener("click", async () => {
    const text = button.getAttribute("data-copy") ?? "";
    try {
      await navigator.clipboard.writeText(text);
      button.classList.add("copied");
      setTimeout(() => button.classList.remove("copied"), 1500);
    } catch {
      // No clipboard (plain HTTP on another host): select the URL so Ctrl+C copies it.
      const code = button.previousElementSibling;
      if (code) window.getSelection()?.selectAllChildren(code);
    }
  });
}

// A changed filter applies at once; typing in the search box waits for Enter.
const filters = document.querySelector("form.filters");
if (filters) {
  for (const field of filters.querySelectorAll("select, input[type=checkbox]")) {
    field.addEventListener("change", () => filters.requestSubmit());
  }
}
