module.exports = { ...require('../../jest.preset.js'), displayName: 'connection-lifecycle', rootDir: __dirname };
