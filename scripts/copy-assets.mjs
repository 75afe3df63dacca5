// Copies non-TypeScript files the server reads at run time (the stylesheet, message catalogs) into dist/.
import { cpSync } from 'node:fs';

cpSync('src/site/assets', 'dist/site/assets', { recursive: true });
cpSync('src/site/messages', 'dist/site/messages', { recursive: true });
