import { render } from 'preact';
import { App } from './app.js';
// Vazirmatn (Arabic, Persian and its Latin), bundled by Vite under hashed names: no request leaves the site.
import '@fontsource-variable/vazirmatn/wght.css';
import './styles.css';

render(<App />, document.getElementById('app')!);
