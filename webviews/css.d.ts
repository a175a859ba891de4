// esbuild bundles imported stylesheets into dist/webviews/<panel>.css.
declare module '*.css';
