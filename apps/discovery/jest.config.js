const path = require('node:path');
const preset = require('../../jest.preset.js');

const ESM_ONLY = ['@kubernetes/client-node', 'openid-client', 'jose', 'oauth4webapi'];
const pattern = ESM_ONLY.map((name) => name.replace('/', '\\/')).join('|');

module.exports = {
  ...preset,
  displayName: 'discovery',
  rootDir: __dirname,
  transform: {
    ...preset.transform,
    [`/node_modules/(${pattern})/.+\\.js$`]: ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.esm-packages.json') }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${pattern})/)`],
};
