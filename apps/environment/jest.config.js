module.exports = { ...require('../../jest.preset.js'), displayName: 'environment', rootDir: __dirname };
