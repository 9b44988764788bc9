// Language switch that keeps the reader's place: section ids are shared between languages,
// so the link to the other language takes the id of the section being read.
document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[data-keep-place]') : null;
  if (!link) return;
  const headings = [...document.querySelectorAll('main [id]')].filter((el) => /^H[1-6]$|^FIGURE$/.test(el.tagName));
  let current = null;
  for (const el of headings) {
    if (el.getBoundingClientRect().top <= 80) current = el;
    else break;
  }
  const id = current ? current.id : location.hash.slice(1);
  const url = new URL(link.getAttribute('href'), location.href);
  url.hash = id ? `#${id}` : '';
  link.setAttribute('href', url.href);
});
