// Language switch that keeps the reader's place: section ids are shared between languages,
// so the link to the other language takes the id of the heading nearest above the reader
// (or the page's own #hash when nothing is scrolled past yet).
document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[data-keep-place]') : null;
  if (!link) return;
  const bar = document.querySelector('.bar');
  const line = (bar ? bar.getBoundingClientRect().bottom : 0) + 60;
  const marks = [...document.querySelectorAll('main [id]')].filter((el) =>
    /^H[1-6]$|^FIGURE$/.test(el.tagName),
  );
  let current = null;
  for (const el of marks) {
    if (el.getBoundingClientRect().top <= line) current = el;
    else break;
  }
  // the address's own #hash while its target is still in the upper half of the window
  const target = location.hash && document.getElementById(location.hash.slice(1));
  const top = target ? target.getBoundingClientRect().top : -1;
  const id = target && top >= 0 && top < innerHeight / 2 ? target.id : current ? current.id : '';
  const url = new URL(link.getAttribute('href'), location.href);
  url.hash = id ? `#${id}` : '';
  link.setAttribute('href', url.href);
});

// Web fonts move the text once they load: the section the address names is brought back to the top.
document.fonts?.ready.then(() => {
  const target = location.hash && document.getElementById(location.hash.slice(1));
  if (target && scrollY > 0) target.scrollIntoView();
});
