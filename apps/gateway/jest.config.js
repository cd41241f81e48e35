const path = require('node:path');
const preset = require('../../jest.preset.js');

// @fastify/static, which serves the OpenAPI UI, requires content-disposition 3: an ES module that
// Node 20 loads with require() and Jest does not. Jest compiles that one package to CommonJS.
module.exports = {
  ...preset,
  displayName: 'gateway',
  rootDir: __dirname,
  transform: {
    ...preset.transform,
    '/node_modules/content-disposition/.+\\.js$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.esm-packages.json') }],
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
};
