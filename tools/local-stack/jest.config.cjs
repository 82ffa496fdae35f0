module.exports = {
  displayName: 'local-stack',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/tools/local-stack',
};
