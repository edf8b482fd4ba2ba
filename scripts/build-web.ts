// Bundles the web app into web/dist: hashed, minified assets and an index.html that names them.
// Without --force it builds only when a source file is newer than the last bundle.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const webDir = join(repoRoot, 'web');
const outDir = join(webDir, 'dist');
const builtIndex = join(outDir, 'index.html');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** True when web/dist is missing or older than anything it is built from. */
export function webBuildIsStale(): boolean {
  let builtAt: number;
  try {
    builtAt = statSync(builtIndex).mtimeMs;
  } catch {
    return true;
  }
  const sources = [join(webDir, 'src'), join(webDir, 'index.html'), join(repoRoot, 'package-lock.json'), fileURLToPath(import.meta.url)];
  return sources.some((source) => newestMtime(source) > builtAt);
}

const usageStatisticsStub: esbuild.Plugin = {
  name: 'no-third-party-calls',
  setup(build) {
    build.onResolve({ filter: /^@vaadin\/vaadin-usage-statistics/ }, () => ({
      path: join(webDir, 'src', 'vendor', 'usage-statistics.ts'),
    }));
  },
};

export async function buildWeb(): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: repoRoot,
    entryPoints: { app: join(webDir, 'src', 'main.ts'), styles: join(webDir, 'src', 'styles.css') },
    outdir: join(outDir, 'assets'),
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    legalComments: 'none',
    tsconfig: join(repoRoot, 'tsconfig.json'),
    plugins: [usageStatisticsStub],
    logLevel: 'warning',
  });
  const outputs = Object.entries(result.metafile.outputs);
  const urlOf = (entry: string, ext: string) => {
    const found = outputs.find(([file, meta]) => file.endsWith(ext) && meta.entryPoint?.endsWith(entry));
    if (!found) throw new Error(`the build produced no output for ${entry}`);
    return '/' + relative(outDir, join(repoRoot, found[0])).split('\\').join('/');
  };
  const html = readFileSync(join(webDir, 'index.html'), 'utf8')
    .replace('%ENTRY%', urlOf('main.ts', '.js'))
    .replace('%STYLES%', urlOf('styles.css', '.css'));
  mkdirSync(outDir, { recursive: true });
  writeFileSync(builtIndex, html);
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const force = process.argv.includes('--force');
  if (force || webBuildIsStale()) {
    const started = Date.now();
    await buildWeb();
    console.log(`web app built into web/dist in ${Date.now() - started} ms`);
  }
}
