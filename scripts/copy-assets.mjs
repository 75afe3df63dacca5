// Copies non-TypeScript files the server reads at run time (the stylesheet) into dist/.
import { cpSync } from 'node:fs';

cpSync('src/site/assets', 'dist/site/assets', { recursive: true });
