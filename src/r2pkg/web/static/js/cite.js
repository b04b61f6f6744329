// "Cite this": copy a citation to the clipboard and say so.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const text = document.getElementById(button.dataset.copy).textContent;
  const status = button.closest(".cite").querySelector(".copy-status");
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = `${button.textContent.replace(/^Copy /, "")} citation copied.`;
  } catch (error) {
    status.textContent = "Copying is not allowed here: select the text and copy it.";
  }
});
