module.exports = { ...require('../../jest.preset.js'), displayName: 'connection-definitions', rootDir: __dirname };
