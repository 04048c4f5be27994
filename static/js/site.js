// Progressive enhancement only: every form works without this file.
document.documentElement.classList.add('js');

const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';

// The footer language selector submits itself when changed.
document.addEventListener('change', (event) => {
  const select = event.target;
  if (!(select instanceof HTMLSelectElement)) return;
  const form = select.closest('form[data-autosubmit]');
  if (form) form.requestSubmit();
});

// Votes update in place: the same form POST, asking for JSON instead of a redirect.
document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.closest('[data-vote]') || !form.action.includes('/vote')) return;
  event.preventDefault();
  const box = form.closest('[data-vote]');
  const body = new URLSearchParams(new FormData(form));
  try {
    const res = await fetch(form.action, { method: 'POST', body, headers: { accept: 'application/json' }, credentials: 'same-origin' });
    if (!res.ok) {
      form.submit();
      return;
    }
    const data = await res.json();
    const score = box.querySelector('.vote-score');
    score.textContent = String(data.score);
    // Screen readers hear the same names the server would render after a reload.
    if (score.dataset.labelTemplate) score.setAttribute('aria-label', score.dataset.labelTemplate.replace('{score}', String(data.score)));
    for (const button of box.querySelectorAll('.vote-button')) {
      const buttonValue = Number(button.dataset.value);
      const active = data.value === buttonValue;
      button.classList.toggle('voted', active);
      button.setAttribute('aria-pressed', active ? 'true' : 'false');
      const label = active ? button.dataset.labelWithdraw : button.dataset.labelVote;
      if (label) button.setAttribute('aria-label', label);
      button.form.querySelector('input[name="value"]').value = active ? '0' : String(buttonValue);
    }
  } catch {
    form.submit();
  }
});

// Live Markdown preview, rendered by the server with the same pipeline as saving.
for (const form of document.querySelectorAll('form[data-preview]')) {
  const source = form.querySelector('[data-preview-source]');
  const target = form.querySelector('[data-preview-target]');
  if (!source || !target) continue;
  let timer = null;
  let last = '';
  const update = async () => {
    const text = source.value;
    if (text === last) return;
    last = text;
    if (text.trim() === '') return;
    const body = new URLSearchParams({ body: text, _csrf: csrfToken() });
    try {
      const res = await fetch('/preview', { method: 'POST', body, headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (!res.ok) return;
      const data = await res.json();
      target.hidden = false;
      // The server returns sanitised HTML (the same allowlist as stored posts).
      target.innerHTML = data.html;
    } catch {
      /* preview is optional */
    }
  };
  source.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(update, 400);
  });
}

// A field opened already started (the synonym form from the FAQ gaps report) puts the caret
// after what it holds, so typing continues it instead of writing in front of it.
document.addEventListener('focusin', (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.hasAttribute('data-caret-end')) return;
  const end = input.value.length;
  requestAnimationFrame(() => input.setSelectionRange(end, end));
});
for (const input of document.querySelectorAll('input[data-caret-end]')) {
  if (input === document.activeElement) input.setSelectionRange(input.value.length, input.value.length);
}
