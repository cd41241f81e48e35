import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webBuildStale } from './web-build';

describe('whether npm start builds the web UI', () => {
  let root: string;
  const at = (path: string, seconds: number) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), path);
    utimesSync(join(root, path), seconds, seconds);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'clp-web-build-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('builds when there is no build', () => {
    at('web/src/App.tsx', 1000);
    expect(webBuildStale(join(root, 'web/dist'), [join(root, 'web')])).toBe(true);
  });

  it('builds when a source changed after the build, however deep, and for a changed lock file', () => {
    at('web/dist/index.html', 2000);
    at('web/src/pages/deep/Page.tsx', 1000);
    at('package-lock.json', 1000);
    const sources = [join(root, 'web'), join(root, 'package-lock.json')];
    expect(webBuildStale(join(root, 'web/dist'), sources)).toBe(false);
    at('web/src/pages/deep/Page.tsx', 3000);
    expect(webBuildStale(join(root, 'web/dist'), sources)).toBe(true);
    at('web/src/pages/deep/Page.tsx', 1000);
    at('package-lock.json', 3000);
    expect(webBuildStale(join(root, 'web/dist'), sources)).toBe(true);
  });

  it('does not count the build itself, nor node_modules', () => {
    at('web/dist/index.html', 2000);
    at('web/dist/assets/index-abc.js', 2500);
    at('web/node_modules/x/index.js', 9000);
    at('web/src/App.tsx', 1000);
    expect(webBuildStale(join(root, 'web/dist'), [join(root, 'web')])).toBe(false);
  });
});
