module.exports = {
  displayName: 'mongo',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/packages/mongo',
};
