module.exports = { ...require('../../jest.preset.js'), displayName: 'connection-registry', rootDir: __dirname };
