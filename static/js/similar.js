// Similar questions while asking: as the title is typed, likely duplicates and FAQ entries
// appear under it. Progressive enhancement only: without this file the ask form has a
// "check similar questions" button that does the same on the server.
(() => {
  const input = document.querySelector('input[data-similar-source]');
  const target = document.getElementById('similar-questions');
  if (!(input instanceof HTMLInputElement) || !target) return;
  const community = input.dataset.community || '';
  // Two Chinese (Japanese, Korean) characters already name a subject; other scripts need
  // four letters or digits. The server's similarTitleLongEnough applies the same rule.
  const WIDE = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]/u;
  const WORD = /[\p{L}\p{N}]/u;
  function longEnough(text) {
    let weight = 0;
    for (const ch of text) {
      weight += WIDE.test(ch) ? 2 : WORD.test(ch) ? 1 : 0;
      if (weight >= 4) return true;
    }
    return false;
  }
  let timer = 0;
  let lastQuery = '';
  let controller = null;

  async function lookup() {
    const q = input.value.trim();
    if (q === lastQuery) return;
    lastQuery = q;
    if (controller) controller.abort();
    if (!longEnough(q)) {
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
  if (longEnough(input.value.trim()) && target.children.length === 0) lookup();
})();
