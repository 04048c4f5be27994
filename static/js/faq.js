// FAQ entry page: "Was this helpful?" updates in place. Without this file the two forms
// post normally and the server redirects back with the counts.
for (const box of document.querySelectorAll('[data-helpful]')) {
  const result = box.querySelector('[data-helpful-result]');
  const counts = box.querySelector('[data-helpful-counts]');
  const message = box.querySelector('[data-helpful-message]');
  const thanks = message ? message.textContent : '';

  box.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    event.preventDefault();
    const buttons = box.querySelectorAll('button[data-helpful-value]');
    for (const b of buttons) b.disabled = true;
    try {
      const res = await fetch(form.action, {
        method: 'POST',
        body: new URLSearchParams(new FormData(form)),
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      });
      if (!res.ok) throw new Error(String(res.status));
      const data = await res.json();
      const template = result.dataset.countsTemplate || '{yes} / {no}';
      counts.textContent = template.replace('{yes}', String(data.yes)).replace('{no}', String(data.no));
      message.textContent = thanks;
      message.className = 'alert alert-success';
      result.hidden = false;
      for (const b of buttons) {
        const chosen = b.dataset.helpfulValue === data.value;
        b.classList.toggle('chosen', chosen);
        b.setAttribute('aria-pressed', chosen ? 'true' : 'false');
      }
    } catch {
      message.textContent = result.dataset.failed || '';
      message.className = 'alert alert-error';
      result.hidden = false;
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  });
}
