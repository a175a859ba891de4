// `npm run playground`: builds dist/playground/ (scripts/build-playground.mjs) and serves it on
// 127.0.0.1, printing the URL. The server only hands out the build's files (a static site:
// any static host serves it the same way); `--port N` (default 8765, 0: any free port),
// `--no-build` serves the build as it is.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPlayground, playgroundDist } from './build-playground.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf', '.png': 'image/png', '.json': 'application/json', '.svg': 'image/svg+xml',
};

/** A static file server for `root` on 127.0.0.1:`port`; resolves with the server and its URL. */
export function serveStatic(root, port = 0) {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return res.writeHead(405).end();
    let path;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return res.writeHead(400).end();
    }
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) return res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}/` }));
  });
}

async function main() {
  const args = process.argv.slice(2);
  const at = args.indexOf('--port');
  const port = at >= 0 ? Number(args[at + 1]) : 8765;
  if (!args.includes('--no-build')) {
    const t0 = performance.now();
    const files = await buildPlayground();
    console.log(`built dist/playground/ (${files.length} files) in ${Math.round(performance.now() - t0)} ms`);
  }
  const { url } = await serveStatic(playgroundDist, port);
  console.log(`Spikeworks playground: ${url}  (Ctrl+C to stop)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
