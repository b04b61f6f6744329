// "Cite this": copy a citation to the clipboard and say so (in the page's language: the words are in data-copied and
// data-refused).
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const text = document.getElementById(button.dataset.copy).textContent;
  const status = button.closest(".cite").querySelector(".copy-status");
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = button.dataset.copied;
  } catch (error) {
    status.textContent = status.dataset.refused;
  }
});
