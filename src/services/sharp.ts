import type Sharp from 'sharp';
import { lazyRequire } from './lazy-require.js';

const load = lazyRequire<typeof Sharp>('sharp');

/** sharp (libvips), loaded with the first image processed rather than at every start. */
export const sharp = ((...args: unknown[]) => (load() as unknown as (...a: unknown[]) => unknown)(...args)) as unknown as typeof Sharp;
