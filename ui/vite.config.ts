// Vite's settings for the dashboard: built from ui/ into dist/ui/ with relative asset paths, so the
// monitoring server can serve it at any address.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: {
    outDir: '../dist/ui',
    emptyOutDir: true,
    target: 'es2022',
  },
});
