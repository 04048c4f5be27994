// Similar questions while asking: as the title is typed, likely duplicates and FAQ entries
// appear under it. Progressive enhancement only: without this file the ask form has a
// "check similar questions" button that does the same on the server.
(() => {
  const input = document.querySelector('input[data-similar-source]');
  const target = document.getElementById('similar-questions');
  if (!(input instanceof HTMLInputElement) || !target) return;
  const community = input.dataset.community || '';
  const MIN_CHARS = 4;
  let timer = 0;
  let lastQuery = '';
  let controller = null;

  async function lookup() {
    const q = input.value.trim();
    if (q === lastQuery) return;
    lastQuery = q;
    if (controller) controller.abort();
    if (q.length < MIN_CHARS) {
      target.replaceChildren();
      return;
    }
    controller = new AbortController();
    try {
      const url = `/search/similar?${new URLSearchParams({ q, community })}`;
      const res = await fetch(url, { headers: { accept: 'application/json' }, signal: controller.signal, credentials: 'same-origin' });
      if (!res.ok) return;
      const data = await res.json();
      if (input.value.trim() !== q) return;
      // The server renders the box (escaped, in the reader's language); an empty list shows nothing while typing.
      if (data.questions.length + data.faq.length === 0) target.replaceChildren();
      else target.innerHTML = data.html;
    } catch (err) {
      if (!(err instanceof DOMException && err.name === 'AbortError')) target.replaceChildren();
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(lookup, 300);
  });
  if (input.value.trim().length >= MIN_CHARS && target.children.length === 0) lookup();
})();
