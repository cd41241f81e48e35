module.exports = { ...require('../../jest.preset.js'), displayName: 'start', rootDir: __dirname };
