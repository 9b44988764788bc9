import { stringify } from 'yaml';
import { type Codebook, firstYear, type ReportStudy, reportStudy } from '../load/codebook.js';

/**
 * Metadata for people and machines, from the codebook's study: Highwire Press and Dublin Core
 * tags for scholarly indexes, a schema.org Dataset for dataset search, and CITATION.cff. An
 * author is never made up: without `study.authors` no author tag is written, and CITATION.cff
 * (which needs one) says "anonymous", as the format's own examples do.
 */

type Study = Codebook['study'];
type Author = NonNullable<Study['authors']>[number];

/** The files of out/data/ the Dataset distributes, with their media types. */
const DATA_FILES: [string, string][] = [
  ['data/responses.csv', 'text/csv'],
  ['data/codebook.yaml', 'application/yaml'],
  ['data/claims.yaml', 'application/yaml'],
  ['data/results.json', 'application/json'],
  ['data/verification.json', 'application/json'],
];

const fullName = (a: Author) => (a.given ? `${a.given} ${a.family}` : a.family);
const orcidUrl = (orcid: string) =>
  orcid.startsWith('https://') ? orcid : `https://orcid.org/${orcid}`;

/** An address from the site's folder: absolute under `study.url` when the codebook gives it. */
function siteUrl(study: Study, path: string, fromPage: string): string {
  if (study.url) return new URL(path, study.url.endsWith('/') ? study.url : `${study.url}/`).href;
  return `${fromPage}${path}`;
}

/** The date of the report: `study.date`, else the study's year. */
const isoDate = (study: ReportStudy) => study.date ?? String(firstYear(study.year));

export interface PageMeta {
  /** `<meta name content>` pairs, in order. */
  meta: { name: string; content: string }[];
  /** The schema.org Dataset, for a `<script type="application/ld+json">`. */
  jsonLd: Record<string, unknown>;
}

/**
 * The head metadata of one language's page. `pdf` is the PDF's path from the site's folder
 * (none when no PDF is built); `fromPage` leads from the page to the site's folder ("../").
 */
export function pageMeta(
  codebook: Codebook,
  lang: string,
  options: { pdf?: string; fromPage: string; responses?: boolean },
): PageMeta {
  const study = reportStudy(codebook);
  const title = study.title[lang] ?? study.id;
  const authors = study.authors ?? [];
  const meta: PageMeta['meta'] = [
    { name: 'citation_title', content: title },
    ...authors.map((a) => ({
      name: 'citation_author',
      content: a.given ? `${a.family}, ${a.given}` : a.family,
    })),
    ...authors.flatMap((a) =>
      a.orcid ? [{ name: 'citation_author_orcid', content: orcidUrl(a.orcid) }] : [],
    ),
    { name: 'citation_date', content: isoDate(study).replaceAll('-', '/') },
    { name: 'citation_publisher', content: study.institution },
    ...(options.pdf
      ? [{ name: 'citation_pdf_url', content: siteUrl(study, options.pdf, options.fromPage) }]
      : []),
    { name: 'citation_language', content: lang },
    { name: 'DC.title', content: title },
    ...authors.map((a) => ({ name: 'DC.creator', content: fullName(a) })),
    { name: 'DC.date', content: isoDate(study) },
    { name: 'DC.publisher', content: study.institution },
    { name: 'DC.language', content: lang },
    { name: 'DC.identifier', content: study.handle },
    { name: 'DC.source', content: `${study.repository}, ${study.handle}` },
    { name: 'DC.type', content: 'Dataset' },
  ];
  const population = study.population[lang];
  const description = [
    study.subtitle?.[lang],
    population && `${population.charAt(0).toLocaleUpperCase(lang)}${population.slice(1)}`,
    study.data.note[lang],
  ]
    .filter(Boolean)
    .join('. ')
    .replace(/\.\./g, '.');
  const jsonLd: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'Dataset',
    name: title,
    ...(study.subtitle?.[lang] ? { alternateName: study.subtitle[lang] } : {}),
    description,
    inLanguage: codebook.study.languages.map((l) => l.code),
    ...(authors.length
      ? {
          creator: authors.map((a) => ({
            '@type': 'Person',
            name: fullName(a),
            familyName: a.family,
            ...(a.given ? { givenName: a.given } : {}),
            ...(a.orcid ? { sameAs: orcidUrl(a.orcid) } : {}),
          })),
        }
      : {}),
    datePublished: isoDate(study),
    ...(study.version ? { version: study.version } : {}),
    ...(study.url ? { url: study.url } : {}),
    isAccessibleForFree: true,
    sourceOrganization: { '@type': 'Organization', name: study.institution },
    isBasedOn: {
      '@type': 'Thesis',
      name: study.title[lang] ?? study.id,
      identifier: study.handle,
      datePublished: String(study.year),
      sourceOrganization: { '@type': 'Organization', name: study.institution },
      publisher: { '@type': 'Organization', name: study.repository },
    },
    measurementTechnique: 'survey',
    variableMeasured: codebook.questions.map((q) => ({
      '@type': 'PropertyValue',
      name: q.id,
      description: q.text[lang] ?? q.id,
    })),
    distribution: DATA_FILES.filter(
      ([path]) => options.responses !== false || path !== 'data/responses.csv',
    ).map(([path, type]) => ({
      '@type': 'DataDownload',
      name: path.slice('data/'.length),
      encodingFormat: type,
      contentUrl: siteUrl(study, path, options.fromPage),
    })),
  };
  return { meta, jsonLd };
}

/** JSON for an inline script: `</script>` and the like cannot close it early. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value, null, 2)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026');
}

/** `CITATION.cff` (Citation File Format 1.2.0) for the report and its data. */
export function citationCff(codebook: Codebook): string {
  const study = reportStudy(codebook);
  const lang = study.languages[0]?.code ?? 'en';
  const people = (study.authors ?? []).map((a) => ({
    'family-names': a.family,
    ...(a.given ? { 'given-names': a.given } : {}),
    ...(a.orcid ? { orcid: orcidUrl(a.orcid) } : {}),
  }));
  const authors = people.length ? people : [{ name: 'anonymous' }];
  const cff = {
    'cff-version': '1.2.0',
    message: 'If you use this report or its data, please cite it as below.',
    type: 'dataset',
    title: study.title[lang] ?? study.id,
    authors,
    ...(study.version ? { version: study.version } : {}),
    ...(study.date ? { 'date-released': study.date } : {}),
    ...(study.url ? { url: study.url } : {}),
    abstract: study.data.note[lang],
    identifiers: [
      {
        type: 'other',
        value: study.handle,
        description: `Identifier of the source in ${study.repository}`,
      },
    ],
    references: [
      {
        type: 'thesis',
        title: study.title[lang] ?? study.id,
        authors,
        institution: { name: study.institution },
        year: firstYear(study.year),
        identifiers: [{ type: 'other', value: study.handle }],
      },
    ],
  };
  return `# Citation File Format (https://citation-file-format.github.io/), written from data/codebook.yaml\n${stringify(cff, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
