import { toHtml } from 'hast-util-to-html';
import { h } from 'hastscript';
import type { Study } from '../load/study.js';
import type { Strings } from '../locale/strings.js';

/** out/index.html: the report's title in each language, with a link to its page and PDF. */
export function indexPage(
  study: Study,
  langs: Study['codebook']['study']['languages'],
  strings: Record<string, Strings>,
  withPdf: boolean,
): string {
  const s = study.codebook.study;
  const first = langs[0]?.code ?? 'en';
  const doc = h('html', { lang: first }, [
    h('head', [
      h('meta', { charSet: 'utf-8' }),
      h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
      h('meta', { name: 'color-scheme', content: 'light dark' }),
      h('title', langs.map((l) => s.title[l.code]).join(' · ')),
      h('link', { rel: 'stylesheet', href: 'assets/report.css' }),
      ...langs.map((l) =>
        h('link', { rel: 'alternate', hrefLang: l.code, href: `${l.code}/index.html` }),
      ),
    ]),
    h('body', [
      h(
        'main',
        { className: ['chooser'] },
        langs.map((l) =>
          h('section', { lang: l.code }, [
            h(
              'h1',
              h('a', { href: `${l.code}/index.html`, hrefLang: l.code }, s.title[l.code] ?? s.id),
            ),
            s.subtitle ? h('p', s.subtitle[l.code]) : h('p', s.institution),
            h('p', [
              h(
                'a',
                { href: `${l.code}/index.html`, hrefLang: l.code },
                strings[l.code]?.chooseLanguage,
              ),
              ...(withPdf
                ? [' · ', h('a', { href: `${l.code}/${s.id}.${l.code}.pdf` }, strings[l.code]?.pdf)]
                : []),
            ]),
            s.data.status === 'reconstruction'
              ? h('p', { className: ['data-note'] }, [
                  h('strong', `${strings[l.code]?.reconstruction}.`),
                  ` ${strings[l.code]?.reconstructionNotice}`,
                ])
              : h('p', s.institution),
          ]),
        ),
      ),
    ]),
  ]);
  return `${toHtml({ type: 'root', children: [{ type: 'doctype' }, doc] })}\n`;
}
