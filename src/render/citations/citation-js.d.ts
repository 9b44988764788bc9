// The parts of citation.js 0.7 used here (it ships no type declarations).
declare module '@citation-js/core' {
  interface Register<T> {
    add(key: string, value: T): void;
    set(key: string, value: T): void;
    has(key: string): boolean;
    get(key: string): T;
  }
  interface CslConfig {
    templates: Register<string>;
    locales: Register<string>;
    engine(data: object[], style: string, locale: string, format: string): CiteprocEngine;
  }
  /** citeproc-js's engine, as far as it is used here. */
  export interface CiteprocEngine {
    updateItems(ids: string[]): void;
    setOutputFormat(format: string): void;
    rebuildProcessorState(
      citations: object[],
      mode: string,
      uncited?: string[],
    ): [string, number, string][];
    makeBibliography(): [{ entry_ids: string[][] }, string[]] | false;
  }
  export const plugins: {
    input: { chain(input: string, options: object): object[] };
    config: { get(name: '@csl'): CslConfig };
  };
}
declare module '@citation-js/plugin-bibtex';
declare module '@citation-js/plugin-csl';
