/**
 * Where a link of the report goes in the PDF. The PDF travels alone, so a link relative to the
 * page (`../data/responses.csv`) would lead nowhere: under the study's published address
 * (`study.url`) it becomes absolute; without one, the PDF prints the file's path in the site
 * as text instead of a dead link. Absolute links and the report's own anchors are kept.
 */
export function pdfLinkTarget(
  siteUrl: string | undefined,
  page: string,
): (url: string) => string | { text: string } {
  // any base resolves the page's relative paths; only the path from the site's folder is kept
  const local = 'https://site.invalid/';
  return (url) => {
    if (url.startsWith('#') || /^[A-Za-z][A-Za-z\d+.-]*:/.test(url)) return url;
    const resolved = new URL(url, new URL(page, local));
    if (resolved.origin !== new URL(local).origin) return url; // `//host/…`: already absolute
    const path = `${decodeURIComponent(resolved.pathname.slice(1))}${resolved.hash}`;
    if (!siteUrl) return { text: path };
    return new URL(
      `${resolved.pathname.slice(1)}${resolved.search}${resolved.hash}`,
      siteUrl.endsWith('/') ? siteUrl : `${siteUrl}/`,
    ).href;
  };
}
