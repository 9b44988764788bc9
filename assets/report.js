// Language switch that keeps the reader's place: section ids are shared between languages, so
// the link to the other language takes the page's own #hash while the reader is still where it
// led, else the id of the heading nearest above the reader.

// Whether the reader has scrolled by themselves since the page opened (a wheel, a touch, a
// scrolling key); scrolling done by the page itself does not count.
let moved = false;
const SCROLL_KEYS = /^(Page(Up|Down)|Arrow(Up|Down)|Home|End| )$/;
const move = (event) => {
  if (event.type !== 'keydown' || SCROLL_KEYS.test(event.key)) moved = true;
};
for (const type of ['wheel', 'touchmove', 'keydown'])
  addEventListener(type, move, { passive: true, capture: true });

const hashTarget = () => (location.hash && document.getElementById(location.hash.slice(1))) || null;

document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[data-keep-place]') : null;
  if (!link) return;
  const target = hashTarget();
  let id = !moved && target ? target.id : '';
  if (!id) {
    const bar = document.querySelector('.bar');
    const line = (bar ? bar.getBoundingClientRect().bottom : 0) + 60;
    for (const el of document.querySelectorAll('main :is(h1, h2, h3, h4, h5, h6)[id]')) {
      if (el.getBoundingClientRect().top <= line) id = el.id;
      else break;
    }
  }
  const url = new URL(link.getAttribute('href'), location.href);
  url.hash = id ? `#${id}` : '';
  link.setAttribute('href', url.href);
});

// Web fonts and charts change the page's height as they arrive: until the reader moves, the
// section the address names is brought back under the bar each time the layout changes.
if ('ResizeObserver' in window) {
  const keep = new ResizeObserver(() => {
    const target = hashTarget();
    if (moved || !target) return;
    target.scrollIntoView({ block: 'start' });
  });
  keep.observe(document.documentElement);
  addEventListener('hashchange', () => {
    moved = false;
  });
}
