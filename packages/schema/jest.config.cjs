module.exports = {
  displayName: 'schema',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/packages/schema',
};
