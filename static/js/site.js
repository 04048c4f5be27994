// Progressive enhancement only: every form works without this file.
document.addEventListener('change', (event) => {
  const select = event.target;
  if (!(select instanceof HTMLSelectElement)) return;
  const form = select.closest('form[data-autosubmit]');
  if (form) form.requestSubmit();
});
