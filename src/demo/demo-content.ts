import { ARABIC_ARTICLES, PERSIAN_ARTICLES } from './demo-articles.ar.js';
import { ENGLISH_ARTICLES } from './demo-articles.en.js';
import type { DemoArticle } from './demo-types.js';

/** Every demo article, English, Arabic and Persian. */
export const DEMO_ARTICLES: DemoArticle[] = [...ENGLISH_ARTICLES, ...ARABIC_ARTICLES, ...PERSIAN_ARTICLES];
