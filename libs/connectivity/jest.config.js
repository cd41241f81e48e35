module.exports = { ...require('../../jest.preset.js'), displayName: 'connectivity', rootDir: __dirname };
