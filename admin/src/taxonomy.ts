import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import type { ContentType, Section } from './types.js';

export interface Taxonomy {
  sections: Section[];
  contentTypes: ContentType[];
}

/** Languages the editor offers; Arabic and Persian are written right to left. */
export const LANGUAGES = [
  { tag: 'en', name: 'English' },
  { tag: 'ar', name: 'العربية (Arabic)' },
  { tag: 'fa', name: 'فارسی (Persian)' },
];

const RTL = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'ckb', 'dv', 'yi']);

export function directionOf(language: string): 'ltr' | 'rtl' {
  return RTL.has(language.split('-')[0]!.toLowerCase()) ? 'rtl' : 'ltr';
}

function items<T>(body: T[] | { items: T[] }): T[] {
  return Array.isArray(body) ? body : body.items;
}

let cached: Promise<Taxonomy> | null = null;

async function load(): Promise<Taxonomy> {
  const [sections, contentTypes] = await Promise.all([
    api.get<Section[] | { items: Section[] }>('/api/admin/sections').then(items),
    api.get<ContentType[] | { items: ContentType[] }>('/api/admin/content-types').then(items),
  ]);
  return { sections, contentTypes };
}

/** Sections and content types, loaded once per page view. */
export function useTaxonomy(): Taxonomy {
  const [value, setValue] = useState<Taxonomy>({ sections: [], contentTypes: [] });
  useEffect(() => {
    cached ??= load().catch((error: unknown) => {
      cached = null;
      throw error;
    });
    cached.then(setValue, () => undefined);
  }, []);
  return value;
}
