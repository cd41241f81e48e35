// `npm test` runs every project's suites: unit (*.spec.ts), integration (*.int.spec.ts, real
// servers started by the tests) and, under test/, end-to-end.
const fs = require('node:fs');
const path = require('node:path');

const projects = ['apps', 'libs', 'tools', 'test'].flatMap((dir) =>
  fs.existsSync(path.join(__dirname, dir))
    ? fs
        .readdirSync(path.join(__dirname, dir))
        .filter((name) => fs.existsSync(path.join(__dirname, dir, name, 'jest.config.js')))
        .map((name) => `<rootDir>/${dir}/${name}`)
    : [],
);

// Integration tests start real servers and restart them, on machines that may be busy: give every
// hook and test room (SETUP_TIMEOUT_MS of @clp/testing, test/README.md). How fast is a benchmark's
// question, never a test's.
module.exports = { projects, testTimeout: 120_000 };
