module.exports = { ...require('../../jest.preset.js'), displayName: 'credential-vault', rootDir: __dirname };
